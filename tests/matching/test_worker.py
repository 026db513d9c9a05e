"""Matching through a real Celery worker on Redis and PostgreSQL."""

import pytest
from django.core.management import call_command

from matching.models import Match, MatchingRun
from tests.matching.factories import (
    ApplicantFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from tests.worker import celery_worker  # noqa: F401
from vacancies.models import Vacancy
from vacancies.services import vacancy_publish

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair():
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)
    return vacancy, applicant


def test_run_matching_through_worker(celery_worker, pair, capsys):  # noqa: F811
    # given
    vacancy, applicant = pair

    # when
    call_command("run_matching", timeout=120)

    # then
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.SUCCEEDED
    assert run.task_id
    assert Match.objects.filter(vacancy=vacancy, applicant=applicant).exists()
    assert "1 created" in capsys.readouterr().out


def test_publish_rescored_by_worker(celery_worker, pair):  # noqa: F811
    # given
    vacancy, applicant = pair
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)

    # when
    vacancy_publish(vacancy_id=vacancy.pk)

    # then
    celery_worker.wait_for(
        lambda: Match.objects.filter(vacancy=vacancy, applicant=applicant).exists(),
        timeout=60,
    )
    assert MatchingRun.objects.get().scope == MatchingRun.Scope.VACANCY
