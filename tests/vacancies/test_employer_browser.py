"""The employer pages in a real browser: the htmx skill picker and axe-core."""

import pytest
from django.conf import settings
from django.test import Client

from matching.models import Match
from tests.browser import axe_violations, describe_violations, save_screenshot
from tests.factories import (
    MatchFactory,
    MembershipFactory,
    SkillFactory,
    VacancyFactory,
)
from vacancies.models import Vacancy, VacancySkill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            }
        ]
    )


def test_skill_picker_adds_row_and_saves(page, live_server):
    # given
    membership = MembershipFactory()
    SkillFactory(name="Dementia care")
    _sign_in(page, live_server, membership.user)
    page.goto(f"{live_server.url}/vacancies/manage/new/")

    # when
    page.get_by_label("Job title").fill("Night PSW")
    page.get_by_label("Find a skill").press_sequentially("demen")
    page.get_by_role("button", name="Add Dementia care").click()
    page.get_by_label("Importance").select_option("preferred")
    save_screenshot(page, "vacancy_form_with_skill")
    page.get_by_role("button", name="Save vacancy").click()
    page.wait_for_url("**/vacancies/manage/*/")

    # then
    vacancy = Vacancy.objects.get()
    requirement = VacancySkill.objects.get(vacancy=vacancy)
    assert vacancy.title == "Night PSW"
    assert requirement.skill.name == "Dementia care"
    assert requirement.importance == "preferred"


def test_employer_pages_have_no_serious_violations(page, live_server):
    # given
    membership = MembershipFactory()
    vacancy = VacancyFactory(employer=membership.organization)
    MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    _sign_in(page, live_server, membership.user)
    paths = [
        "/vacancies/manage/",
        "/vacancies/manage/new/",
        f"/vacancies/manage/{vacancy.pk}/",
        f"/vacancies/{vacancy.pk}/",
        "/notifications/",
    ]

    # when
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        found[path] = axe_violations(page)

    # then
    for path, violations in found.items():
        assert violations == [], f"{path}: {describe_violations(violations)}"
