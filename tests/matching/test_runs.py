"""Re-running matching: idempotence and the rules for decided matches."""

import pytest
from django.core.management import call_command
from django.db.models import TextField
from django.db.models.functions import Cast

from matching.explanations import canonical
from matching.models import Match, MatchingRun
from matching.services import (
    match_approve,
    match_reject,
    rescore_applicant,
    rescore_vacancy,
    run_full_matching,
)
from tests.matching.factories import (
    AdministratorFactory,
    ApplicantFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from vacancies.models import Vacancy
from vacancies.services import vacancy_close

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weights(settings):
    settings.MATCHING_MIN_SCORE = 0.5
    settings.MATCHING_TOP_K = 10
    settings.MATCHING_STRICT = False


@pytest.fixture
def pair():
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)
    return vacancy, applicant, skill


def test_rerun_changes_nothing(pair):
    # given
    first = run_full_matching()
    before = list(Match.objects.values())

    # when
    second = run_full_matching()

    # then
    assert first.matches_created == 1
    assert second.matches_created == 0
    assert second.matches_updated == 0
    assert second.matches_unchanged == 1
    assert list(Match.objects.values()) == before


def test_run_records_counts(pair):
    # when
    run = run_full_matching()

    # then
    assert run.status == MatchingRun.Status.SUCCEEDED
    assert run.vacancies_scored == 1
    assert run.applicants_scored == 1
    assert run.started_at <= run.finished_at


def test_changed_level_updates_row(pair):
    # given
    _vacancy, applicant, skill = pair
    run_full_matching()

    # when
    hold(applicant, skill, 2)
    run = run_full_matching()

    # then
    match = Match.objects.get()
    assert run.matches_updated == 1
    assert match.score == 0.5
    assert Match.objects.count() == 1


def test_lost_skill_withdraws(pair):
    # given
    _vacancy, applicant, _skill = pair
    run_full_matching()

    # when
    applicant.skill_levels.all().delete()
    run = run_full_matching()

    # then
    assert run.matches_withdrawn == 1
    assert Match.objects.get().status == Match.Status.WITHDRAWN


def test_withdrawn_match_proposed_again(pair):
    # given
    _vacancy, applicant, skill = pair
    run_full_matching()
    applicant.skill_levels.all().delete()
    run_full_matching()

    # when
    hold(applicant, skill, 3)
    run_full_matching()

    # then
    assert Match.objects.get().status == Match.Status.PROPOSED


def test_closed_vacancy_withdraws(pair):
    # given
    vacancy, _applicant, _skill = pair
    run_full_matching()

    # when
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED)
    run = run_full_matching()

    # then
    assert run.matches_withdrawn == 1
    assert Match.objects.get().status == Match.Status.WITHDRAWN


def test_rejected_never_resurrected(pair):
    # given
    _vacancy, applicant, skill = pair
    run_full_matching()
    match_reject(match_id=Match.objects.get().pk, user=AdministratorFactory())

    # when
    hold(applicant, skill, 5)
    run_full_matching()

    # then
    assert Match.objects.get().status == Match.Status.REJECTED


def test_approved_kept_when_no_longer_qualifying(pair):
    # given
    _vacancy, applicant, _skill = pair
    run_full_matching()
    match_approve(match_id=Match.objects.get().pk, user=AdministratorFactory())

    # when
    applicant.skill_levels.all().delete()
    run = run_full_matching()

    # then
    match = Match.objects.get()
    assert match.status == Match.Status.APPROVED
    assert run.matches_withdrawn == 0


def test_approved_untouched_by_rescore(pair):
    # given
    _vacancy, applicant, skill = pair
    run_full_matching()
    approved = match_approve(
        match_id=Match.objects.get().pk, user=AdministratorFactory()
    )

    # when
    hold(applicant, skill, 2)
    run_full_matching()

    # then
    match = Match.objects.get()
    assert match.score == approved.score
    assert match.decided_by_id == approved.decided_by_id


def test_rescore_vacancy_scores_one(pair):
    # given
    vacancy, _applicant, skill = pair
    other = VacancyFactory()
    require(other, skill, 3)

    # when
    run = rescore_vacancy(vacancy_id=vacancy.pk)

    # then
    assert run.scope == MatchingRun.Scope.VACANCY
    assert list(Match.objects.values_list("vacancy_id", flat=True)) == [vacancy.pk]


def test_rescore_applicant_finds_new_vacancies(pair):
    # given
    _vacancy, applicant, _skill = pair
    run_full_matching()
    extra = SkillFactory()
    later = VacancyFactory()
    require(later, extra, 3)

    # when
    hold(applicant, extra, 3)
    run = rescore_applicant(profile_id=applicant.pk)

    # then
    assert run.matches_created == 1
    assert Match.objects.filter(vacancy=later, applicant=applicant).exists()


def test_rescore_applicant_withdraws_lost(pair):
    # given
    _vacancy, applicant, _skill = pair
    run_full_matching()

    # when
    applicant.skill_levels.all().delete()
    run = rescore_applicant(profile_id=applicant.pk)

    # then
    assert run.matches_withdrawn == 1


def test_rescore_applicant_keeps_top_k(settings, pair):
    # given a vacancy whose one place is taken by a better applicant
    settings.MATCHING_TOP_K = 1
    _vacancy, best, skill = pair
    hold(best, skill, 5)
    newcomer = ApplicantFactory()
    run_full_matching()

    # when the newcomer gains the skill at a lower level
    hold(newcomer, skill, 3)
    rescore_applicant(profile_id=newcomer.pk)

    # then
    assert list(Match.objects.values_list("applicant_id", flat=True)) == [best.pk]


def test_vacancy_close_withdraws(pair):
    # given
    vacancy, _applicant, _skill = pair
    run_full_matching()

    # when
    vacancy_close(vacancy_id=vacancy.pk)

    # then
    assert Match.objects.get().status == Match.Status.WITHDRAWN


def test_run_matching_command_prints_counts(pair, capsys):
    # when
    call_command("run_matching")

    # then
    output = capsys.readouterr().out
    assert "1 created, 0 updated, 0 unchanged, 0 withdrawn" in output


def test_run_matching_command_for_vacancy(pair, capsys):
    # given
    vacancy, _applicant, _skill = pair

    # when
    call_command("run_matching", vacancy=vacancy.pk)

    # then
    assert MatchingRun.objects.get().scope == MatchingRun.Scope.VACANCY


def test_stored_explanation_text_is_canonical(pair):
    # given a skill name with characters that JSON escapes or keeps
    skill = pair[2]
    skill.name = 'Soins "palliatifs" à domicile'
    skill.save()

    # when
    run_full_matching()

    # then the database prints the text MEX wrote, so digests compare equal
    stored = Match.objects.annotate(text=Cast("explanation", TextField())).get()
    assert stored.text == canonical(stored.explanation)
