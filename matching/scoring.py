"""Scoring applicants against vacancies with sparse matrices.

The score of applicant a for vacancy v is

    sum over v's skills s of weight(s) * credit(a, s) / sum of weight(s)

where weight is MATCHING_REQUIRED_WEIGHT or MATCHING_PREFERRED_WEIGHT and
credit is 1 when a holds s at v's minimum level or above, LEVEL_BELOW *
level / minimum when a holds s below it, RELATED * that same credit computed
from the best level a holds in a skill related to s, and 0 otherwise.
docs/decisions/0002-matching-score.md gives the reasons.

Because the credit depends on the minimum level, the numerator is split by
minimum level m (1 to 5): ``sum_m G_m @ W_m.T``, where G_m holds every
applicant's credit against a minimum of m and W_m the weights of the
requirements whose minimum is m. Each requirement sits in exactly one W_m,
so the five products together cost about as much as one.

``explain_pair`` computes the same score for one pair in plain Python. It
builds the stored explanation and serves as the reference the vectorised
path is tested against.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from scipy import sparse

LEVELS = (1, 2, 3, 4, 5)
# Candidates whose places and credentials load on demand are checked in
# chunks that start at this size and double, so that filling a top K of 25
# usually takes one small query.
FIRST_ATTRIBUTE_CHUNK = 256
# Scores are rounded before they are stored and compared, so that float noise
# between two runs never counts as a change.
SCORE_DECIMALS = 4


def round_scores(values):
    """Round scores to SCORE_DECIMALS places, whatever order they were summed in.

    The vectorised scorer, the batch explanations and ``explain_pair`` add
    the same terms in different orders, so their sums can differ in the last
    bit. Rounding to 10 places first maps such neighbours to one float
    before the rounding to SCORE_DECIMALS, so a score that lies exactly
    halfway between two stored values rounds the same way in every path.
    Returns an array for an array and a float for a number.
    """
    rounded = np.round(np.round(values, 10), SCORE_DECIMALS)
    return float(rounded) if np.ndim(rounded) == 0 else rounded


@dataclass(frozen=True)
class Weights:
    """The scoring parameters, read from settings once per run."""

    required: float
    preferred: float
    level_below: float
    related: float
    min_score: float
    top_k: int
    strict: bool

    @classmethod
    def from_settings(cls) -> "Weights":
        return cls(
            required=settings.MATCHING_REQUIRED_WEIGHT,
            preferred=settings.MATCHING_PREFERRED_WEIGHT,
            level_below=settings.MATCHING_LEVEL_BELOW_CREDIT,
            related=settings.MATCHING_RELATED_SKILL_CREDIT,
            min_score=settings.MATCHING_MIN_SCORE,
            top_k=settings.MATCHING_TOP_K,
            strict=settings.MATCHING_STRICT,
        )


def level_credit(level: int, min_level: int, weights: Weights) -> float:
    """Return the credit for holding ``level`` where ``min_level`` is asked."""
    if level <= 0:
        return 0.0
    if level >= min_level:
        return 1.0
    return weights.level_below * level / min_level


def stars_for(score: float) -> int:
    """Return 1 to 5 stars: 5 from 0.875, 4 from 0.625, 3 from 0.375, ..."""
    return int(min(5, max(1, 1 + round(score * 4))))


# --- Inputs -----------------------------------------------------------------


@dataclass
class SkillIndex:
    """Maps skill ids to matrix columns, with the related-skill adjacency."""

    ids: np.ndarray
    related: sparse.csr_matrix  # n_skills x n_skills, symmetric, 0/1

    @classmethod
    def build(cls, skill_ids, related_pairs) -> "SkillIndex":
        ids = np.unique(np.asarray(list(skill_ids), dtype=np.int64))
        pairs = np.asarray(list(related_pairs), dtype=np.int64).reshape(-1, 2)
        keep = np.isin(pairs[:, 0], ids) & np.isin(pairs[:, 1], ids)
        pairs = pairs[keep]
        rows = np.searchsorted(ids, pairs[:, 0])
        cols = np.searchsorted(ids, pairs[:, 1])
        n = len(ids)
        adjacency = sparse.coo_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(n, n)
        ).tocsr()
        adjacency = ((adjacency + adjacency.T) > 0).astype(np.float64).tocsr()
        adjacency.setdiag(0)
        adjacency.eliminate_zeros()
        return cls(ids=ids, related=adjacency)

    def columns(self, skill_ids: np.ndarray) -> np.ndarray:
        """Return the columns of ``skill_ids``; each id must be in the index."""
        return np.searchsorted(self.ids, skill_ids)

    def contains(self, skill_ids: np.ndarray) -> np.ndarray:
        positions = np.searchsorted(self.ids, skill_ids)
        positions = np.minimum(positions, max(len(self.ids) - 1, 0))
        if len(self.ids) == 0:
            return np.zeros(len(skill_ids), dtype=bool)
        return self.ids[positions] == skill_ids


@dataclass
class Locations:
    """Country and region of each row, as integer codes (0 when unknown)."""

    country: np.ndarray
    region: np.ndarray


@dataclass
class Applicants:
    """Applicants' skill levels and credentials as matrices, one row each.

    When ``loader`` is set, places and credentials are filled only for the
    rows passed to ``require``, so that scoring one vacancy reads them for
    the few applicants above the threshold.
    """

    ids: np.ndarray
    levels: sparse.csr_matrix  # n_applicants x n_skills, levels 1..5
    credential_bits: np.ndarray  # n_applicants x words, uint64 bit sets
    location: Locations
    open_to_remote: np.ndarray
    open_to_work: np.ndarray | None = None
    loader: Callable[[np.ndarray], None] | None = None
    loaded: np.ndarray | None = None

    def require(self, rows: np.ndarray) -> None:
        """Make sure places and credentials of ``rows`` are loaded."""
        if self.loader is None or len(rows) == 0:
            return
        missing = np.unique(rows[~self.loaded[rows]])
        if len(missing):
            self.loader(missing)
            self.loaded[missing] = True


@dataclass
class Vacancies:
    """Vacancies' skill requirements and hard filters, one row each."""

    ids: np.ndarray
    min_level: sparse.csr_matrix  # n_vacancies x n_skills, 1..5 where asked
    required: sparse.csr_matrix  # same shape, 1 where the skill is required
    credential_bits: np.ndarray  # n_vacancies x words, uint64 bit sets
    location: Locations
    remote: np.ndarray


