"""The job seeker's learning pages: courses, badges and résumé.

Rows owned by the applicant come through ``accounts.tenancy``; courses come
from the public catalogue selector, which returns only published courses of
approved colleges.
"""

import logging
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from accounts.tenancy import Tenant, get_scoped_or_404, scoped, tenant_for
from applicants.forms import ResumeForm
from applicants.models import Resume
from applicants.resume_pdf import build_resume_pdf
from applicants.resumes import resume_delete, resume_replace
from badges import selectors as badge_selectors
from badges.models import Assertion, Portfolio
from badges.views import assertion_status
from colleges.catalogue import public_courses
from colleges.models import Enrolment
from colleges.services import enrolment_enrol, enrolment_withdraw
from matching.models import Match

logger = logging.getLogger(__name__)

PROGRESS_STEPS = 4


def _applicant_tenant(request: HttpRequest) -> Tenant:
    tenant = tenant_for(request)
    if tenant.applicant is None:
        raise Http404("Only job seekers have learning pages.")
    return tenant


def _own_enrolments(tenant: Tenant):
    return scoped(Enrolment, tenant).filter(applicant=tenant.applicant)


def enrolment_progress(enrolment: Enrolment) -> int:
    """Return how many of the four steps an enrolment has reached.

    The steps are: enrolled, course started, course completed, badge issued.
    """
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return 0
    steps = 1
    start = enrolment.course.start_date
    if start is None or start <= timezone.localdate():
        steps += 1
    if enrolment.status == Enrolment.Status.COMPLETED:
        steps = 3
        if getattr(enrolment, "assertion", None) is not None:
            steps = 4
    return steps


@login_required
@require_safe
def courses(request: HttpRequest) -> HttpResponse:
    """List the applicant's courses with their status and progress."""
    tenant = _applicant_tenant(request)
    enrolments = list(
        _own_enrolments(tenant)
        .select_related("course__college", "assertion")
        .order_by("status", "-enrolled_at")
    )
    for enrolment in enrolments:
        enrolment.progress = enrolment_progress(enrolment)
    context = {"enrolments": enrolments, "progress_steps": PROGRESS_STEPS}
    return render(request, "applicants/courses.html", context)


def _back(request: HttpRequest, default: str) -> str:
    """Return the posted ``next`` when it is a page of this site, else ``default``.

    A ``next`` on another host or scheme is rejected, and so is the address
    of the request itself, because the enrol address accepts only POST.
    """
    target = request.POST.get("next", "")
    if not target or urlsplit(target).path == request.path:
        return default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol the applicant in a public course in one click.

    An htmx request gets the updated button back; a plain form post is sent
    back to the page it came from with a message. A visitor who is not
    signed in is sent to sign in, and then back to the page the form was on.
    """
    if not request.user.is_authenticated:
        return _sign_in_to_enrol(request, pk)
    tenant = _applicant_tenant(request)
    course = get_public_course_or_404(pk)
    error = ""
    try:
        enrolment_enrol(applicant_id=tenant.applicant.pk, course_id=course.pk)
    except ValidationError as failure:
        error = _course_error(course, failure)
    enrolled = _own_enrolments(tenant).filter(
        course=course, status=Enrolment.Status.ENROLLED
    )
    if request.htmx:
        context = {
            "course": course,
            "enrolled": enrolled.exists(),
            "error": error,
            # The fragment's own form posts here again, so its ``next`` must
            # stay the page the button is on, not this address.
            "next_url": _back(request, reverse("catalogue:detail", args=[pk])),
        }
        return render(request, "applicants/_enrol_button.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("You are enrolled in %(title)s.") % {"title": course.title}
        )
    return redirect(_back(request, "applicants:courses"))


def _sign_in_to_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Redirect to the sign-in page, returning to the page of the enrol form.

    ``login_required`` would return to the enrol address itself, which
    accepts only POST, so the visitor would land on a 405 after signing in.
    """
    back = _back(request, reverse("catalogue:detail", args=[pk]))
    sign_in = redirect_to_login(back)
    if request.htmx:
        # htmx would follow a plain redirect and swap the sign-in page into
        # the button, so HX-Redirect makes it load the page instead.
        return HttpResponseClientRedirect(sign_in["Location"])
    return sign_in


