"""The worker's in-memory copies of scoring inputs follow the database."""

import datetime

import numpy as np
import pytest
from django.db import connection, transaction
from django.utils import timezone

from applicants.models import ApplicantSkill
from matching.loading import load_inputs, vacancies_within_reach
from matching.models import Match, ScoringInputChange, Skill
from matching.scoring import Weights
from matching.services import rescore_applicant, rescore_vacancy
from matching.snapshot import (
    forget_snapshots,
    skill_snapshot,
    taxonomy_snapshot,
    vacancy_snapshot,
)
from matching.tasks import run_nightly_matching
from tests.matching.factories import (
    ApplicantFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from tests.services import require_postgresql
from vacancies.models import Vacancy, VacancySkill

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_copy(settings):
    require_postgresql()
    settings.MATCHING_SNAPSHOT_MAX_AGE = 3600
    forget_snapshots()
    yield
    forget_snapshots()


def _database_levels() -> set[tuple[int, int, int]]:
    return set(ApplicantSkill.objects.values_list("profile_id", "skill_id", "level"))


def _copied_levels() -> set[tuple[int, int, int]]:
    levels = skill_snapshot().levels.tocoo()
    return set(
        zip(
            levels.row.tolist(),
            levels.col.tolist(),
            levels.data.astype(int).tolist(),
            strict=True,
        )
    )


def _exchange(seed: int, applicants: int = 40):
    rng = np.random.default_rng(seed)
    skills = [SkillFactory() for _ in range(8)]
    skills[0].related.add(skills[1])
    profiles = []
    for _ in range(applicants):
        profile = ApplicantFactory()
        for column in rng.choice(8, size=rng.integers(1, 5), replace=False):
            hold(profile, skills[int(column)], int(rng.integers(1, 6)))
        profiles.append(profile)
    vacancy = VacancyFactory()
    for column, level in ((0, 3), (2, 2), (5, 4)):
        require(vacancy, skills[column], level)
    return skills, profiles, vacancy


def test_copy_follows_inserts_updates_and_deletes():
    # given a copy read from the database
    skills, profiles, _ = _exchange(seed=1)
    assert _copied_levels() == _database_levels()

    # when skills are added, raised, removed and a profile is deleted
    hold(profiles[0], skills[7], 5)
    ApplicantSkill.objects.filter(profile=profiles[1]).update(level=1)
    ApplicantSkill.objects.filter(profile=profiles[2]).first().delete()
    profiles[3].delete()
    newcomer = ApplicantFactory()
    hold(newcomer, skills[4], 2)

    # then the next use of the copy contains exactly the committed rows
    assert _copied_levels() == _database_levels()


def test_copy_skips_rolled_back_change():
    # given a copy and a change that rolls back
    skills, profiles, _ = _exchange(seed=2)
    before = _copied_levels()
    inside = []

    def change_then_fail():
        with transaction.atomic():
            hold(profiles[0], skills[6], 5)
            inside.append(skill_snapshot())
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert inside == [None], "a copy must not be read inside a transaction"

    # then the copy is unchanged and still equals the database
    assert _copied_levels() == before == _database_levels()


def test_truncate_reads_everything_again():
    # given a copy
    _exchange(seed=3)
    skill_snapshot()

    # when the skills table is emptied without row triggers
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE applicants_applicantskill")

    # then the copy is empty too
    assert _copied_levels() == set() == _database_levels()


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_candidates_from_copy_equal_candidates_from_sql(seed, settings):
    # given an exchange and one vacancy
    settings.MATCHING_MIN_SCORE = 0.4
    _, _, vacancy = _exchange(seed=seed, applicants=60)
    weights = Weights.from_settings()

    # when its candidates are read from the copy and from SQL
    from_copy = load_inputs(
        vacancy_ids=[vacancy.pk], weights=weights, min_score=weights.min_score
    )
    settings.MATCHING_SNAPSHOT_MAX_AGE = 0
    from_sql = load_inputs(
        vacancy_ids=[vacancy.pk], weights=weights, min_score=weights.min_score
    )

    # then both hold the same applicants with the same levels
    assert len(from_sql.applicants.ids) > 0
    assert from_copy.applicants.ids.tolist() == from_sql.applicants.ids.tolist()
    difference = from_copy.applicants.levels - from_sql.applicants.levels
    assert difference.count_nonzero() == 0


def test_rescore_vacancy_same_with_and_without_copy(settings):
    # given an exchange scored with the copy
    settings.MATCHING_MIN_SCORE = 0.3
    _, _, vacancy = _exchange(seed=7, applicants=60)
    rescore_vacancy(vacancy_id=vacancy.pk)
    with_copy = set(Match.objects.values_list("applicant_id", "score"))

    # when scored again without it
    Match.objects.all().delete()
    settings.MATCHING_SNAPSHOT_MAX_AGE = 0
    rescore_vacancy(vacancy_id=vacancy.pk)

    # then the stored matches are the same
    assert with_copy
    assert set(Match.objects.values_list("applicant_id", "score")) == with_copy


def test_nightly_run_prunes_old_changes(settings):
    # given a change logged two days ago and one logged now
    settings.MATCHING_CHANGE_LOG_DAYS = 1
    ScoringInputChange.objects.all().delete()
    now = timezone.now()
    ScoringInputChange.objects.create(
        kind=ScoringInputChange.Kind.APPLICANT,
        object_id=1,
        transaction_id=1,
        changed_at=now - datetime.timedelta(days=2),
    )
    ScoringInputChange.objects.create(
        kind=ScoringInputChange.Kind.VACANCY,
        object_id=2,
        transaction_id=2,
        changed_at=now,
    )

    # when the nightly task runs
    run_nightly_matching()

    # then only the recent change is left
    assert list(ScoringInputChange.objects.values_list("object_id", flat=True)) == [2]


def _database_requirements() -> set[tuple[int, int, int, bool]]:
    return {
        (vacancy_id, skill_id, level, importance == "required")
        for vacancy_id, skill_id, level, importance in VacancySkill.objects.filter(
            vacancy__status=Vacancy.Status.OPEN
        ).values_list("vacancy_id", "skill_id", "min_level", "importance")
    }


def _copied_requirements() -> set[tuple[int, int, int, bool]]:
    copy = vacancy_snapshot()
    return set(
        zip(
            copy.vacancy_ids.tolist(),
            copy.skill_ids.tolist(),
            copy.min_levels.tolist(),
            copy.required.tolist(),
            strict=True,
        )
    )


def test_vacancy_copy_follows_requirements_and_status():
    # given a copy of open vacancies' requirements
    skills, _, vacancy = _exchange(seed=8)
    other = VacancyFactory()
    require(other, skills[3], 2, "preferred")
    assert _copied_requirements() == _database_requirements()

    # when a requirement is added and one raised, a vacancy closes, one is
    # deleted and a new one is published
    require(vacancy, skills[7], 5, "preferred")
    VacancySkill.objects.filter(vacancy=vacancy, skill=skills[0]).update(min_level=5)
    Vacancy.objects.filter(pk=other.pk).update(status=Vacancy.Status.CLOSED)
    doomed = VacancyFactory()
    require(doomed, skills[1])
    assert _copied_requirements() == _database_requirements()
    doomed.delete()
    newcomer = VacancyFactory()
    require(newcomer, skills[6], 1)

    # then the next use of the copy contains exactly the open vacancies' rows
    assert _copied_requirements() == _database_requirements()
    assert other.pk not in {row[0] for row in _copied_requirements()}


@pytest.mark.parametrize("seed", [9, 10])
def test_vacancies_within_reach_from_copy_equal_sql(seed, settings):
    # given many vacancies and applicants
    settings.MATCHING_MIN_SCORE = 0.35
    rng = np.random.default_rng(seed)
    skills, profiles, _ = _exchange(seed=seed, applicants=15)
    for _ in range(30):
        vacancy = VacancyFactory()
        for column in rng.choice(8, size=rng.integers(1, 5), replace=False):
            require(
                vacancy,
                skills[int(column)],
                int(rng.integers(1, 6)),
                str(rng.choice(["required", "preferred"])),
            )
    weights = Weights.from_settings()

    for profile in profiles:
        # when each applicant's vacancies within reach come from the copy
        # and from SQL
        settings.MATCHING_SNAPSHOT_MAX_AGE = 3600
        from_copy = vacancies_within_reach(profile_id=profile.pk, weights=weights)
        settings.MATCHING_SNAPSHOT_MAX_AGE = 0
        from_sql = vacancies_within_reach(profile_id=profile.pk, weights=weights)

        # then they are the same vacancies
        assert from_copy == from_sql


def test_rescore_applicant_same_with_and_without_copies(settings):
    # given an exchange scored once, and a profile that then changes
    settings.MATCHING_MIN_SCORE = 0.3
    settings.MATCHING_TOP_K = 5
    skills, profiles, vacancy = _exchange(seed=11, applicants=60)
    rescore_vacancy(vacancy_id=vacancy.pk)
    hold(profiles[0], skills[5], 5)
    hold(profiles[0], skills[2], 4)
    before = set(Match.objects.values_list("applicant_id", "score", "status"))

    # when re-scored with the copies
    rescore_applicant(profile_id=profiles[0].pk)
    with_copies = set(Match.objects.values_list("applicant_id", "score", "status"))

    # and again from the same start without them
    Match.objects.all().delete()
    settings.MATCHING_SNAPSHOT_MAX_AGE = 0
    ApplicantSkill.objects.filter(profile=profiles[0], skill=skills[5]).delete()
    ApplicantSkill.objects.filter(profile=profiles[0], skill=skills[2]).delete()
    rescore_vacancy(vacancy_id=vacancy.pk)
    assert set(Match.objects.values_list("applicant_id", "score", "status")) == before
    hold(profiles[0], skills[5], 5)
    hold(profiles[0], skills[2], 4)
    rescore_applicant(profile_id=profiles[0].pk)

    # then both stored the same matches
    assert with_copies != before
    assert set(Match.objects.values_list("applicant_id", "score", "status")) == (
        with_copies
    )


def test_taxonomy_copy_follows_renames_and_links():
    # given a copy of the taxonomy
    skills = [SkillFactory() for _ in range(3)]
    copy = taxonomy_snapshot()
    assert copy.names[skills[0].pk] == skills[0].name

    # when a skill is renamed and two skills are related
    Skill.objects.filter(pk=skills[0].pk).update(name="Wound care")
    skills[1].related.add(skills[2])

    # then the next use of the copy has both
    copy = taxonomy_snapshot()
    assert copy.names[skills[0].pk] == "Wound care"
    assert copy.related[skills[1].pk] == {skills[2].pk}
    assert copy.related[skills[2].pk] == {skills[1].pk}