@dataclass
class Candidates:
    """Pairs that pass the filters and the threshold, best first per vacancy."""

    vacancy_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    applicant_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))


def credential_bits(
    rows: np.ndarray, credential_columns: np.ndarray, n_rows: int, n_credentials: int
) -> np.ndarray:
    """Pack (row, credential column) pairs into one uint64 bit set per row."""
    words = max(1, (n_credentials + 63) // 64)
    bits = np.zeros((n_rows, words), dtype=np.uint64)
    if len(rows):
        word = credential_columns // 64
        bit = np.left_shift(np.uint64(1), (credential_columns % 64).astype(np.uint64))
        np.bitwise_or.at(bits, (rows, word), bit)
    return bits


# --- Vectorised scoring -----------------------------------------------------


class Scorer:
    """Scores every applicant against blocks of vacancies.

    The credit matrices G_1 to G_5 depend only on the applicants, so they are
    built once, side by side in one matrix of 5 x n_skills columns, and
    reused for every block of vacancies. A block's weights go into the same
    layout: the weight of skill s asked at minimum m sits in column
    (m - 1) * n_skills + s. One sparse product then gives the numerator.

    Pruning by common skills: most applicant-vacancy pairs share only a skill
    that a third of all applicants hold, and most of them score far below
    the threshold. For each vacancy, the requirements on the most widely
    held skills whose weights add up to less than the threshold are set
    aside: an applicant who earns credit on none of the other requirements
    cannot reach the threshold, because a credit is at most 1. The sparse
    product runs over the other requirements only, which yields every
    possible candidate, and the set-aside requirements are added for those
    candidates from dense columns of the credit matrix. The scores are the
    same as without pruning.
    """

    # Bytes of dense credit columns kept for the set-aside requirements.
    # Each column stores one float per applicant, so with 100,000 applicants
    # this allows 320 columns (64 skills at each of five minimum levels).
    DENSE_COLUMN_BYTES = 256 * 2**20
    # A column gets a dense copy only when at least this share of applicants
    # earns credit in it. Rarer columns cost little in the sparse product.
    COMMON_COLUMN_SHARE = 0.01

    def __init__(
        self, skills: SkillIndex, applicants: Applicants, weights: Weights
    ) -> None:
        self.skills = skills
        self.applicants = applicants
        self.weights = weights
        self.n_skills = len(skills.ids)
        self.credit = self._credit_matrix()
        self.credit_t = self.credit.T.tocsr()
        # Applicants with credit in each column of the credit matrix.
        self.column_counts = np.diff(self.credit_t.indptr)
        self.common = self._common_columns()
        self._dense: dict[int, np.ndarray] = {}

    def _common_columns(self) -> np.ndarray:
        """Return a flag per credit column: may its requirements be set aside."""
        counts = self.column_counts
        n_applicants = self.credit.shape[0]
        capacity = self.DENSE_COLUMN_BYTES // (8 * max(1, n_applicants))
        common = np.zeros(len(counts), dtype=bool)
        if capacity == 0 or n_applicants == 0:
            return common
        widest = np.argsort(-counts, kind="stable")[:capacity]
        common[widest] = True
        common &= counts >= max(1, self.COMMON_COLUMN_SHARE * n_applicants)
        return common

    def _dense_column(self, column: int) -> np.ndarray:
        dense = self._dense.get(column)
        if dense is None:
            start, end = self.credit_t.indptr[column], self.credit_t.indptr[column + 1]
            dense = np.zeros(self.credit.shape[0])
            dense[self.credit_t.indices[start:end]] = self.credit_t.data[start:end]
            self._dense[column] = dense
        return dense

    def _credit_matrix(self) -> sparse.csr_matrix:
        levels = self.applicants.levels
        related_level = self._best_related_level(levels)
        blocks = []
        for minimum in LEVELS:
            direct = self._credit_of(levels, minimum)
            via = self._credit_of(related_level, minimum)
            blocks.append(direct + self.weights.related * via)
        return sparse.hstack(blocks, format="csr")

    def _best_related_level(self, levels: sparse.csr_matrix) -> sparse.csr_matrix:
        """Best level held in a related skill, where the skill itself is not held.

        ``(levels >= L) @ related`` is positive where some related skill is held
        at L or above; summing that indicator over L = 1..5 gives the best
        related level.
        """
        adjacency = self.skills.related
        if adjacency.nnz == 0:
            return sparse.csr_matrix(levels.shape, dtype=np.float64)
        best = sparse.csr_matrix(levels.shape, dtype=np.float64)
        for threshold in LEVELS:
            held = (levels >= threshold).astype(np.float64)
            reach = held @ adjacency
            reach.data[:] = 1.0
            best = best + reach
        held_directly = (levels > 0).astype(np.float64)
        best = best - best.multiply(held_directly)
        best.eliminate_zeros()
        return best.tocsr()

    def _credit_of(self, levels: sparse.csr_matrix, minimum: int) -> sparse.csr_matrix:
        result = levels.astype(np.float64, copy=True)
        data = result.data
        below = data < minimum
        data[~below] = 1.0
        data[below] = self.weights.level_below * data[below] / minimum
        return result

    def _stacked(self, min_level: sparse.csr_matrix, values: np.ndarray):
        """Place each requirement's value in the column of its minimum level."""
        columns = (min_level.data.astype(np.int64) - 1) * self.n_skills
        columns += min_level.indices
        return sparse.csr_matrix(
            (values, columns, min_level.indptr),
            shape=(min_level.shape[0], len(LEVELS) * self.n_skills),
        )

    def score_block(self, vacancies: Vacancies, rows: np.ndarray) -> Candidates:
        """Score all applicants against vacancies ``rows``; keep the top K."""
        min_level = vacancies.min_level[rows]
        min_level.sort_indices()
        required = vacancies.required[rows]
        required.sort_indices()
        is_required = _aligned(required, min_level)
        weight = np.where(is_required, self.weights.required, self.weights.preferred)
        total = _row_sums(min_level, weight)
        if min_level.nnz == 0:
            return Candidates()

        # Each requirement's weight is divided by its vacancy's total, so the
        # product contains scores and one comparison with the threshold sorts
        # out the many pairs that share only a common skill.
        entry_rows = np.repeat(np.arange(len(rows)), np.diff(min_level.indptr))
        share = np.divide(
            weight,
            total[entry_rows],
            out=np.zeros(len(weight)),
            where=total[entry_rows] > 0,
        )
        stacked = self._stacked(min_level, share)
        aside = self._set_aside(stacked, entry_rows, share)
        multiplied = sparse.csr_matrix(
            (
                stacked.data[~aside],
                stacked.indices[~aside],
                np.r_[
                    0, np.cumsum(np.bincount(entry_rows[~aside], minlength=len(rows)))
                ],
            ),
            shape=stacked.shape,
        )
        # Vacancies by applicants: the products of a vacancy's requirements
        # with the applicants holding them run through contiguous rows of
        # the transposed credit matrix.
        raw = multiplied @ self.credit_t
        self._add_set_aside(raw, stacked, entry_rows, aside)
        hits = np.flatnonzero(raw.data >= self.weights.min_score - 1e-9)
        block_rows = np.searchsorted(raw.indptr, hits, side="right") - 1
        applicant_rows = raw.indices[hits].astype(np.int64)
        scores = round_scores(raw.data[hits])
        del raw
        keep = (scores >= self.weights.min_score) & (total[block_rows] > 0)
        applicant_rows = applicant_rows[keep]
        block_rows = block_rows[keep]
        scores = scores[keep]

        vacancy_rows = rows[block_rows]
        if self.applicants.loader is not None:
            return self._top_k_loading(
                vacancies,
                vacancy_rows,
                applicant_rows,
                scores,
                block_rows,
                min_level,
                is_required,
            )
        keep = self._passes_filters(vacancies, vacancy_rows, applicant_rows)
        if self.weights.strict:
            keep &= self._meets_all_required(
                min_level, is_required, block_rows, applicant_rows
            )
        return self._top_k(vacancy_rows[keep], applicant_rows[keep], scores[keep])

    def _set_aside(
        self, stacked: sparse.csr_matrix, entry_rows: np.ndarray, share: np.ndarray
    ) -> np.ndarray:
        """Flag the requirements left out of the sparse product (see the class).

        Per vacancy, requirements in common columns are taken most widely
        held first while their shares add up to less than the threshold,
        with a margin far above float rounding.
        """
        columns = stacked.indices
        common = self.common[columns]
        if not common.any() or self.weights.min_score <= 0:
            return np.zeros(len(columns), dtype=bool)
        counts = self.column_counts[columns]
        order = np.lexsort((-counts, entry_rows))
        sorted_share = np.where(common, share, 0.0)[order]
        running = np.cumsum(sorted_share)
        row_start = stacked.indptr[entry_rows[order]]
        before_row = np.r_[0.0, running][row_start]
        within_row = running - before_row
        aside = np.zeros(len(columns), dtype=bool)
        aside[order] = common[order] & (within_row < self.weights.min_score - 1e-6)
        return aside

    def _add_set_aside(
        self,
        raw: sparse.csr_matrix,
        stacked: sparse.csr_matrix,
        entry_rows: np.ndarray,
        aside: np.ndarray,
    ) -> None:
        """Add the set-aside requirements' credit to every candidate of ``raw``."""
        # One vacancy's candidates are one contiguous slice of raw.data, so
        # each set-aside requirement adds to a slice in place.
        indptr, indices, data = raw.indptr, raw.indices, raw.data
        for entry in np.flatnonzero(aside).tolist():
            row = entry_rows[entry]
            start, end = indptr[row], indptr[row + 1]
            if start == end:
                continue
            credit = self._dense_column(int(stacked.indices[entry]))
            data[start:end] += stacked.data[entry] * credit[indices[start:end]]

    def _top_k_loading(
        self,
        vacancies: Vacancies,
        vacancy_rows: np.ndarray,
        applicant_rows: np.ndarray,
        scores: np.ndarray,
        block_rows: np.ndarray,
        min_level: sparse.csr_matrix,
        is_required: np.ndarray,
    ) -> Candidates:
        """Take the top K per vacancy, loading attributes best candidates first.

        Used when places and credentials load on demand: candidates are
        checked in chunks, best scores first, and a vacancy stops asking once
        it has K, so a popular vacancy reads a few hundred applicants rather
        than every one above the threshold.
        """
        applicant_ids = self.applicants.ids[applicant_rows]
        order = np.lexsort((applicant_ids, -scores, vacancy_rows))
        vacancy_rows = vacancy_rows[order]
        applicant_rows = applicant_rows[order]
        scores = scores[order]
        block_rows = block_rows[order]

        taken = np.zeros(len(vacancies.ids), dtype=np.int64)
        accepted = np.zeros(len(order), dtype=bool)
        start, size = 0, FIRST_ATTRIBUTE_CHUNK
        while start < len(order):
            chunk = np.arange(start, min(start + size, len(order)))
            chunk = chunk[taken[vacancy_rows[chunk]] < self.weights.top_k]
            if len(chunk):
                ok = self._passes_filters(
                    vacancies, vacancy_rows[chunk], applicant_rows[chunk]
                )
                if self.weights.strict:
                    ok &= self._meets_all_required(
                        min_level, is_required, block_rows[chunk], applicant_rows[chunk]
                    )
                for index in chunk[ok].tolist():
                    if taken[vacancy_rows[index]] < self.weights.top_k:
                        taken[vacancy_rows[index]] += 1
                        accepted[index] = True
            start += size
            size *= 2
        return Candidates(
            vacancy_rows=vacancy_rows[accepted],
            applicant_rows=applicant_rows[accepted],
            scores=scores[accepted],
        )

    def _passes_filters(
        self, vacancies: Vacancies, vacancy_rows: np.ndarray, applicant_rows: np.ndarray
    ) -> np.ndarray:
        self.applicants.require(applicant_rows)
        asked = vacancies.credential_bits[vacancy_rows]
        held = self.applicants.credential_bits[applicant_rows]
        has_credentials = np.all((asked & held) == asked, axis=1)

        vacancy_place = vacancies.location
        applicant_place = self.applicants.location
        ok = np.ones(len(vacancy_rows), dtype=bool)
        for attribute in ("country", "region"):
            wanted = getattr(vacancy_place, attribute)[vacancy_rows]
            living = getattr(applicant_place, attribute)[applicant_rows]
            ok &= (wanted == 0) | (living == 0) | (wanted == living)
        # A remote vacancy suits anyone open to remote work, wherever they live.
        remote = vacancies.remote[vacancy_rows]
        open_to_remote = self.applicants.open_to_remote[applicant_rows]
        location_ok = np.where(remote, open_to_remote, ok)

        eligible = has_credentials & location_ok
        if self.applicants.open_to_work is not None:
            eligible &= self.applicants.open_to_work[applicant_rows]
        return eligible

    def _meets_all_required(
        self,
        min_level: sparse.csr_matrix,
        is_required: np.ndarray,
        block_rows: np.ndarray,
        applicant_rows: np.ndarray,
    ) -> np.ndarray:
        levels = self.applicants.levels
        meets = sparse.hstack(
            [(levels >= minimum).astype(np.float64) for minimum in LEVELS],
            format="csr",
        )
        asked = self._stacked(min_level, is_required.astype(np.float64))
        met = sparse.csr_matrix(meets @ asked.T)
        needed = _row_sums(min_level, is_required.astype(np.float64))[block_rows]
        counts = np.asarray(met[applicant_rows, block_rows]).ravel()
        return counts >= needed

    def _top_k(
        self, vacancy_rows: np.ndarray, applicant_rows: np.ndarray, scores: np.ndarray
    ) -> Candidates:
        applicant_ids = self.applicants.ids[applicant_rows]
        order = np.lexsort((applicant_ids, -scores, vacancy_rows))
        vacancy_rows = vacancy_rows[order]
        applicant_rows = applicant_rows[order]
        scores = scores[order]
        if len(order) == 0:
            return Candidates()
        starts = np.flatnonzero(np.r_[True, vacancy_rows[1:] != vacancy_rows[:-1]])
        group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        rank = np.arange(len(order)) - group_start
        keep = rank < self.weights.top_k
        return Candidates(
            vacancy_rows=vacancy_rows[keep],
            applicant_rows=applicant_rows[keep],
            scores=scores[keep],
        )


def _row_sums(matrix: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Sum ``values``, one per stored entry of ``matrix``, row by row."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return np.bincount(rows, weights=values, minlength=matrix.shape[0])


def _aligned(required: sparse.csr_matrix, min_level: sparse.csr_matrix) -> np.ndarray:
    """Return, per stored entry of ``min_level``, whether ``required`` has it.

    Both matrices have sorted indices and ``required`` stores a subset of
    ``min_level``'s entries, so the lookup is one sorted search.
    """
    n_columns = min_level.shape[1]
    rows = np.repeat(np.arange(min_level.shape[0]), np.diff(min_level.indptr))
    keys = rows * n_columns + min_level.indices
    required_rows = np.repeat(np.arange(required.shape[0]), np.diff(required.indptr))
    required_keys = required_rows * n_columns + required.indices
    return np.isin(keys, required_keys[required.data > 0])


# --- One pair, in plain Python ----------------------------------------------


@dataclass(frozen=True)
class Requirement:
    skill_id: int
    name: str
    importance: str  # "required" or "preferred"
    min_level: int


@dataclass(frozen=True)
class CredentialRequirement:
    credential_id: int
    name: str
    kind: str


@dataclass
class PairResult:
    score: float
    stars: int
    required_met: int
    required_total: int
    eligible: bool
    explanation: dict


def explain_pair(
    *,
    requirements: list[Requirement],
    credentials: list[CredentialRequirement],
    levels: dict[int, int],
    held_credentials: set[int],
    related: dict[int, set[int]],
    skill_names: dict[int, str],
    weights: Weights,
) -> PairResult:
    """Score one applicant for one vacancy and explain each requirement.

    ``levels`` maps skill id to the applicant's level, ``related`` maps a
    skill id to the ids of related skills. The explanation has the shape
    described in docs/decisions/0002-matching-score.md.
    """
    entries = []
    numerator = 0.0
    total = 0.0
    required_met = 0
    required_total = 0
    for requirement in requirements:
        weight = (
            weights.required
            if requirement.importance == "required"
            else weights.preferred
        )
        total += weight
        level = levels.get(requirement.skill_id, 0)
        credit = level_credit(level, requirement.min_level, weights)
        via = None
        if level == 0:
            best_level = 0
            for other in sorted(related.get(requirement.skill_id, ())):
                if levels.get(other, 0) > best_level:
                    best_level = levels[other]
                    via = other
            if via is not None:
                credit = weights.related * level_credit(
                    best_level, requirement.min_level, weights
                )
        numerator += weight * credit

        if credit >= 1.0:
            status = "met"
        elif credit > 0:
            status = "partial"
        else:
            status = "missing"
        if requirement.importance == "required":
            required_total += 1
            required_met += int(status == "met")
        entries.append(
            {
                "skill_id": requirement.skill_id,
                "name": requirement.name,
                "importance": requirement.importance,
                "min_level": requirement.min_level,
                "level": level,
                "status": status,
                "credit": round(credit, SCORE_DECIMALS),
                "via": skill_names.get(via) if via is not None else None,
            }
        )

    credential_entries = []
    for credential in credentials:
        met = credential.credential_id in held_credentials
        credential_entries.append(
            {
                "credential_id": credential.credential_id,
                "name": credential.name,
                "kind": credential.kind,
                "status": "met" if met else "missing",
            }
        )

    score = round_scores(numerator / total) if total else 0.0
    eligible = all(entry["status"] == "met" for entry in credential_entries)
    return PairResult(
        score=score,
        stars=stars_for(score),
        required_met=required_met,
        required_total=required_total,
        eligible=eligible,
        explanation={"skills": entries, "credentials": credential_entries},
    )
