"""Scoring rules, checked end to end through a full matching run."""

import numpy as np
import pytest

from matching.loading import load_inputs
from matching.models import Match
from matching.scoring import (
    CredentialRequirement,
    Requirement,
    Scorer,
    Weights,
    explain_pair,
    stars_for,
)
from matching.services import rescore_vacancy, run_full_matching
from tests.matching.factories import (
    ApplicantFactory,
    CredentialFactory,
    SkillFactory,
    VacancyFactory,
    grant,
    hold,
    require,
)

pytestmark = pytest.mark.django_db

WEIGHTS = Weights(
    required=2.0,
    preferred=1.0,
    level_below=0.75,
    related=0.5,
    min_score=0.0,
    top_k=50,
    strict=False,
)


@pytest.fixture(autouse=True)
def _weights(settings):
    settings.MATCHING_REQUIRED_WEIGHT = 2.0
    settings.MATCHING_PREFERRED_WEIGHT = 1.0
    settings.MATCHING_LEVEL_BELOW_CREDIT = 0.75
    settings.MATCHING_RELATED_SKILL_CREDIT = 0.5
    settings.MATCHING_MIN_SCORE = 0.01
    settings.MATCHING_TOP_K = 50
    settings.MATCHING_STRICT = False


def _match(vacancy, applicant):
    return Match.objects.filter(vacancy=vacancy, applicant=applicant).first()


def _skill_entry(match, skill):
    return next(e for e in match.explanation["skills"] if e["skill_id"] == skill.pk)


# (case, vacancy requirements, applicant levels, expected score, statuses)
# Requirements are (skill key, min level, importance); levels are
# (skill key, level). Skill keys "a", "b", "c"; "r" is related to "c".
CASES = [
    ("exact match", [("a", 3, "required")], [("a", 3)], 1.0, {"a": "met"}),
    ("level above", [("a", 3, "required")], [("a", 5)], 1.0, {"a": "met"}),
    ("level below", [("a", 3, "required")], [("a", 2)], 0.5, {"a": "partial"}),
    (
        "missing required",
        [("a", 3, "required"), ("b", 3, "required")],
        [("a", 3)],
        0.5,
        {"a": "met", "b": "missing"},
    ),
    (
        "only preferred",
        [("a", 3, "required"), ("b", 3, "preferred")],
        [("b", 4)],
        round(1 / 3, 4),
        {"a": "missing", "b": "met"},
    ),
    (
        "related skill",
        [("c", 3, "required")],
        [("r", 3)],
        0.5,
        {"c": "partial"},
    ),
    (
        "related skill below level",
        [("c", 4, "required")],
        [("r", 2)],
        round(0.5 * 0.75 * 2 / 4, 4),
        {"c": "partial"},
    ),
]


@pytest.mark.parametrize(
    ("asked", "held", "score", "statuses"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_scoring_case(asked, held, score, statuses):
    # given
    skills = {key: SkillFactory() for key in "abcr"}
    skills["c"].related.add(skills["r"])
    vacancy = VacancyFactory()
    for key, level, importance in asked:
        require(vacancy, skills[key], level, importance)
    applicant = ApplicantFactory()
    for key, level in held:
        hold(applicant, skills[key], level)

    # when
    run_full_matching()

    # then
    match = _match(vacancy, applicant)
    assert match is not None
    assert match.score == pytest.approx(score)
    for key, status in statuses.items():
        assert _skill_entry(match, skills[key])["status"] == status


def test_related_credit_names_skill():
    # given
    care, comfort = SkillFactory(name="Palliative care"), SkillFactory(name="Comfort")
    care.related.add(comfort)
    vacancy = VacancyFactory()
    require(vacancy, care, 3)
    applicant = ApplicantFactory()
    hold(applicant, comfort, 3)

    # when
    run_full_matching()

    # then
    entry = _skill_entry(_match(vacancy, applicant), care)
    assert entry["via"] == "Comfort"
    assert entry["level"] == 0
    assert entry["credit"] == 0.5


def test_missing_credential_filters_out():
    # given
    skill = SkillFactory()
    check = CredentialFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    vacancy.required_credentials.add(check)
    applicant = ApplicantFactory()
    hold(applicant, skill, 5)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, applicant) is None


def test_held_credential_passes_filter():
    # given
    skill = SkillFactory()
    check = CredentialFactory(name="Criminal record check")
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    vacancy.required_credentials.add(check)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)
    grant(applicant, check)

    # when
    run_full_matching()

    # then
    credentials = _match(vacancy, applicant).explanation["credentials"]
    assert credentials == [
        {
            "credential_id": check.pk,
            "name": "Criminal record check",
            "kind": "certificate",
            "status": "met",
        }
    ]


