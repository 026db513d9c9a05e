"""The public course catalogue: search published courses and see one of them.

Anyone may read these pages. Courses come from ``colleges.catalogue``, which
returns only published courses of approved colleges; the signed-in
applicant's own enrolments come through ``accounts.tenancy``. Enrolling
posts to ``applicants:course_enrol``.
"""

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.tenancy import scoped, tenant_for
from colleges.catalogue import catalogue_course, catalogue_courses
from colleges.catalogue_forms import (
    CatalogueSearchForm,
    ascii_digits_value,
    format_error_value,
    is_ascii_digits,
)
from colleges.models import Enrolment

PAGE_SIZE = 20


class PageNumberError(ValueError):
    """A page number in the query string that names no page of the results."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def _page(paginator: Paginator, raw: str | None) -> Page:
    """Return the page numbered ``raw``; the first one when it is empty."""
    text = (raw or "").strip()
    if not text:
        return paginator.page(1)
    value_text = format_error_value(raw)
    if not is_ascii_digits(text):
        raise PageNumberError(
            _("Page %(value)s is not a number: pages are numbered from 1.")
            % {"value": value_text},
            status=400,
        )
    last = paginator.num_pages
    number = ascii_digits_value(text, limit=last)
    if number == 0:
        raise PageNumberError(
            _("Page %(value)s does not exist: pages are numbered from 1.")
            % {"value": value_text},
            status=400,
        )
    if number is None:
        raise PageNumberError(
            ngettext(
                "Page %(value)s does not exist: the courses found fit on "
                "%(count)d page.",
                "Page %(value)s does not exist: the courses found fit on "
                "%(count)d pages.",
                last,
            )
            % {"value": value_text, "count": last},
            status=404,
        )
    return paginator.page(number)


def _own_statuses(request: HttpRequest, course_ids) -> dict[int, str]:
    """Return the applicant's enrolment status in each course not withdrawn."""
    tenant = tenant_for(request)
    if tenant.applicant is None:
        return {}
    rows = (
        scoped(Enrolment, tenant)
        .filter(applicant=tenant.applicant, course_id__in=list(course_ids))
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list("course_id", "status")
    )
    return dict(rows)


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """List the published courses of approved colleges, searched and paginated.

    An invalid filter returns 400 and a page past the last one returns 404,
    each with a message that names the value.
    """
    form = CatalogueSearchForm(request.GET)
    page = None
    page_error = ""
    status = 200
    if form.is_valid():
        paginator = Paginator(catalogue_courses(form.filters()), PAGE_SIZE)
        try:
            page = _page(paginator, request.GET.get("page"))
        except PageNumberError as error:
            page_error = error.message
            status = error.status
        else:
            courses = list(page)
            statuses = _own_statuses(request, [course.pk for course in courses])
            for course in courses:
                course.own_status = statuses.get(course.pk, "")
    else:
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "page_error": page_error,
        "query": query.urlencode(),
    }
    return render(request, "colleges/catalogue.html", context, status=status)


@require_safe
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one published course of an approved college; any other is 404."""
    course = catalogue_course(pk)
    if course is None:
        raise Http404("No such course.")
    course.own_status = _own_statuses(request, [course.pk]).get(course.pk, "")
    return render(request, "colleges/catalogue_course.html", {"course": course})
