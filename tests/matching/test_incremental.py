"""Re-ranking after one applicant changes gives the matches a full run gives."""

import random

import pytest

from applicants.models import ApplicantSkill
from matching.models import Match
from matching.services import (
    _outsider_may_enter,
    match_approve,
    match_reject,
    rescore_applicant,
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

pytestmark = pytest.mark.django_db

TOP_K = 3


@pytest.fixture(autouse=True)
def _weights(settings):
    settings.MATCHING_MIN_SCORE = 0.5
    settings.MATCHING_TOP_K = TOP_K
    settings.MATCHING_STRICT = False


def _exchange(rng: random.Random):
    skills = [SkillFactory() for _ in range(5)]
    skills[0].related.add(skills[1])
    vacancies = []
    for index in range(6):
        vacancy = VacancyFactory(region="ON" if index % 3 else "QC")
        for skill in rng.sample(skills, rng.randint(1, 3)):
            require(
                vacancy,
                skill,
                rng.randint(1, 5),
                rng.choice(["required"] * 2 + ["preferred"]),
            )
        vacancies.append(vacancy)
    applicants = []
    for _ in range(30):
        applicant = ApplicantFactory(region=rng.choice(["ON", "ON", "QC"]))
        for skill in rng.sample(skills, rng.randint(1, 3)):
            hold(applicant, skill, rng.randint(1, 5))
        applicants.append(applicant)
    return skills, applicants


def _change(rng: random.Random, applicant, skills) -> None:
    kind = rng.choice(["level", "level", "drop", "add", "availability"])
    held = list(ApplicantSkill.objects.filter(profile=applicant))
    if kind == "level" and held:
        row = rng.choice(held)
        row.level = rng.randint(1, 5)
        row.save()
    elif kind == "drop" and held:
        rng.choice(held).delete()
    elif kind == "availability":
        applicant.open_to_work = not applicant.open_to_work
        applicant.save()
    else:
        hold(applicant, rng.choice(skills), rng.randint(1, 5))


def _snapshot() -> set[tuple]:
    rows = Match.objects.values_list(
        "vacancy_id",
        "applicant_id",
        "status",
        "score",
        "stars",
        "required_met",
        "required_total",
        "explanation",
    )
    return {(*row[:-1], repr(row[-1])) for row in rows}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_rescore_applicant_equals_full_run(seed):
    # given an exchange matched in full, with some matches decided
    rng = random.Random(seed)
    skills, applicants = _exchange(rng)
    run_full_matching()
    administrator = AdministratorFactory()
    proposed = list(Match.objects.filter(status=Match.Status.PROPOSED))
    for match in rng.sample(proposed, min(2, len(proposed))):
        match_approve(match_id=match.pk, user=administrator)
    for match in rng.sample(
        list(Match.objects.filter(status=Match.Status.PROPOSED)), 1
    ):
        match_reject(match_id=match.pk, user=administrator)

    for _ in range(25):
        # when one applicant changes and is re-scored alone
        applicant = rng.choice(applicants)
        _change(rng, applicant, skills)
        rescore_applicant(profile_id=applicant.pk)
        incremental = _snapshot()

        # then a full run finds nothing to change
        full = run_full_matching()
        assert full.matches_created == 0
        assert full.matches_updated == 0
        assert full.matches_withdrawn == 0
        assert _snapshot() == incremental


def test_rescore_applicant_leaving_full_top_k():
    # given a vacancy with one more qualifying applicant than places
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicants = [ApplicantFactory() for _ in range(TOP_K + 1)]
    for level, applicant in zip([5, 5, 4, 3], applicants, strict=True):
        hold(applicant, skill, level)
    run_full_matching()
    waiting = applicants[-1]

    # when one in the top K loses the skill
    ApplicantSkill.objects.filter(profile=applicants[0]).delete()
    rescore_applicant(profile_id=applicants[0].pk)

    # then the one outside the stored set takes the freed place
    match = Match.objects.get(vacancy=vacancy, applicant=waiting)
    assert match.status == Match.Status.PROPOSED


@pytest.mark.parametrize(
    ("new_score", "previous", "others", "expected"),
    [
        ([0.9], None, [0.8, 0.7, 0.6], False),
        ([], ("proposed", 0.9), [0.8], False),
        ([], ("proposed", 0.9), [0.8, 0.7], True),
        ([0.95], ("proposed", 0.9), [0.8, 0.7], False),
        ([0.75], ("proposed", 0.9), [0.8, 0.7], False),
        ([0.6], ("proposed", 0.9), [0.8, 0.7], True),
        ([0.75], ("approved", 0.9), [0.8, 0.7], False),
        ([0.6], ("rejected", 0.6), [0.8, 0.7], True),
    ],
)
def test_outsider_may_enter(new_score, previous, others, expected):
    # given scores with applicant id 5 for the changed one, others from 10 up
    other_ids = list(range(10, 10 + len(others)))

    # when
    result = _outsider_may_enter(
        changed=(new_score, 5),
        other_scores=others,
        other_ids=other_ids,
        previous=previous,
        top_k=TOP_K,
    )

    # then
    assert result is expected
