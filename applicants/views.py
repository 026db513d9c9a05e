"""The job seeker's own pages: profile, onboarding and matches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.tenancy import scoped, tenant_for
from applicants import onboarding
from applicants.forms import ProfileForm, SkillLevelFormSet
from applicants.models import ApplicantProfile, ApplicantSkill
from colleges.catalogue import gaps_for_matches
from colleges.models import Enrolment
from matching.models import Match
from mex.pagecache import cached_page


def _own_profile(request: HttpRequest) -> ApplicantProfile:
    """Return the signed-in job seeker's profile, read once with the tenant."""
    tenant = tenant_for(request)
    if tenant.applicant is None:
        raise Http404("Only job seekers have a profile.")
    return tenant.applicant


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    own = _own_profile(request)
    skills = (
        scoped(ApplicantSkill, tenant_for(request))
        .select_related("skill")
        .order_by("skill__name")
    )
    return render(
        request, "applicants/profile.html", {"profile": own, "skills": skills}
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit the profile and skill levels. The first visit is the onboarding."""
    own = _own_profile(request)
    tenant = tenant_for(request)
    queryset = scoped(ApplicantSkill, tenant).select_related("skill")
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=own)
    formset = SkillLevelFormSet(data, instance=own, queryset=queryset, prefix="skills")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        levels = {}
        for skill_form in formset.forms:
            cleaned = skill_form.cleaned_data
            if cleaned and cleaned.get("skill") and not cleaned.get("DELETE"):
                levels[cleaned["skill"]] = cleaned["level"]
        onboarding.profile_save(
            profile=own,
            headline=form.cleaned_data["headline"],
            location=form.cleaned_data["location"],
            consent_to_share=form.cleaned_data["consent_to_share"],
            open_to_work=form.cleaned_data["open_to_work"],
            levels=levels,
            credentials=form.cleaned_data["credentials"],
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("applicants:profile")
    context = {"form": form, "formset": formset, "profile": own}
    return render(request, "applicants/profile_form.html", context)


@cached_page
@login_required
def matches(request: HttpRequest) -> HttpResponse:
    """List the applicant's matches, best first, each with its explanation.

    Under each match, every missing or partly met skill lists the public
    courses that teach it, with a one-click enrol button.
    """
    own = _own_profile(request)
    tenant = tenant_for(request)
    own_matches = list(
        scoped(Match, tenant)
        .exclude(status=Match.Status.WITHDRAWN)
        .select_related("vacancy__employer")
        .order_by("-score", "pk")
    )
    for match, learning in zip(own_matches, gaps_for_matches(own_matches), strict=True):
        match.learning = learning
    enrolled = set(
        scoped(Enrolment, tenant)
        .filter(applicant=own, status=Enrolment.Status.ENROLLED)
        .values_list("course_id", flat=True)
    )
    context = {"profile": own, "matches": own_matches, "enrolled_course_ids": enrolled}
    return render(request, "applicants/matches.html", context)
