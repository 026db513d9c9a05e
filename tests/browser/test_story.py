"""The whole MEX story in a real browser, one role per browser context.

1. An employer posts a vacancy.
2. A job seeker signs up with most but not all of its skills.
3. Matching proposes the match and names the missing skill.
4. An administrator approves it in Django admin, past a second factor.
5. Both sides are notified.
6. The seeker enrols in a course that teaches the missing skill.
7. The college marks it complete, and the badge is issued.
8. The re-scoring that completion enqueues scores the seeker higher.
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Notification
from badges.models import Assertion
from matching.models import Match
from tests.browser import save_screenshot
from tests.browser.session import sign_in
from tests.colleges.factories import CourseFactory
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
    VacancySkillFactory,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SEEKER_EMAIL = "amina.okafor@example.org"
VACANCY_TITLE = "Personal support worker, long-term care"
SKILLS = ("Personal care", "Infection prevention and control", "Dementia care")
COURSE_TITLE = "Dementia Care Essentials"


@pytest.fixture
def cast(transactional_db):
    """The rows that exist before the story: skills, people and a course."""
    skills = {name: SkillFactory(name=name) for name in SKILLS}
    employer = MembershipFactory(
        organization=OrganizationFactory(name="Lakeview Long-Term Care"),
        user=UserFactory(email="hiring@lakeview.example.org", password=PASSWORD),
    )
    course = CourseFactory(title=COURSE_TITLE)
    course.skills_taught.create(skill=skills["Dementia care"], level=3)
    college = MembershipFactory(organization=course.college)
    # A second open vacancy with the same skills, from another employer. Its
    # match stays proposed, and only proposed matches are re-scored (decided
    # ones keep the explanation the administrator saw).
    other = VacancyFactory(title="Personal support worker, days")
    for skill in skills.values():
        VacancySkillFactory(vacancy=other, skill=skill, min_level=3)
    administrator = UserFactory(
        email="admin@mex.example.org",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    secret = generate_totp_secret()
    TOTP.activate(administrator, secret)

    return {
        "employer": employer,
        "college": college,
        "course": course,
        "other_vacancy": other,
        "administrator": administrator,
        "totp_secret": secret,
    }


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en")
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in_with_form(page, live_server, email: str) -> None:
    page.goto(live_server.url + reverse("account_login"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def _totp_code(secret: str) -> str:
    """Return the current code of an authenticator app holding ``secret``."""
    counters = list(yield_hotp_counters_from_time())
    current = counters[len(counters) // 2]

    return format_hotp_value(hotp_value(secret, current))


def _employer_posts_vacancy(page, live_server) -> None:
    page.goto(live_server.url + reverse("vacancies:create"))
    page.get_by_label("Job title").fill(VACANCY_TITLE)
    page.get_by_label("City or address").fill("Hamilton, ON")
    skill_rows = page.locator("select[name$='-min_level']")
    for added, name in enumerate(SKILLS, start=1):
        page.fill("#id_skill_query", name)
        page.get_by_role("button", name="Search skills").click()
        page.get_by_role("button", name=f"Add {name}", exact=True).click()
        # The row arrives through htmx; the next search must wait for it, or
        # a slow response lands after the results it replaced.
        expect(skill_rows).to_have_count(added)
    save_screenshot(page, "story_01_vacancy_form")
    page.get_by_role("button", name="Save vacancy").last.click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    save_screenshot(page, "story_02_vacancy_published")


def _seeker_signs_up(page, live_server) -> None:
    page.goto(live_server.url + reverse("account_signup"))
    page.fill("input[name=email]", SEEKER_EMAIL)
    page.fill("input[name=first_name]", "Amina")
    page.fill("input[name=last_name]", "Okafor")
    page.get_by_label("I am looking for work").check()
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.press("input[name=password2]", "Enter")
    page.wait_for_load_state()

    confirmation = next(m for m in mail.outbox if SEEKER_EMAIL in m.to)
    link = re.search(r"https?://\S+/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(live_server.url + link[link.index("/accounts/") :])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _seeker_lists_skills(page, live_server) -> None:
    page.goto(live_server.url + reverse("applicants:profile_edit"))
    page.get_by_label("Headline").fill("PSW, 3 years in long-term care")
    page.get_by_label("Where you want to work").fill("Hamilton, ON")
    page.locator("#id_consent_to_share").check()
    for row, name in enumerate(SKILLS[:2]):
        page.select_option(f"#id_skills-{row}-skill", label=name)
        page.select_option(f"#id_skills-{row}-level", value="3")
    save_screenshot(page, "story_03_profile_form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _administrator_approves(page, live_server, cast, vacancy_title: str) -> None:
    _sign_in_with_form(page, live_server, cast["administrator"].email)
    page.fill("input[name=code]", _totp_code(cast["totp_secret"]))
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("admin:matching_match_changelist"))
    row = page.locator("#result_list tbody tr", has_text=vacancy_title)
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve_selected")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    save_screenshot(page, "story_05_admin_approved")


def test_story(browser, live_server, cast):
    employer = _new_page(browser)
    seeker = _new_page(browser)
    administrator = _new_page(browser)
    college = _new_page(browser)

    # given: the employer posts a vacancy with three required skills
    _sign_in_with_form(employer, live_server, cast["employer"].user.email)
    _employer_posts_vacancy(employer, live_server)
    assert employer.get_by_text(VACANCY_TITLE).first.is_visible()

    # when: a job seeker signs up with two of the three skills
    _seeker_signs_up(seeker, live_server)
    _seeker_lists_skills(seeker, live_server)

    # then: matching proposes the vacancy and names the missing skill
    match = Match.objects.get(vacancy__title=VACANCY_TITLE)
    assert match.status == Match.Status.PROPOSED
    assert (match.required_met, match.required_total) == (2, 3)
    seeker.goto(live_server.url + reverse("applicants:matches"))
    save_screenshot(seeker, "story_04_matches_with_gap")
    card = seeker.locator("article, .card", has_text=VACANCY_TITLE).first
    assert card.get_by_text("2 of 3 required skills").is_visible()
    assert card.get_by_text(COURSE_TITLE).first.is_visible()

    # when: an administrator approves the match in Django admin
    _administrator_approves(administrator, live_server, cast, VACANCY_TITLE)

    # then: the match is approved and both sides are notified
    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED
    seeker.goto(live_server.url + reverse("accounts:notifications"))
    save_screenshot(seeker, "story_06_seeker_notified")
    assert seeker.get_by_text(f"You were matched with {VACANCY_TITLE}").is_visible()
    employer.goto(live_server.url + reverse("accounts:notifications"))
    save_screenshot(employer, "story_07_employer_notified")
    assert employer.get_by_text(f"A new candidate for {VACANCY_TITLE}").is_visible()
    assert Notification.objects.count() >= 2
    subjects = [message.subject for message in mail.outbox]
    assert any(VACANCY_TITLE in subject for subject in subjects)

    # when: the seeker enrols in the course that teaches the missing skill
    score_before = Match.objects.get(vacancy=cast["other_vacancy"]).score
    seeker.goto(live_server.url + reverse("applicants:matches"))
    card = seeker.locator("article, .card", has_text=VACANCY_TITLE).first
    card.get_by_role("button", name=f"Enrol in {COURSE_TITLE}").first.click()
    card.get_by_text("Enrolled").first.wait_for()
    save_screenshot(seeker, "story_08_enrolled")

    # and: the college marks the course complete
    sign_in(college, live_server, cast["college"].user)
    college.goto(
        live_server.url
        + reverse("colleges:course_enrolments", args=[cast["course"].pk])
    )
    college.get_by_role("button", name="Mark completed").first.click()
    college.wait_for_load_state()
    save_screenshot(college, "story_09_completed")

    # then: the badge is issued and verifies
    assertion = Assertion.objects.get(enrolment__applicant__user__email=SEEKER_EMAIL)
    seeker.goto(live_server.url + reverse("badges:verify", args=[assertion.public_id]))
    save_screenshot(seeker, "story_10_badge")
    assert seeker.get_by_text(COURSE_TITLE).first.is_visible()
    assert seeker.get_by_text("Valid").first.is_visible()

    # and: the next matching run scores the seeker higher
    other = Match.objects.get(vacancy=cast["other_vacancy"])
    assert other.score > score_before
    assert other.required_met == 3
    seeker.goto(live_server.url + reverse("applicants:matches"))
    save_screenshot(seeker, "story_11_matches_after_badge")
    assert seeker.get_by_text("3 of 3 required skills").first.is_visible()

    for page in (employer, seeker, administrator, college):
        page.context.close()
