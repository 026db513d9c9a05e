"""Open vacancies close by themselves once their closing date has passed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from matching.models import Match
from tests.factories import MatchFactory, VacancyFactory
from vacancies.models import Vacancy
from vacancies.services import close_vacancies_past_closing_date
from vacancies.tasks import close_vacancies_past_closing_date as closing_task

pytestmark = pytest.mark.django_db


def _days_from_today(days: int):
    return timezone.localdate() + timedelta(days=days)


def test_vacancy_closes_day_after_closing_date():
    past = VacancyFactory(closes_on=_days_from_today(-1))
    today = VacancyFactory(closes_on=_days_from_today(0))
    undated = VacancyFactory(closes_on=None)

    closed = close_vacancies_past_closing_date()

    assert closed == [past.pk]
    past.refresh_from_db()
    assert past.status == Vacancy.Status.CLOSED
    assert past.closed_at is not None
    for vacancy in (today, undated):
        vacancy.refresh_from_db()
        assert vacancy.status == Vacancy.Status.OPEN


def test_closing_withdraws_proposed_matches_only():
    vacancy = VacancyFactory(closes_on=_days_from_today(-3))
    proposed = MatchFactory(vacancy=vacancy, status=Match.Status.PROPOSED)
    approved = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)

    close_vacancies_past_closing_date()

    proposed.refresh_from_db()
    approved.refresh_from_db()
    assert proposed.status == Match.Status.WITHDRAWN
    assert approved.status == Match.Status.APPROVED


def test_drafts_and_filled_vacancies_left_alone():
    draft = VacancyFactory(status=Vacancy.Status.DRAFT, closes_on=_days_from_today(-1))
    filled = VacancyFactory(
        status=Vacancy.Status.FILLED, closes_on=_days_from_today(-1)
    )

    closed = close_vacancies_past_closing_date()

    assert closed == []
    draft.refresh_from_db()
    filled.refresh_from_db()
    assert draft.status == Vacancy.Status.DRAFT
    assert filled.status == Vacancy.Status.FILLED


def test_second_run_closes_nothing_more():
    VacancyFactory(closes_on=_days_from_today(-1))
    close_vacancies_past_closing_date()

    assert close_vacancies_past_closing_date() == []


def test_task_closes_and_is_scheduled_daily():
    vacancy = VacancyFactory(closes_on=_days_from_today(-1))

    closed = closing_task.apply().get()

    assert closed == [vacancy.pk]
    schedule = settings.CELERY_BEAT_SCHEDULE["vacancies-close-past-closing-date"]
    assert schedule["task"] == closing_task.name
