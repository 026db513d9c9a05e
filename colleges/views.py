"""College staff pages: the course catalogue, enrolments and completions.

Every row comes through ``accounts.tenancy``: a user who does not act for a
college, and a course or enrolment of another college, both get 404.
"""

import logging
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organization
from accounts.selectors import (
    organization_can_publish,
    organization_publish_block_reason,
)
from accounts.services import InvitationError
from accounts.tenancy import (
    Tenant,
    forget_tenant,
    get_scoped_or_404,
    scoped,
    tenant_for,
)
from colleges import courses as course_services
from colleges import invitations
from colleges.catalogue import course_seats_taken, skill_demand_for_college
from colleges.charts import demand_chart
from colleges.csv_files import CsvFileError, parse_enrolment_csv
from colleges.forms import (
    CompletionForm,
    CourseForm,
    CourseSkillFormSet,
    EnrolmentCsvForm,
    EnrolStudentForm,
)
from colleges.models import Course, CourseSkill, Enrolment, EnrolmentInvitation
from colleges.services import enrolment_complete, enrolment_withdraw

logger = logging.getLogger(__name__)


def _college_tenant(request: HttpRequest) -> Tenant:
    tenant = tenant_for(request)
    organization = tenant.organization
    if organization is None or organization.kind != Organization.Kind.COLLEGE:
        raise Http404("Only college staff have course pages.")
    return tenant


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_safe
def course_list(request: HttpRequest) -> HttpResponse:
    tenant = _college_tenant(request)
    courses = scoped(Course, tenant).prefetch_related("skills_taught__skill")
    context = {
        "college": tenant.organization,
        "courses": courses.order_by("status", "title"),
        "block_reason": organization_publish_block_reason(tenant.organization),
    }
    return render(request, "colleges/course_list.html", context)


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    tenant = _college_tenant(request)
    return _course_form(request, tenant, Course(college=tenant.organization))


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    return _course_form(request, tenant, course)


