"""The administrator dashboard shows figures computed from known data."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import Organization
from colleges.models import Enrolment
from matching.models import Match
from mex.charts import bar_chart
from mex.dashboard import dashboard_figures
from tests.colleges.factories import CourseFactory
from tests.factories import CollegeFactory, MatchFactory, VacancyFactory
from vacancies.models import CandidateStage, Vacancy

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
TODAY = date(2026, 6, 15)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TORONTO)


def _filled(days: int, hired_on: date, *, course_before: bool = False):
    published = _at(hired_on) - timedelta(days=days)
    vacancy = VacancyFactory(
        status=Vacancy.Status.FILLED, published_at=published, filled_at=_at(hired_on)
    )
    match = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    CandidateStage.objects.create(
        vacancy=vacancy, match=match, stage="hired", at=_at(hired_on)
    )
    if course_before:
        Enrolment.objects.create(
            applicant=match.applicant,
            course=CourseFactory(),
            status=Enrolment.Status.COMPLETED,
            completed_at=_at(hired_on) - timedelta(days=3),
        )
    return match


@pytest.fixture
def known_data():
    # Three filled vacancies took 10, 20 and 40 days to fill, so the median is 20.
    _filled(10, date(2026, 6, 1), course_before=True)
    _filled(20, date(2026, 5, 20))
    late = _filled(40, date(2026, 4, 2))
    # A course completed after the hire does not count as a placement after it.
    Enrolment.objects.create(
        applicant=late.applicant,
        course=CourseFactory(),
        status=Enrolment.Status.COMPLETED,
        completed_at=_at(date(2026, 4, 10)),
    )
    open_vacancy, _other = VacancyFactory.create_batch(2, status=Vacancy.Status.OPEN)
    VacancyFactory(status=Vacancy.Status.DRAFT)
    MatchFactory.create_batch(4, vacancy=open_vacancy)
    CollegeFactory(approval_status=Organization.Approval.PENDING, approved_at=None)


def test_figures_on_known_data(known_data):
    figures = dashboard_figures(today=TODAY)

    assert figures["open"] == 2
    assert figures["filled"] == 3
    assert figures["statuses"]["draft"] == 1
    assert figures["median_days_to_fill"] == pytest.approx(20)
    assert figures["hires"] == 3
    assert figures["hires_after_course"] == 1
    assert figures["pending_organizations"] == 1
    assert figures["proposed_matches"] == 4


def test_hires_by_month_on_known_data(known_data):
    figures = dashboard_figures(today=TODAY)

    by_month = {row["month"]: row for row in figures["by_month"]}
    assert list(by_month) == [date(2026, month, 1) for month in range(1, 7)]
    assert by_month[date(2026, 6, 1)]["total"] == 1
    assert by_month[date(2026, 6, 1)]["after_course"] == 1
    assert by_month[date(2026, 5, 1)]["total"] == 1
    assert by_month[date(2026, 4, 1)]["after_course"] == 0


def test_median_is_none_without_filled_vacancies():
    assert dashboard_figures(today=TODAY)["median_days_to_fill"] is None


def test_page_shows_charts_and_tables(admin_client_with_mfa, known_data):
    response = admin_client_with_mfa.get(reverse("admin_dashboard"))

    assert response.status_code == 200
    assert response.text.count('<svg role="img"') == 3
    assert '<td data-figure="open">2</td>' in response.text
    assert '<td data-figure="proposed">4</td>' in response.text
    assert "<script" not in response.text.split('id="content-main"')[1]


def test_admin_index_links_the_dashboard(admin_client_with_mfa):
    response = admin_client_with_mfa.get(reverse("admin:index"))

    assert reverse("admin_dashboard") in response.text


def test_page_is_for_staff_only(client, employer_member):
    client.force_login(employer_member.user)

    response = client.get(reverse("admin_dashboard"))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))


def test_chart_scales_bars_to_largest():
    chart = bar_chart("Test", [("a", 5), ("b", 10), ("c", 0)])

    widths = [bar.width for bar in chart.bars]
    assert widths[1] == max(widths)
    assert widths[0] == pytest.approx(widths[1] / 2)
    assert widths[2] == 0


def test_chart_labels_are_escaped(admin_client_with_mfa, settings):
    from django.template.loader import render_to_string

    chart = bar_chart("<b>x</b>", [("<script>", 1)])

    html = render_to_string("admin/_bar_chart.html", {"chart": chart, "id": "c"})

    assert "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
