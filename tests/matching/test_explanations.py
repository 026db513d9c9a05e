"""Batch explanations equal the plain-Python reference, text for text."""

import json

import numpy as np
import pytest

from matching.explanations import canonical, explain_candidates
from matching.loading import load_inputs
from matching.scoring import Scorer, Weights, explain_pair
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
    min_score=0.0001,
    top_k=10_000,
    strict=False,
)


def test_batch_text_equals_reference():
    # given random vacancies, profiles, related skills and credentials
    rng = np.random.default_rng(11)
    skills = [SkillFactory(name=f'Skill "{i}" é') for i in range(12)]
    skills[0].related.add(skills[1], skills[2])
    skills[3].related.add(skills[4])
    check = CredentialFactory()
    for index in range(15):
        vacancy = VacancyFactory()
        for column in rng.choice(12, size=rng.integers(1, 6), replace=False):
            require(
                vacancy,
                skills[column],
                int(rng.integers(1, 6)),
                str(rng.choice(["required", "preferred"])),
            )
        if index % 3 == 0:
            vacancy.required_credentials.add(check)
    VacancyFactory()  # a vacancy without skills, last in the matrices
    for index in range(30):
        applicant = ApplicantFactory()
        for column in rng.choice(12, size=rng.integers(0, 7), replace=False):
            hold(applicant, skills[column], int(rng.integers(1, 6)))
        if index % 2:
            grant(applicant, check)

    # when
    inputs = load_inputs()
    scorer = Scorer(inputs.skills, inputs.applicants, WEIGHTS)
    candidates = scorer.score_block(
        inputs.vacancies, np.arange(len(inputs.vacancies.ids))
    )
    explained = explain_candidates(inputs, candidates, WEIGHTS)

    # then
    assert len(explained) > 50
    for pair in explained:
        row = int(np.searchsorted(inputs.applicants.ids, pair.applicant_id))
        levels = inputs.applicants.levels
        start, end = levels.indptr[row], levels.indptr[row + 1]
        held = dict(
            zip(
                inputs.skills.ids[levels.indices[start:end]].tolist(),
                levels.data[start:end].astype(int).tolist(),
                strict=True,
            )
        )
        reference = explain_pair(
            requirements=inputs.details.requirements[pair.vacancy_id],
            credentials=inputs.details.credentials.get(pair.vacancy_id, []),
            levels=held,
            held_credentials=inputs.held_credentials.get(pair.applicant_id, set()),
            related=inputs.related,
            skill_names=inputs.skill_names,
            weights=WEIGHTS,
        )
        assert pair.explanation_json == canonical(reference.explanation)
        assert json.loads(pair.explanation_json) == reference.explanation
        assert pair.score == reference.score
        assert pair.stars == reference.stars
        assert pair.required_met == reference.required_met
        assert pair.required_total == reference.required_total
