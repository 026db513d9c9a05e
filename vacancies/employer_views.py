"""Pages where an employer's staff write vacancies and follow candidates.

Every lookup goes through the tenancy layer: another employer's vacancy or
candidate gives the same 404 as a missing one. Owners and managers change
vacancies and candidates; every member may read them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership, Organization
from accounts.selectors import applicant_for_employer, organization_publish_block_reason
from accounts.tenancy import get_scoped_or_404, require_membership, scoped, tenant_for
from matching.models import Match, Skill
from vacancies import services
from vacancies.employer_forms import (
    SKILL_FORMSET_PREFIX,
    SkillFormSet,
    SkillRequirementForm,
    SkillSearchForm,
    VacancyForm,
    initial_requirements,
    search_skills,
)
from vacancies.models import CandidateStage, Vacancy

EDITORS = (Membership.Role.OWNER, Membership.Role.MANAGER)


def _employer(request: HttpRequest, *, edit: bool = False) -> Membership:
    roles = EDITORS if edit else None
    return require_membership(
        tenant_for(request), kind=Organization.Kind.EMPLOYER, roles=roles
    )


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """List the organization's vacancies with their candidate counts."""
    membership = _employer(request)
    tenant = tenant_for(request)
    vacancies = (
        scoped(Vacancy, tenant)
        .annotate(
            proposed_count=Count(
                "matches",
                filter=Q(matches__status=Match.Status.PROPOSED),
                distinct=True,
            ),
            approved_count=Count(
                "matches",
                filter=Q(matches__status=Match.Status.APPROVED),
                distinct=True,
            ),
            hired_count=Count(
                "candidate_stages",
                filter=Q(candidate_stages__stage=CandidateStage.Stage.HIRED),
                distinct=True,
            ),
        )
        .order_by("status", "-published_at", "-created_at")
    )
    context = {
        "organization": membership.organization,
        "vacancies": vacancies,
        "can_edit": membership.role in EDITORS,
        "block_reason": organization_publish_block_reason(membership.organization),
    }
    return render(request, "vacancies/employer/dashboard.html", context)


def _rows_from_post(data) -> list[dict]:
    """Return the skill rows of a posted form that are kept and name a skill."""
    try:
        total = min(int(data.get(f"{SKILL_FORMSET_PREFIX}-TOTAL_FORMS", 0)), 100)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        prefix = f"{SKILL_FORMSET_PREFIX}-{index}-"
        if data.get(f"{prefix}DELETE"):
            continue
        try:
            skill_id = int(data.get(f"{prefix}skill", ""))
        except ValueError:
            continue
        rows.append(
            {
                "skill": skill_id,
                "min_level": data.get(f"{prefix}min_level"),
                "importance": data.get(f"{prefix}importance"),
            }
        )
    known = set(
        Skill.objects.filter(pk__in=[row["skill"] for row in rows]).values_list(
            "pk", flat=True
        )
    )
    return [row for row in rows if row["skill"] in known]


def _unsaved_forms(request: HttpRequest, vacancy: Vacancy | None):
    """Rebuild the posted forms unbound, to search or add skills without saving."""
    posted = VacancyForm(request.POST)
    initial = {}
    for name, field in posted.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            initial[name] = request.POST.getlist(name)
        else:
            initial[name] = request.POST.get(name, "")
    form = VacancyForm(initial=initial, instance=vacancy or Vacancy())
    rows = _rows_from_post(request.POST)
    listed = {row["skill"] for row in rows}
    for value in request.POST.getlist("add_skill"):
        try:
            skill_id = int(value)
        except ValueError:
            continue
        if skill_id not in listed and Skill.objects.filter(pk=skill_id).exists():
            rows.append({"skill": skill_id})
            listed.add(skill_id)
    formset = SkillFormSet(initial=rows, prefix=SKILL_FORMSET_PREFIX)
    search = SkillSearchForm(request.POST)
    results = []
    if search.is_valid():
        results = search_skills(search.cleaned_data["skill_query"], exclude_ids=listed)
    return form, formset, search, results


def _edit(request: HttpRequest, vacancy: Vacancy | None) -> HttpResponse:
    membership = _employer(request, edit=True)
    action = request.POST.get("action", "save")
    adding = bool(request.POST.getlist("add_skill"))
    results = []
    searched = False

    if request.method == "POST" and (action == "search" or adding):
        form, formset, search, results = _unsaved_forms(request, vacancy)
        searched = action == "search"
    elif request.method == "POST":
        form = VacancyForm(request.POST, instance=vacancy or Vacancy())
        formset = SkillFormSet(request.POST, prefix=SKILL_FORMSET_PREFIX)
        search = SkillSearchForm()
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.vacancy_save(
                    organization=membership.organization,
                    vacancy_id=vacancy.pk if vacancy else None,
                    fields=form.editable_values(),
                    requirements=formset.requirements(),
                    credential_ids=form.credential_ids(),
                    by=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, field_errors in error.error_dict.items():
                        target = field if field in form.fields else None
                        for field_error in field_errors:
                            form.add_error(target, field_error)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(title)s was saved.") % {"title": saved.title}
                )
                return redirect("vacancies:manage", pk=saved.pk)
        messages.error(request, _("Nothing was saved: correct the fields marked."))
    else:
        form = VacancyForm(instance=vacancy or Vacancy())
        initial = initial_requirements(vacancy) if vacancy else []
        formset = SkillFormSet(initial=initial, prefix=SKILL_FORMSET_PREFIX)
        search = SkillSearchForm()

    context = {
        "vacancy": vacancy,
        "form": form,
        "formset": formset,
        "search": search,
        "results": results,
        "searched": searched,
    }
    return render(request, "vacancies/employer/form.html", context)