def _course_form(request: HttpRequest, tenant: Tenant, course: Course):
    is_new = course.pk is None
    data = request.POST if request.method == "POST" else None
    form = CourseForm(data, instance=course)
    skills_queryset = (
        scoped(CourseSkill, tenant).none()
        if is_new
        else scoped(CourseSkill, tenant).filter(course=course).select_related("skill")
    )
    formset = CourseSkillFormSet(
        data, instance=course, queryset=skills_queryset, prefix="skills"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = course_services.course_save(
                college=tenant.organization,
                by=request.user,
                values=form.cleaned_data,
                skills=formset.levels(),
                course=None if is_new else course,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(title)s was saved.") % {"title": saved})
            return redirect("colleges:course_enrolments", pk=saved.pk)
    context = {
        "form": form,
        "formset": formset,
        "course": None if is_new else course,
        "college": tenant.organization,
        "block_reason": organization_publish_block_reason(tenant.organization),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "colleges/course_form.html", context, status=status)


@login_required
@require_POST
def course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    try:
        course_services.course_publish(course=course, by=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(
            request,
            _("%(title)s is published: job seekers can now find it.")
            % {"title": course.title},
        )
    return redirect("colleges:course_enrolments", pk=course.pk)


@login_required
@require_POST
def course_archive(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    course_services.course_archive(course=course, by=request.user)
    messages.success(
        request,
        _("%(title)s is archived: it takes no new enrolments.")
        % {"title": course.title},
    )
    return redirect("colleges:courses")


def _active_enrolments(tenant: Tenant, course: Course):
    return (
        scoped(Enrolment, tenant)
        .filter(course=course, status=Enrolment.Status.ENROLLED)
        .select_related("applicant__user")
        .order_by("applicant__user__email")
    )


def _render_enrolments(
    request: HttpRequest,
    tenant: Tenant,
    course: Course,
    *,
    enrol_form=None,
    csv_form=None,
    completion_form=None,
    row_errors=(),
    status: int = 200,
) -> HttpResponse:
    enrolments = (
        scoped(Enrolment, tenant)
        .filter(course=course)
        .select_related("applicant__user", "assertion")
        .order_by("status", "applicant__user__email")
    )
    pending = (
        scoped(EnrolmentInvitation, tenant)
        .filter(course=course, accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("email")
    )
    active = _active_enrolments(tenant, course)
    context = {
        "college": tenant.organization,
        "course": course,
        "skills": course.skills_taught.select_related("skill").order_by("skill__name"),
        "enrolments": enrolments,
        "invitations": pending,
        "seats_taken": course_seats_taken(course),
        "can_publish": organization_can_publish(tenant.organization),
        "block_reason": organization_publish_block_reason(tenant.organization),
        "enrol_form": enrol_form or EnrolStudentForm(),
        "csv_form": csv_form or EnrolmentCsvForm(),
        "completion_form": completion_form or CompletionForm(enrolments=active),
        "row_errors": row_errors,
        "now": timezone.now(),
    }
    return render(request, "colleges/course_enrolments.html", context, status=status)


@login_required
@require_safe
def course_enrolments(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    return _render_enrolments(request, tenant, course)


def _report_enrolled(request: HttpRequest, result: invitations.EnrolmentResult):
    enrolled, invited = len(result.enrolled), len(result.invited)
    parts = []
    if enrolled or not invited:
        parts.append(
            ngettext(
                "%(count)s student enrolled.",
                "%(count)s students enrolled.",
                enrolled,
            )
            % {"count": enrolled}
        )
    if invited:
        parts.append(
            ngettext(
                "%(count)s student invited by email.",
                "%(count)s students invited by email.",
                invited,
            )
            % {"count": invited}
        )
    messages.success(request, " ".join(parts))


@login_required
@require_POST
def enrol_student(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    form = EnrolStudentForm(request.POST)
    if not form.is_valid():
        return _render_enrolments(request, tenant, course, enrol_form=form, status=400)
    rows = [(1, form.cleaned_data["email"])]
    try:
        result = invitations.students_enrol(course=course, rows=rows, by=request.user)
    except invitations.EnrolmentRowsError as error:
        for row_error in error.row_errors:
            form.add_error("email", row_error.message)
        return _render_enrolments(request, tenant, course, enrol_form=form, status=400)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_enrolments(request, tenant, course, enrol_form=form, status=400)
    _report_enrolled(request, result)
    return redirect("colleges:course_enrolments", pk=course.pk)


@login_required
@require_POST
def enrol_csv(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    form = EnrolmentCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_enrolments(request, tenant, course, csv_form=form, status=400)
    try:
        rows, row_errors = parse_enrolment_csv(form.cleaned_data["file"].read())
        if row_errors:
            raise invitations.EnrolmentRowsError(row_errors)
        result = invitations.students_enrol(course=course, rows=rows, by=request.user)
    except CsvFileError as error:
        form.add_error("file", str(error))
        return _render_enrolments(request, tenant, course, csv_form=form, status=400)
    except invitations.EnrolmentRowsError as error:
        return _render_enrolments(
            request,
            tenant,
            course,
            csv_form=form,
            row_errors=sorted(error.row_errors, key=lambda row: row.line),
            status=400,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_enrolments(request, tenant, course, csv_form=form, status=400)
    _report_enrolled(request, result)
    return redirect("colleges:course_enrolments", pk=course.pk)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    invitation = get_scoped_or_404(EnrolmentInvitation, tenant, pk=pk)
    invitations.enrolment_invitation_revoke(invitation=invitation, by=request.user)
    messages.success(
        request,
        _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
    )
    return redirect("colleges:course_enrolments", pk=invitation.course_id)


def _completed_at(completed_on) -> datetime:
    if completed_on is None or completed_on == timezone.localdate():
        return timezone.now()
    # A past day without a time: record the completion at noon that day.
    return timezone.make_aware(datetime.combine(completed_on, time(12)))


@login_required
@require_POST
def enrolments_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the ticked enrolments completed; their badges are issued on commit.

    All or nothing: if one enrolment cannot be completed, none is.
    """
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=pk)
    form = CompletionForm(request.POST, enrolments=_active_enrolments(tenant, course))
    if not form.is_valid():
        return _render_enrolments(
            request, tenant, course, completion_form=form, status=400
        )
    completed_at = _completed_at(form.cleaned_data["completed_on"])
    chosen = list(form.cleaned_data["enrolments"])
    try:
        with transaction.atomic():
            for enrolment in chosen:
                enrolment_complete(
                    enrolment_id=enrolment.pk,
                    completed_at=completed_at,
                    by=request.user,
                )
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        return _render_enrolments(
            request, tenant, course, completion_form=form, status=400
        )
    messages.success(
        request,
        ngettext(
            "%(count)s enrolment completed; its badge is being issued.",
            "%(count)s enrolments completed; their badges are being issued.",
            len(chosen),
        )
        % {"count": len(chosen)},
    )
    return redirect("colleges:course_enrolments", pk=course.pk)


@login_required
@require_POST
def enrolment_complete_one(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    enrolment = get_scoped_or_404(
        scoped(Enrolment, tenant).filter(course__college=tenant.organization),
        tenant,
        pk=pk,
    )
    already_completed = enrolment.status == Enrolment.Status.COMPLETED
    try:
        enrolment_complete(enrolment_id=enrolment.pk, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        # A double submit or a replayed form reaches here too: the service is
        # idempotent, and the message must not announce a second badge.
        if already_completed:
            message = _("%(name)s already completed the course on %(date)s.") % {
                "name": enrolment.applicant,
                "date": date_format(timezone.localdate(enrolment.completed_at)),
            }
        else:
            message = _("%(name)s completed the course; the badge is being issued.") % {
                "name": enrolment.applicant
            }
        messages.success(request, message)
    return redirect("colleges:course_enrolments", pk=enrolment.course_id)


@login_required
@require_POST
def enrolment_withdraw_one(request: HttpRequest, pk: int) -> HttpResponse:
    tenant = _college_tenant(request)
    enrolment = get_scoped_or_404(
        scoped(Enrolment, tenant).filter(course__college=tenant.organization),
        tenant,
        pk=pk,
    )
    try:
        enrolment_withdraw(enrolment_id=enrolment.pk, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("%(name)s was withdrawn from the course.")
            % {"name": enrolment.applicant},
        )
    return redirect("colleges:course_enrolments", pk=enrolment.course_id)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show an enrolment invitation; on POST enrol the signed-in student.

    Anyone holding the link sees the course; only the invited address, once
    signed in, can accept. A person without an account signs up first and
    comes back to this page.
    """
    try:
        invitation = invitations.enrolment_invitation_check(token)
    except InvitationError as error:
        return _invitation_invalid(request, error)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            enrolment = invitations.enrolment_invitation_accept(
                token=token, user=request.user
            )
        except InvitationError as error:
            return _invitation_invalid(request, error)
        except ValidationError as error:
            _show_errors(request, error)
            return redirect("colleges:invitation_accept", token=token)
        forget_tenant(request)
        messages.success(
            request,
            _("You are enrolled in %(title)s.") % {"title": enrolment.course.title},
        )
        return redirect("applicants:courses")
    context = {"invitation": invitation, "course": invitation.course}
    return render(request, "colleges/invitation_accept.html", context)


def _invitation_invalid(request: HttpRequest, error) -> HttpResponse:
    statuses = {"expired": 410, "used": 410, "revoked": 410, "wrong_user": 403}
    return render(
        request,
        "colleges/invitation_invalid.html",
        {"reason": error.messages[0], "code": error.code},
        status=statuses.get(error.code, 404),
    )


@login_required
@require_safe
def demand(request: HttpRequest) -> HttpResponse:
    """Show which skills open vacancies ask for and which the college teaches."""
    tenant = _college_tenant(request)
    rows = skill_demand_for_college(college=tenant.organization)
    context = {
        "college": tenant.organization,
        "rows": rows,
        "chart": demand_chart(rows),
    }
    return render(request, "colleges/demand.html", context)
