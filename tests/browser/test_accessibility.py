"""Every main page passes axe-core's serious and critical WCAG 2.1 AA checks.

Ontario's AODA requires WCAG 2.1 AA of public web content. Each page is
checked in English and in French, as the role that reaches it, and saved as a
screenshot named after the page and language.
"""

from dataclasses import dataclass

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from badges.services import badge_issue
from tests.browser import axe_violations, describe_violations, save_screenshot
from tests.browser.session import choose_language, sign_in
from tests.colleges.factories import CompletedEnrolmentFactory, CourseFactory
from tests.factories import (
    ApplicantSkillFactory,
    MatchFactory,
    MembershipFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
    VacancySkillFactory,
)

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "fr")


@dataclass
class World:
    """One of each role, with the rows their pages list."""

    applicant: object
    employer_member: object
    college_member: object
    vacancy: object
    course: object
    assertion: object
    administrator: object


@pytest.fixture
def world(transactional_db) -> World:
    care = SkillFactory(name="Personal care")
    dementia = SkillFactory(name="Dementia care")
    vacancy = VacancyFactory(title="Personal support worker, nights")
    VacancySkillFactory(vacancy=vacancy, skill=care, min_level=3)
    VacancySkillFactory(vacancy=vacancy, skill=dementia, min_level=3)
    applicant = ApplicantSkillFactory(skill=care, level=3).profile
    applicant.headline = "PSW, 3 years in long-term care"
    applicant.save()
    MatchFactory(vacancy=vacancy, applicant=applicant)
    course = CourseFactory(title="Dementia Care Essentials")
    course.skills_taught.create(skill=dementia, level=3)
    college_member = MembershipFactory(organization=course.college)
    assertion = badge_issue(
        enrolment_id=CompletedEnrolmentFactory(course=course, applicant=applicant).pk
    )

    administrator = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(administrator, generate_totp_secret())

    return World(
        applicant=applicant,
        employer_member=MembershipFactory(organization=vacancy.employer),
        college_member=college_member,
        vacancy=vacancy,
        course=course,
        assertion=assertion,
        administrator=administrator,
    )


# (name, role signed in, function of the world returning the path)
PAGES = [
    ("home", None, lambda w: reverse("home")),
    ("vacancy_list", None, lambda w: reverse("vacancies:list")),
    (
        "vacancy_detail",
        None,
        lambda w: reverse("vacancies:detail", args=[w.vacancy.pk]),
    ),
    ("sign_in", None, lambda w: reverse("account_login")),
    ("sign_up", None, lambda w: reverse("account_signup")),
    ("password_reset", None, lambda w: reverse("account_reset_password")),
    (
        "badge_verify",
        None,
        lambda w: reverse("badges:verify", args=[w.assertion.public_id]),
    ),
    ("badge_verify_tool", None, lambda w: reverse("badges:verify_tool")),
    ("course_catalogue", None, lambda w: reverse("catalogue:list")),
    (
        "course_catalogue_search",
        "applicant",
        lambda w: reverse("catalogue:list") + "?q=dementia&level=3&sort=hours",
    ),
    (
        "course_detail",
        "applicant",
        lambda w: reverse("catalogue:detail", args=[w.course.pk]),
    ),
    ("applicant_profile", "applicant", lambda w: reverse("applicants:profile")),
    (
        "applicant_profile_edit",
        "applicant",
        lambda w: reverse("applicants:profile_edit"),
    ),
    ("applicant_matches", "applicant", lambda w: reverse("applicants:matches")),
    ("applicant_courses", "applicant", lambda w: reverse("applicants:courses")),
    ("applicant_badges", "applicant", lambda w: reverse("applicants:badges")),
    ("applicant_resume", "applicant", lambda w: reverse("applicants:resume")),
    ("employer_organization", "employer", lambda w: reverse("accounts:organization")),
    (
        "employer_dashboard",
        "employer",
        lambda w: reverse("vacancies:employer_dashboard"),
    ),
    ("employer_vacancy_new", "employer", lambda w: reverse("vacancies:create")),
    (
        "employer_vacancy_manage",
        "employer",
        lambda w: reverse("vacancies:manage", args=[w.vacancy.pk]),
    ),
    (
        "employer_vacancy_edit",
        "employer",
        lambda w: reverse("vacancies:edit", args=[w.vacancy.pk]),
    ),
    ("notifications", "applicant", lambda w: reverse("accounts:notifications")),
    ("admin_dashboard", "administrator", lambda w: reverse("admin_dashboard")),
    ("college_organization", "college", lambda w: reverse("accounts:organization")),
    ("college_courses", "college", lambda w: reverse("colleges:courses")),
    ("college_course_new", "college", lambda w: reverse("colleges:course_create")),
    (
        "college_course_enrolments",
        "college",
        lambda w: reverse("colleges:course_enrolments", args=[w.course.pk]),
    ),
    ("college_demand", "college", lambda w: reverse("colleges:demand")),
    ("college_badges", "college", lambda w: reverse("badges:college_badges")),
    (
        "college_badge_design",
        "college",
        lambda w: reverse("badges:college_design", args=[w.course.pk]),
    ),
]


def _user_of(world: World, role: str | None):
    return {
        None: None,
        "applicant": world.applicant.user,
        "employer": world.employer_member.user,
        "college": world.college_member.user,
        "administrator": world.administrator,
    }[role]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "role", "path_of"), PAGES, ids=[p[0] for p in PAGES])
def test_page_passes_axe(page, live_server, world, language, name, role, path_of):
    # given
    choose_language(page, live_server, language)
    user = _user_of(world, role)
    if user is not None:
        sign_in(page, live_server, user)

    # when
    response = page.goto(live_server.url + path_of(world))
    violations = axe_violations(page)
    save_screenshot(page, f"a11y_{name}_{language}")

    # then
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_catalogue_search_passes_axe(page, live_server, world, language):
    # given: a search whose skill and hours the form rejects
    choose_language(page, live_server, language)
    path = reverse("catalogue:list") + "?skill=abc&max_hours=0"

    # when
    response = page.goto(live_server.url + path)
    violations = axe_violations(page)
    save_screenshot(page, f"a11y_course_catalogue_invalid_{language}")

    # then
    assert response.status == 400
    assert page.get_by_role("alert").is_visible()
    assert violations == [], describe_violations(violations)