def test_expired_credential_filters_out():
    # given
    import datetime

    skill = SkillFactory()
    check = CredentialFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    vacancy.required_credentials.add(check)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)
    grant(applicant, check, expires_on=datetime.date(2020, 1, 1))

    # when
    run_full_matching()

    # then
    assert _match(vacancy, applicant) is None


def test_other_region_filters_out():
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory(region="ON")
    require(vacancy, skill, 3)
    applicant = ApplicantFactory(region="BC")
    hold(applicant, skill, 3)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, applicant) is None


def test_remote_vacancy_needs_remote_applicant():
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory(region="ON", work_mode="remote")
    require(vacancy, skill, 3)
    willing = ApplicantFactory(region="BC", open_to_remote=True)
    unwilling = ApplicantFactory(region="ON", open_to_remote=False)
    hold(willing, skill, 3)
    hold(unwilling, skill, 3)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, willing) is not None
    assert _match(vacancy, unwilling) is None


def test_empty_profile_gets_no_match():
    # given
    vacancy = VacancyFactory()
    require(vacancy, SkillFactory(), 3)
    applicant = ApplicantFactory()

    # when
    run = run_full_matching()

    # then
    assert _match(vacancy, applicant) is None
    assert run.matches_created == 0


def test_vacancy_without_skills_gets_no_match():
    # given
    vacancy = VacancyFactory()
    applicant = ApplicantFactory()
    hold(applicant, SkillFactory(), 3)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, applicant) is None


def test_applicant_not_open_to_work_skipped():
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicant = ApplicantFactory(open_to_work=False)
    hold(applicant, skill, 3)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, applicant) is None


def test_threshold_drops_weak_matches(settings):
    # given
    settings.MATCHING_MIN_SCORE = 0.6
    a, b = SkillFactory(), SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, a, 3)
    require(vacancy, b, 3)
    applicant = ApplicantFactory()
    hold(applicant, a, 3)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, applicant) is None


def test_top_k_keeps_best(settings):
    # given
    settings.MATCHING_TOP_K = 2
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 5)
    applicants = [ApplicantFactory() for _ in range(4)]
    for level, applicant in zip([2, 5, 3, 4], applicants, strict=True):
        hold(applicant, skill, level)

    # when
    run_full_matching()

    # then
    kept = set(Match.objects.values_list("applicant_id", flat=True))
    assert kept == {applicants[1].pk, applicants[3].pk}


def test_strict_mode_needs_every_required(settings):
    # given
    settings.MATCHING_STRICT = True
    a, b = SkillFactory(), SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, a, 3)
    require(vacancy, b, 3, "preferred")
    complete = ApplicantFactory()
    hold(complete, a, 3)
    partial = ApplicantFactory()
    hold(partial, a, 2)
    hold(partial, b, 3)

    # when
    run_full_matching()

    # then
    assert _match(vacancy, complete) is not None
    assert _match(vacancy, partial) is None


def test_required_counts_and_stars():
    # given
    a, b, c = SkillFactory(), SkillFactory(), SkillFactory()
    vacancy = VacancyFactory()
    for skill in (a, b, c):
        require(vacancy, skill, 3)
    applicant = ApplicantFactory()
    hold(applicant, a, 3)
    hold(applicant, b, 3)
    hold(applicant, c, 1)

    # when
    run_full_matching()

    # then
    match = _match(vacancy, applicant)
    assert match.required_met == 2
    assert match.required_total == 3
    assert match.stars == stars_for(match.score)