def _course_error(course, failure: ValidationError) -> str:
    # enrolment_enrol states the reason in its message; the applicant gets a
    # translated sentence for the reasons they can act on.
    reason = " ".join(failure.messages)
    if "is full" in reason:
        return ngettext(
            "%(title)s is full: its %(capacity)s place is taken.",
            "%(title)s is full: all %(capacity)s places are taken.",
            course.capacity,
        ) % {
            "title": course.title,
            "capacity": course.capacity,
        }
    if "already enrolled" in reason:
        return _("You are already enrolled in %(title)s.") % {"title": course.title}
    return _("You could not be enrolled in %(title)s. Try again later.") % {
        "title": course.title
    }


def get_public_course_or_404(pk: int):
    course = public_courses().filter(pk=pk).first()
    if course is None:
        raise Http404("No such course.")
    return course


@login_required
@require_POST
def enrolment_withdraw_own(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _applicant_tenant(request)
    enrolment = get_scoped_or_404(_own_enrolments(tenant), tenant, pk=pk)
    try:
        # The applicant acts on their own row, reached through tenancy above,
        # so no college membership is checked.
        enrolment_withdraw(enrolment_id=enrolment.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You left %(title)s.") % {"title": enrolment.course.title},
        )
    return redirect("applicants:courses")


@login_required
@require_safe
def badges(request: HttpRequest) -> HttpResponse:
    """List the applicant's badges, pathway progress and public portfolio.

    Each badge has its status (valid, expired or revoked), its verification
    page and its baked PNG to download.
    """
    tenant = _applicant_tenant(request)
    assertions = (
        scoped(Assertion, tenant)
        .filter(recipient=tenant.applicant)
        .select_related("badge_class__college")
        .order_by("-issued_on")
    )
    context = {
        "badges": [
            (assertion, assertion_status(assertion)) for assertion in assertions
        ],
        "progress": badge_selectors.pathway_progress(tenant.applicant.pk),
        "portfolio": scoped(Portfolio, tenant).first(),
    }
    return render(request, "applicants/badges.html", context)


@login_required
def resume(request: HttpRequest) -> HttpResponse:
    """Show, upload or replace the applicant's résumé PDF."""
    tenant = _applicant_tenant(request)
    current = scoped(Resume, tenant).filter(profile=tenant.applicant).first()
    form = ResumeForm()
    status = 200
    if request.method == "POST":
        form = ResumeForm(request.POST, request.FILES)
        if form.is_valid():
            resume_replace(profile=tenant.applicant, upload=form.cleaned_data["file"])
            messages.success(request, _("Your résumé was uploaded."))
            return redirect("applicants:resume")
        status = 400
    context = {"resume": current, "form": form}
    return render(request, "applicants/resume.html", context, status=status)


@login_required
@require_POST
def resume_remove(request: HttpRequest) -> HttpResponse:
    tenant = _applicant_tenant(request)
    resume_delete(profile=tenant.applicant)
    messages.success(request, _("Your résumé was deleted."))
    return redirect("applicants:resume")


def _pdf_response(resume_row: Resume, filename: str) -> FileResponse:
    response = FileResponse(
        resume_row.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def resume_file(request: HttpRequest) -> HttpResponse:
    """Send the applicant their own uploaded résumé."""
    tenant = _applicant_tenant(request)
    own = get_scoped_or_404(Resume, tenant, profile=tenant.applicant)
    return _pdf_response(own, "resume.pdf")


@login_required
@require_safe
def resume_for_match(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an employer the résumé of the applicant of one approved match.

    The match must be on one of the employer's vacancies and approved, and
    the applicant must have consented to share; otherwise 404.
    """
    tenant = tenant_for(request)
    match = get_scoped_or_404(Match, tenant, pk=pk, status=Match.Status.APPROVED)
    if (
        tenant.organization is None
        or match.vacancy.employer_id != tenant.organization.pk
    ):
        raise Http404("No such match.")
    shared = get_scoped_or_404(Resume, tenant, profile_id=match.applicant_id)
    logger.info(
        "User %s of organization %s downloaded the résumé of applicant %s",
        request.user.pk,
        tenant.organization.pk,
        match.applicant_id,
    )
    name = slugify(match.applicant.user.display_name) or "applicant"
    return _pdf_response(shared, f"resume-{name}.pdf")


@login_required
@require_safe
def resume_generated(request: HttpRequest) -> HttpResponse:
    """Send the applicant a résumé PDF built from their MEX profile."""
    tenant = _applicant_tenant(request)
    profile = tenant.applicant
    response = HttpResponse(build_resume_pdf(profile), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="mex-resume.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
