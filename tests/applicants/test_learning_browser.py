"""Learning pages in a real browser: htmx enrolment under the CSP, and axe-core."""

import pytest
from django.conf import settings
from django.test import Client

from colleges.models import Enrolment
from tests.browser import axe_violations, describe_violations
from tests.colleges.factories import CourseFactory, MembershipFactory
from tests.factories import (
    ApplicantFactory,
    MatchFactory,
    SkillFactory,
    VacancyFactory,
    VacancySkillFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def gap_with_course():
    applicant = ApplicantFactory()
    skill = SkillFactory(name="Dementia care")
    vacancy = VacancyFactory()
    VacancySkillFactory(vacancy=vacancy, skill=skill, min_level=3)
    MatchFactory(applicant=applicant, vacancy=vacancy)
    course = CourseFactory(title="Dementia Care Essentials")
    course.skills_taught.create(skill=skill, level=3)
    return applicant, course


def test_enrol_button_swaps_in_place(page, live_server, gap_with_course):
    # given
    applicant, course = gap_with_course
    _sign_in(page, live_server, applicant.user)
    page.goto(live_server.url + "/me/matches/")
    # A full page load would drop this marker; an htmx swap keeps it.
    page.evaluate("window.mexMarker = 'same page'")

    # when
    page.get_by_role("button", name="Enrol in Dementia Care Essentials").click()
    page.get_by_role("status").filter(has_text="Enrolled").wait_for()

    # then
    assert page.evaluate("window.mexMarker") == "same page"
    assert Enrolment.objects.filter(applicant=applicant, course=course).exists()


def test_matches_page_passes_axe(page, live_server, gap_with_course):
    applicant, _course = gap_with_course
    _sign_in(page, live_server, applicant.user)
    page.goto(live_server.url + "/me/matches/")

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("path", ["/colleges/courses/", "/colleges/demand/"])
def test_college_pages_pass_axe(page, live_server, gap_with_course, path):
    _applicant, course = gap_with_course
    staff = MembershipFactory(organization=course.college)
    _sign_in(page, live_server, staff.user)
    page.goto(live_server.url + path)

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)


def test_course_page_passes_axe(page, live_server, gap_with_course):
    _applicant, course = gap_with_course
    staff = MembershipFactory(organization=course.college)
    _sign_in(page, live_server, staff.user)
    page.goto(f"{live_server.url}/colleges/courses/{course.pk}/")

    violations = axe_violations(page)

    assert violations == [], describe_violations(violations)
