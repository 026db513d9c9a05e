"""The MEX administrator dashboard: vacancies, hiring and the approval queue."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.selectors import organizations_pending_approval
from matching.models import Match
from mex.charts import bar_chart
from vacancies import selectors
from vacancies.models import Vacancy

MONTHS_SHOWN = 6


def dashboard_figures(*, today) -> dict:
    """Return the numbers the dashboard shows, from the whole exchange."""
    statuses = selectors.vacancy_status_counts()
    hires = selectors.hires()
    hire_count = hires.count()
    after_course = hires.filter(after_course=True).count()
    return {
        "statuses": statuses,
        "open": statuses[Vacancy.Status.OPEN],
        "filled": statuses[Vacancy.Status.FILLED],
        "median_days_to_fill": selectors.median_days_to_fill(),
        "filled_with_dates": len(selectors.days_to_fill()),
        "hires": hire_count,
        "hires_after_course": after_course,
        "after_course_share": after_course / hire_count if hire_count else None,
        "pending_organizations": organizations_pending_approval().count(),
        "proposed_matches": Match.objects.filter(status=Match.Status.PROPOSED).count(),
        "by_month": selectors.hires_by_month(months=MONTHS_SHOWN, today=today),
    }


def admin_dashboard(request: HttpRequest) -> HttpResponse:
    """Show the dashboard; mounted behind ``admin.site.admin_view`` (staff)."""
    from django.contrib import admin

    figures = dashboard_figures(today=timezone.localdate())
    status_labels = dict(Vacancy.Status.choices)
    charts = {
        "statuses": bar_chart(
            _("Vacancies by status"),
            [
                (str(status_labels[status]), count)
                for status, count in figures["statuses"].items()
            ],
        ),
        "queue": bar_chart(
            _("Waiting for an administrator"),
            [
                (_("Colleges to approve"), figures["pending_organizations"]),
                (_("Matches to review"), figures["proposed_matches"]),
            ],
            colour="#fd7e14",
        ),
        "hires": bar_chart(
            _("Hires per month"),
            [
                (formats.date_format(row["month"], "YEAR_MONTH_FORMAT"), row["total"])
                for row in figures["by_month"]
            ],
            colour="#198754",
        ),
    }
    context = {
        **admin.site.each_context(request),
        "title": _("MEX dashboard"),
        "figures": figures,
        "charts": charts,
        "status_labels": status_labels,
    }
    return TemplateResponse(request, "admin/mex_dashboard.html", context)
