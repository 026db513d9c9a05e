"""Explanations for many scored pairs at once, as JSON text.

``explain_pair`` in ``matching.scoring`` builds one explanation as a dict. A
full run stores hundreds of thousands, so this module computes every
requirement's credit with numpy and assembles the JSON text from pieces
rendered once per requirement. The text is ``canonical`` of what
``explain_pair`` returns, which the tests check.
"""

import json
from dataclasses import dataclass

import numpy as np

from matching.loading import ScoringInputs
from matching.scoring import (
    SCORE_DECIMALS,
    Candidates,
    Weights,
    level_credit,
    round_scores,
)


@dataclass(frozen=True)
class ExplainedPair:
    vacancy_id: int
    applicant_id: int
    score: float
    stars: int
    required_met: int
    required_total: int
    explanation_json: str


def explain_candidates(
    inputs: ScoringInputs, candidates: Candidates, weights: Weights
) -> list[ExplainedPair]:
    """Score and explain every candidate pair; drop pairs below the threshold.

    Candidates have passed the hard filters, so every credential entry of
    their explanation is "met".
    """
    if len(candidates.vacancy_rows) == 0:
        return []
    vacancies = inputs.vacancies
    min_level = vacancies.min_level
    min_level.sort_indices()
    is_required = _required_flags(vacancies)

    # One entry per (pair, requirement of the pair's vacancy), in the order
    # of the vacancy's skills, which is the order of explain_pair.
    pair_vacancy = candidates.vacancy_rows
    pair_applicant = candidates.applicant_rows
    starts = min_level.indptr[pair_vacancy]
    counts = min_level.indptr[pair_vacancy + 1] - starts
    pair_of_entry = np.repeat(np.arange(len(counts)), counts)
    first_entry = np.cumsum(counts) - counts
    entry = (
        np.repeat(starts, counts)
        + np.arange(counts.sum())
        - np.repeat(first_entry, counts)
    )
    column = min_level.indices[entry]
    minimum = min_level.data[entry].astype(np.int64)
    required = is_required[entry]
    level = _lookup(inputs.applicants.levels, pair_applicant[pair_of_entry], column)

    credit = np.where(
        level >= minimum,
        1.0,
        np.where(level > 0, weights.level_below * level / minimum, 0.0),
    )
    via = np.full(len(entry), -1, dtype=np.int64)
    _credit_related(
        inputs,
        pair_applicant[pair_of_entry],
        column,
        minimum,
        level,
        credit,
        via,
        weights,
    )

    weight = np.where(required, weights.required, weights.preferred)
    numerator = np.bincount(
        pair_of_entry, weights=weight * credit, minlength=len(counts)
    )
    total = np.bincount(pair_of_entry, weights=weight, minlength=len(counts))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(total > 0, numerator / total, 0.0)
    scores = round_scores(ratios).tolist()
    met = credit >= 1.0
    required_met = np.bincount(
        pair_of_entry, weights=required & met, minlength=len(counts)
    )
    required_total = np.bincount(pair_of_entry, weights=required, minlength=len(counts))

    texts = _entry_texts(inputs, entry, level, minimum, credit, via, weights)
    vacancy_ids = vacancies.ids[pair_vacancy].tolist()
    credential_json = _credential_texts(inputs, set(vacancy_ids))

    results = []
    bounds = np.r_[first_entry, len(entry)].tolist()
    applicant_ids = inputs.applicants.ids[pair_applicant].tolist()
    for index, score in enumerate(scores):
        if score < weights.min_score:
            continue
        skills = ", ".join(texts[bounds[index] : bounds[index + 1]])
        credentials = credential_json.get(vacancy_ids[index], "[]")
        results.append(
            ExplainedPair(
                vacancy_id=vacancy_ids[index],
                applicant_id=applicant_ids[index],
                score=score,
                stars=int(min(5, max(1, 1 + round(score * 4)))),
                required_met=int(required_met[index]),
                required_total=int(required_total[index]),
                explanation_json=(
                    f'{{"skills": [{skills}], "credentials": {credentials}}}'
                ),
            )
        )
    return results


def _required_flags(vacancies) -> np.ndarray:
    from matching.scoring import _aligned

    required = vacancies.required
    required.sort_indices()
    return _aligned(required, vacancies.min_level)


