"""Concurrent matching runs on PostgreSQL."""

import threading

import pytest
from django.db import connection

from matching.models import Match, MatchingRun
from matching.services import rescore_vacancy, run_full_matching
from tests.matching.factories import (
    ApplicantFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from tests.services import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _in_threads(*functions):
    """Run each function in its own thread and connection; re-raise errors."""
    errors = []
    start = threading.Barrier(len(functions))

    def run(function):
        try:
            start.wait()
            function()
        except Exception as error:  # re-raised in the test thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]


@pytest.fixture
def exchange(settings):
    require_postgresql()
    settings.MATCHING_MIN_SCORE = 0.3
    skills = [SkillFactory() for _ in range(4)]
    vacancies = []
    for index in range(6):
        vacancy = VacancyFactory()
        require(vacancy, skills[index % 4], 3)
        require(vacancy, skills[(index + 1) % 4], 2, "preferred")
        vacancies.append(vacancy)
    for index in range(30):
        applicant = ApplicantFactory()
        hold(applicant, skills[index % 4], 1 + index % 5)
    return vacancies


def test_two_full_runs_do_not_duplicate(exchange):
    # when
    _in_threads(run_full_matching, run_full_matching)

    # then
    runs = list(MatchingRun.objects.all())
    pairs = list(Match.objects.values_list("vacancy_id", "applicant_id"))
    assert all(run.status == MatchingRun.Status.SUCCEEDED for run in runs)
    assert len(pairs) == len(set(pairs))
    assert sum(run.matches_created for run in runs) == len(pairs)
    assert sum(run.matches_unchanged for run in runs) == len(pairs)


def test_full_run_and_vacancy_rescore_together(exchange):
    # given
    vacancy = exchange[0]

    # when
    _in_threads(run_full_matching, lambda: rescore_vacancy(vacancy_id=vacancy.pk))

    # then
    pairs = list(Match.objects.values_list("vacancy_id", "applicant_id"))
    assert len(pairs) == len(set(pairs))
    assert Match.objects.filter(vacancy=vacancy).exists()