@pytest.mark.parametrize(
    ("score", "stars"), [(0.0, 1), (0.3, 2), (0.5, 3), (0.7, 4), (0.9, 5), (1.0, 5)]
)
def test_stars_for(score, stars):
    assert stars_for(score) == stars


def test_explain_pair_shape():
    # when
    result = explain_pair(
        requirements=[Requirement(12, "Personal care", "required", 3)],
        credentials=[
            CredentialRequirement(3, "Criminal record check", "security_check")
        ],
        levels={12: 2},
        held_credentials={3},
        related={},
        skill_names={12: "Personal care"},
        weights=WEIGHTS,
    )

    # then
    assert result.explanation == {
        "skills": [
            {
                "skill_id": 12,
                "name": "Personal care",
                "importance": "required",
                "min_level": 3,
                "level": 2,
                "status": "partial",
                "credit": 0.5,
                "via": None,
            }
        ],
        "credentials": [
            {
                "credential_id": 3,
                "name": "Criminal record check",
                "kind": "security_check",
                "status": "met",
            }
        ],
    }


def test_vectorised_scores_equal_reference(settings):
    # given random profiles and vacancies over ten skills
    settings.MATCHING_TOP_K = 1000
    rng = np.random.default_rng(7)
    skills = [SkillFactory() for _ in range(10)]
    skills[0].related.add(skills[1])
    skills[2].related.add(skills[3], skills[4])
    vacancies = []
    for _ in range(12):
        vacancy = VacancyFactory()
        for index in rng.choice(10, size=rng.integers(1, 5), replace=False):
            require(
                vacancy,
                skills[index],
                int(rng.integers(1, 6)),
                str(rng.choice(["required", "preferred"])),
            )
        vacancies.append(vacancy)
    applicants = []
    for _ in range(25):
        applicant = ApplicantFactory()
        for index in rng.choice(10, size=rng.integers(0, 6), replace=False):
            hold(applicant, skills[index], int(rng.integers(1, 6)))
        applicants.append(applicant)
    related = {
        skills[0].pk: {skills[1].pk},
        skills[1].pk: {skills[0].pk},
        skills[2].pk: {skills[3].pk, skills[4].pk},
        skills[3].pk: {skills[2].pk},
        skills[4].pk: {skills[2].pk},
    }

    # when
    run_full_matching()

    # then every stored score equals the plain-Python reference
    stored = {(m.vacancy_id, m.applicant_id): m.score for m in Match.objects.all()}
    for vacancy in vacancies:
        requirements = [
            Requirement(r.skill_id, r.skill.name, r.importance, r.min_level)
            for r in vacancy.skill_requirements.order_by("skill_id")
        ]
        for applicant in applicants:
            levels = dict(applicant.skill_levels.values_list("skill_id", "level"))
            expected = explain_pair(
                requirements=requirements,
                credentials=[],
                levels=levels,
                held_credentials=set(),
                related=related,
                skill_names={},
                weights=WEIGHTS,
            ).score
            if expected >= 0.01:
                assert stored.get((vacancy.pk, applicant.pk)) == expected
            else:
                assert (vacancy.pk, applicant.pk) not in stored