def _lookup(matrix, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Return matrix[rows[i], columns[i]] for every i, 0 where nothing is stored."""
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(matrix[rows, columns]).ravel()


def _credit_related(
    inputs, applicant_rows, columns, minimum, level, credit, via, weights
) -> None:
    """Credit missing skills through their best related skill, as explain_pair."""
    adjacency = inputs.skills.related
    if adjacency.nnz == 0:
        return
    has_related = np.diff(adjacency.indptr)[columns] > 0
    candidates = np.flatnonzero((level == 0) & has_related)
    if len(candidates) == 0:
        return
    levels = inputs.applicants.levels
    skill_ids = inputs.skills.ids
    for index in candidates.tolist():
        row = applicant_rows[index]
        start, end = levels.indptr[row], levels.indptr[row + 1]
        held = dict(
            zip(
                levels.indices[start:end].tolist(),
                levels.data[start:end].tolist(),
                strict=True,
            )
        )
        column = columns[index]
        neighbours = adjacency.indices[
            adjacency.indptr[column] : adjacency.indptr[column + 1]
        ]
        best_level, best = 0, -1
        for neighbour in sorted(neighbours.tolist(), key=lambda c: skill_ids[c]):
            if held.get(neighbour, 0) > best_level:
                best_level, best = held[neighbour], neighbour
        if best >= 0:
            credit[index] = weights.related * level_credit(
                int(best_level), int(minimum[index]), weights
            )
            via[index] = best


def _entry_texts(inputs, entry, level, minimum, credit, via, weights) -> list[str]:
    """Render each requirement entry as canonical JSON text (see ``canonical``).

    The text is built from parts fixed per vacancy requirement (name, skill
    id, minimum, importance) and parts fixed per (level, minimum) unless a
    related skill earned the credit, so all come from small tables and numpy
    joins them.
    """
    vacancies = inputs.vacancies
    skill_ids = inputs.skills.ids
    names = inputs.skill_names
    is_required = _required_flags(vacancies)

    name_of = np.empty(vacancies.min_level.nnz, dtype=object)
    tail_of = np.empty(vacancies.min_level.nnz, dtype=object)
    for stored in np.unique(entry).tolist():
        skill_id = int(skill_ids[vacancies.min_level.indices[stored]])
        importance = "required" if is_required[stored] else "preferred"
        name_of[stored] = f'{_text(names[skill_id])}, "level": '
        tail_of[stored] = (
            f'{skill_id}, "min_level": {int(vacancies.min_level.data[stored])}, '
            f'"importance": "{importance}"}}'
        )

    middle_of = np.empty((6, 6), dtype=object)
    for held in range(6):
        for asked in range(1, 6):
            middle_of[held, asked] = _middle(held, level_credit(held, asked, weights))
    level = level.astype(np.int64)
    heads = np.full(len(entry), '{"via": null, "name": ', dtype=object)
    middles = middle_of[np.clip(level, 0, 5), minimum]
    for index in np.flatnonzero(via >= 0).tolist():
        heads[index] = f'{{"via": {_text(names[int(skill_ids[via[index]])])}, "name": '
        middles[index] = _middle(int(level[index]), float(credit[index]))
    texts = heads + name_of[entry] + middles + tail_of[entry]
    return texts.tolist()


def _middle(level: int, credit: float) -> str:
    if credit >= 1.0:
        status = "met"
    elif credit > 0:
        status = "partial"
    else:
        status = "missing"
    rounded = float(round(credit, SCORE_DECIMALS))
    return f'{level}, "credit": {rounded!r}, "status": "{status}", "skill_id": '


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _credential_texts(inputs, vacancy_ids: set[int]) -> dict[int, str]:
    required = inputs.details.credentials
    return {
        vacancy_id: "["
        + ", ".join(
            f'{{"kind": {_text(credential.kind)}, "name": {_text(credential.name)}, '
            f'"status": "met", "credential_id": {credential.credential_id}}}'
            for credential in credentials
        )
        + "]"
        for vacancy_id in vacancy_ids
        if (credentials := required.get(vacancy_id))
    }


def canonical(explanation: dict) -> str:
    """Return the JSON text PostgreSQL prints for ``explanation`` as jsonb.

    jsonb orders object keys by length, then bytewise, separates with ", "
    and ": ", and keeps non-ASCII characters as they are. Text in this form
    lets a re-run compare a stored explanation by its md5 alone.
    """
    return json.dumps(_ordered(explanation), ensure_ascii=False)


def _ordered(value):
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return {key: _ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value
