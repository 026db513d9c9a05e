"""College staff pages for the badges their college issued.

Every row comes through ``accounts.tenancy``: a user who does not act for a
college, and a badge or course of another college, both get 404.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organization
from accounts.tenancy import get_scoped_or_404, scoped, tenant_for
from badges import links
from badges.csv_files import CsvFileError, parse_award_csv, write_issued_badges_csv
from badges.forms import BadgeDesignForm, BulkAwardForm, RevokeForm
from badges.models import Assertion
from badges.services import (
    BulkAwardError,
    badge_bulk_award,
    badge_class_design_update,
    badge_class_for_course,
    badge_revoke,
)
from badges.views import assertion_status
from colleges.models import Course

logger = logging.getLogger(__name__)


def _college_tenant(request: HttpRequest):
    tenant = tenant_for(request)
    organization = tenant.organization
    if organization is None or organization.kind != Organization.Kind.COLLEGE:
        raise Http404("Only college staff have badge pages.")
    return tenant


def _issued(tenant):
    return (
        scoped(Assertion, tenant)
        .filter(badge_class__college=tenant.organization)
        .select_related("badge_class__course", "recipient__user")
        .order_by("-issued_on", "-pk")
    )


def _courses(tenant):
    return scoped(Course, tenant).exclude(status=Course.Status.DRAFT)


@login_required
@require_safe
def issued_badges(request: HttpRequest) -> HttpResponse:
    tenant = _college_tenant(request)
    form = BulkAwardForm(courses=_courses(tenant))
    return _render_issued(request, tenant, form)


def _render_issued(request, tenant, form, row_errors=(), status=200):
    context = {
        "college": tenant.organization,
        "assertions": _issued(tenant)[:200],
        "form": form,
        "row_errors": row_errors,
    }
    return render(request, "badges/college_badges.html", context, status=status)


@login_required
@require_safe
def issued_badges_csv(request: HttpRequest) -> HttpResponse:
    tenant = _college_tenant(request)
    rows = [
        {
            "badge_id": assertion.public_id,
            "course": assertion.badge_class.name,
            "recipient_name": assertion.recipient.user.display_name,
            "recipient_email": assertion.recipient.user.email,
            "issued_on": assertion.issued_on.isoformat(),
            "status": assertion_status(assertion),
            "revoked_at": assertion.revoked_at.isoformat()
            if assertion.revoked_at
            else "",
            "revocation_reason": assertion.revocation_reason,
            "verification_url": links.verify_url(assertion),
        }
        for assertion in _issued(tenant).iterator()
    ]
    logger.info(
        "User %s exported %s badges of college %s",
        request.user.pk,
        len(rows),
        tenant.organization.pk,
    )
    filename = f"badges-{tenant.organization.slug}-{timezone.localdate()}.csv"
    response = HttpResponse(
        "\ufeff" + write_issued_badges_csv(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def bulk_award(request: HttpRequest) -> HttpResponse:
    tenant = _college_tenant(request)
    form = BulkAwardForm(request.POST, request.FILES, courses=_courses(tenant))
    if not form.is_valid():
        return _render_issued(request, tenant, form, status=400)

    course = form.cleaned_data["course"]
    try:
        rows, row_errors = parse_award_csv(form.cleaned_data["file"].read())
        assertions = badge_bulk_award(
            course_id=course.pk, rows=rows, row_errors=row_errors, by=request.user
        )
    except CsvFileError as error:
        form.add_error("file", str(error))
        return _render_issued(request, tenant, form, status=400)
    except BulkAwardError as error:
        return _render_issued(
            request, tenant, form, row_errors=error.row_errors, status=400
        )
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, str(error))
        return _render_issued(request, tenant, form, status=400)

    messages.success(
        request,
        ngettext(
            "%(count)s badge of %(course)s awarded.",
            "%(count)s badges of %(course)s awarded.",
            len(assertions),
        )
        % {"count": len(assertions), "course": course.title},
    )
    return redirect("badges:college_badges")


@login_required
def revoke(request: HttpRequest, public_id) -> HttpResponse:
    tenant = _college_tenant(request)
    queryset = scoped(Assertion, tenant).filter(
        badge_class__college=tenant.organization
    )
    assertion = get_scoped_or_404(queryset, tenant, public_id=public_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        badge_revoke(
            assertion_id=assertion.pk,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("The badge is revoked."))
        return redirect("badges:college_badges")
    return render(
        request, "badges/college_revoke.html", {"assertion": assertion, "form": form}
    )


@login_required
def design(request: HttpRequest, course_id: int) -> HttpResponse:
    """Let college staff choose how a course's badges look."""
    tenant = _college_tenant(request)
    course = get_scoped_or_404(Course, tenant, pk=course_id)
    badge_class = badge_class_for_course(course_id=course.pk)
    initial = {
        "primary_colour": badge_class.primary_colour,
        "icon": badge_class.icon,
        "tagline": badge_class.tagline,
    }
    form = BadgeDesignForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            badge_class_design_update(
                badge_class_id=badge_class.pk,
                primary_colour=form.cleaned_data["primary_colour"],
                icon=form.cleaned_data["icon"],
                tagline=form.cleaned_data["tagline"],
                image=form.cleaned_data["image"],
                remove_image=form.cleaned_data["remove_image"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The badge design is saved."))
            return redirect("badges:college_design", course_id=course.pk)
    context = {"course": course, "badge_class": badge_class, "form": form}
    return render(request, "badges/college_design.html", context)
