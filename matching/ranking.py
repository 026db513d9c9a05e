"""Ranking open vacancies for one applicant.

Vacancies are ordered by matching score, then by fit: the Jaccard index of
the applicant's skills and the vacancy's skills (shared skills over all
skills of either). Fit breaks the many ties at a score of 1 between a
vacancy requiring exactly the applicant's skills and one requiring a small
part of them.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings

from matching.loading import load_inputs
from matching.scoring import Scorer, Weights


@dataclass(frozen=True)
class RankedVacancy:
    vacancy_id: int
    score: float
    fit: float


def rank_vacancies_for_applicant(
    *, profile_id: int, min_score: float | None = None, limit: int = 20
) -> list[RankedVacancy]:
    """Return the open vacancies an applicant qualifies for, best first.

    Qualifying means passing the hard filters with a score of at least
    ``min_score`` (default MATCHING_MIN_SCORE); top-K limits do not apply.
    """
    if min_score is None:
        min_score = settings.MATCHING_MIN_SCORE
    inputs = load_inputs(profile_ids=[profile_id])
    if len(inputs.applicants.ids) == 0 or len(inputs.vacancies.ids) == 0:
        return []
    weights = Weights(
        **{
            **Weights.from_settings().__dict__,
            "min_score": min_score,
            "top_k": len(inputs.vacancies.ids),
        }
    )
    candidates = Scorer(inputs.skills, inputs.applicants, weights).score_block(
        inputs.vacancies, np.arange(len(inputs.vacancies.ids))
    )

    held = (inputs.applicants.levels[0] > 0).astype(np.float64)
    asked = (inputs.vacancies.min_level[candidates.vacancy_rows] > 0).astype(np.float64)
    shared = np.asarray((asked @ held.T).todense()).ravel()
    union = np.asarray(asked.sum(axis=1)).ravel() + held.sum() - shared
    fit = np.round(
        np.divide(shared, union, out=np.zeros_like(shared), where=union > 0), 4
    )

    vacancy_ids = inputs.vacancies.ids[candidates.vacancy_rows]
    order = np.lexsort((vacancy_ids, -fit, -candidates.scores))[:limit]
    return [
        RankedVacancy(
            vacancy_id=int(vacancy_ids[index]),
            score=float(candidates.scores[index]),
            fit=float(fit[index]),
        )
        for index in order.tolist()
    ]