def test_single_vacancy_path_equals_full_run(settings):
    # given random profiles, related skills and a threshold that cuts
    settings.MATCHING_MIN_SCORE = 0.4
    rng = np.random.default_rng(3)
    skills = [SkillFactory() for _ in range(8)]
    skills[0].related.add(skills[1])
    skills[2].related.add(skills[3])
    vacancies = []
    for _ in range(6):
        vacancy = VacancyFactory()
        for index in rng.choice(8, size=rng.integers(1, 5), replace=False):
            require(
                vacancy,
                skills[index],
                int(rng.integers(1, 6)),
                str(rng.choice(["required", "preferred"])),
            )
        vacancies.append(vacancy)
    for number in range(40):
        applicant = ApplicantFactory(open_to_work=number % 7 != 0)
        for index in rng.choice(8, size=rng.integers(0, 5), replace=False):
            hold(applicant, skills[index], int(rng.integers(1, 6)))
    run_full_matching()
    expected = set(Match.objects.values_list("vacancy_id", "applicant_id", "score"))

    # when each vacancy is scored alone
    Match.objects.all().delete()
    for vacancy in vacancies:
        rescore_vacancy(vacancy_id=vacancy.pk)

    # then
    actual = set(Match.objects.values_list("vacancy_id", "applicant_id", "score"))
    assert actual == expected


def test_single_vacancy_skips_ineligible_best(settings, monkeypatch):
    # given the two best applicants lack the required check
    monkeypatch.setattr("matching.scoring.FIRST_ATTRIBUTE_CHUNK", 1)
    settings.MATCHING_TOP_K = 2
    settings.MATCHING_MIN_SCORE = 0.1
    skill, check = SkillFactory(), CredentialFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 5)
    vacancy.required_credentials.add(check)
    applicants = [ApplicantFactory() for _ in range(5)]
    for level, applicant in zip([5, 5, 4, 3, 2], applicants, strict=True):
        hold(applicant, skill, level)
    for applicant in applicants[2:]:
        grant(applicant, check)

    # when
    rescore_vacancy(vacancy_id=vacancy.pk)

    # then
    kept = set(Match.objects.values_list("applicant_id", flat=True))
    assert kept == {applicants[2].pk, applicants[3].pk}


@pytest.mark.parametrize("min_score", [0.3, 0.5, 0.7])
def test_pruning_by_common_skills_changes_nothing(min_score, monkeypatch):
    # given two skills most applicants hold, rarer ones, related skills and
    # vacancies that ask for both kinds at various levels
    rng = np.random.default_rng(int(min_score * 10))
    skills = [SkillFactory() for _ in range(12)]
    skills[2].related.add(skills[3])
    skills[0].related.add(skills[5])
    vacancies = []
    for _ in range(20):
        vacancy = VacancyFactory()
        columns = [0, 1][: int(rng.integers(0, 3))]
        columns += list(
            rng.choice(range(2, 12), size=rng.integers(1, 5), replace=False)
        )
        for column in columns:
            require(
                vacancy,
                skills[int(column)],
                int(rng.integers(1, 6)),
                str(rng.choice(["required", "preferred"])),
            )
        vacancies.append(vacancy)
    for _ in range(80):
        applicant = ApplicantFactory()
        held = [0, 1] if rng.random() < 0.8 else [0]
        held += list(rng.choice(range(2, 12), size=rng.integers(0, 4), replace=False))
        for column in held:
            hold(applicant, skills[int(column)], int(rng.integers(1, 6)))
    weights = Weights(**{**WEIGHTS.__dict__, "min_score": min_score, "top_k": 1000})
    inputs = load_inputs()
    rows = np.arange(len(inputs.vacancies.ids))

    # when scored with pruning and without it
    pruned_scorer = Scorer(inputs.skills, inputs.applicants, weights)
    pruned = pruned_scorer.score_block(inputs.vacancies, rows)
    monkeypatch.setattr(Scorer, "DENSE_COLUMN_BYTES", 0)
    plain = Scorer(inputs.skills, inputs.applicants, weights).score_block(
        inputs.vacancies, rows
    )

    # then some requirements were set aside, and the candidates are the same
    assert pruned_scorer._dense, "no requirement was set aside"
    assert len(plain.scores) > 0
    assert pruned.vacancy_rows.tolist() == plain.vacancy_rows.tolist()
    assert pruned.applicant_rows.tolist() == plain.applicant_rows.tolist()
    assert pruned.scores.tolist() == plain.scores.tolist()