@login_required
def vacancy_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_scoped_or_404(Vacancy, tenant_for(request), pk=pk)
    return _edit(request, vacancy)


@login_required
@require_GET
def skill_search(request: HttpRequest) -> HttpResponse:
    """Return the type-ahead results partial of the skill picker (htmx)."""
    _employer(request, edit=True)
    search = SkillSearchForm(request.GET)
    results = []
    if search.is_valid():
        results = search_skills(search.cleaned_data["skill_query"])
    return render(
        request,
        "vacancies/employer/_skill_results.html",
        {"results": results, "searched": True},
    )


@login_required
@require_GET
def skill_row(request: HttpRequest) -> HttpResponse:
    """Return one new skill row for the picker, and the updated row count."""
    _employer(request, edit=True)
    try:
        skill_id = int(request.GET.get("add_skill", ""))
        index = int(request.GET.get(f"{SKILL_FORMSET_PREFIX}-TOTAL_FORMS", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Pick a skill from the search results."))
    skill = Skill.objects.filter(pk=skill_id).first()
    if skill is None or not 0 <= index < 1000:
        return HttpResponseBadRequest(_("Pick a skill from the search results."))
    row = SkillRequirementForm(
        initial={"skill": skill.pk}, prefix=f"{SKILL_FORMSET_PREFIX}-{index}"
    )
    context = {"row": row, "total": index + 1, "prefix": SKILL_FORMSET_PREFIX}
    return render(request, "vacancies/employer/_skill_row_added.html", context)


@login_required
@require_GET
def vacancy_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one vacancy to its employer, with its approved candidates."""
    tenant = tenant_for(request)
    vacancy = get_scoped_or_404(Vacancy, tenant, pk=pk)
    membership = _employer(request)
    approved = (
        scoped(Match, tenant)
        .filter(vacancy=vacancy, status=Match.Status.APPROVED)
        .select_related("applicant__user")
        .order_by("-score")
    )
    stages = {
        stage.match_id: stage
        for stage in scoped(CandidateStage, tenant).filter(vacancy=vacancy)
    }
    candidates = [
        {
            "match": match,
            "applicant": applicant_for_employer(
                applicant=match.applicant, organization=membership.organization
            ),
            "stage": stages.get(match.pk),
        }
        for match in approved
    ]
    counts = vacancy.matches.aggregate(
        proposed=Count("pk", filter=Q(status=Match.Status.PROPOSED))
    )
    context = {
        "vacancy": vacancy,
        "requirements": vacancy.skill_requirements.select_related("skill").order_by(
            "importance", "skill__name"
        ),
        "credentials": vacancy.required_credentials.all(),
        "candidates": candidates,
        "proposed_count": counts["proposed"],
        "can_edit": membership.role in EDITORS,
        "block_reason": organization_publish_block_reason(vacancy.employer),
        "stages": CandidateStage.Stage,
    }
    return render(request, "vacancies/employer/manage.html", context)


@login_required
@require_POST
def vacancy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_scoped_or_404(Vacancy, tenant_for(request), pk=pk)
    _employer(request, edit=True)
    if not vacancy.skill_requirements.exists():
        messages.error(
            request,
            _("Add at least one skill before publishing: MEX matches by skills."),
        )
        return redirect("vacancies:edit", pk=vacancy.pk)
    try:
        services.vacancy_publish(vacancy_id=vacancy.pk, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request,
            _("%(title)s is published. MEX is looking for candidates.")
            % {"title": vacancy.title},
        )
    return redirect("vacancies:manage", pk=vacancy.pk)


@login_required
@require_POST
def vacancy_close(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_scoped_or_404(Vacancy, tenant_for(request), pk=pk)
    _employer(request, edit=True)
    services.vacancy_close(vacancy_id=vacancy.pk, by=request.user)
    messages.success(request, _("%(title)s is closed.") % {"title": vacancy.title})
    return redirect("vacancies:manage", pk=vacancy.pk)


@login_required
@require_POST
def candidate_stage(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    """Mark an approved candidate interviewed or hired."""
    tenant = tenant_for(request)
    vacancy = get_scoped_or_404(Vacancy, tenant, pk=pk)
    match = get_scoped_or_404(
        Match.objects.filter(vacancy=vacancy), tenant, pk=match_pk
    )
    membership = _employer(request, edit=True)
    stage = request.POST.get("stage", "")
    try:
        services.candidate_stage_set(
            match_id=match.pk,
            organization=membership.organization,
            stage=stage,
            by=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        if stage == CandidateStage.Stage.HIRED:
            messages.success(request, _("Candidate hired. The vacancy is now filled."))
        else:
            messages.success(request, _("Candidate marked as interviewed."))
    return redirect("vacancies:manage", pk=vacancy.pk)
