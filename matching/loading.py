"""Reading vacancies and applicants from the database into scoring matrices.

Rows are fetched as plain tuples through the database cursor and turned into
numpy arrays, because building a model instance per row would dominate the
time of a full run.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from scipy import sparse

from applicants.models import ApplicantCredential, ApplicantProfile, ApplicantSkill
from matching.models import Credential, Skill
from matching.scoring import (
    LEVELS,
    Applicants,
    CredentialRequirement,
    Locations,
    Requirement,
    SkillIndex,
    Vacancies,
    credential_bits,
    level_credit,
)
from vacancies.models import Vacancy, VacancySkill


def fetch_rows(queryset: QuerySet, fields: list[str]) -> list[tuple]:
    """Return ``fields`` of every row of ``queryset`` as tuples, in order."""
    try:
        sql, params = queryset.values_list(*fields).query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Up to this many ids go into a plain IN list, whose parsing cost is small.
SHORT_ID_LIST = 100


def id_list(ids: np.ndarray):
    """Return ids for an ``__in`` lookup, as one array parameter on PostgreSQL.

    psycopg binds parameters on the client and parses the query once per
    parameter, so an IN list of thousands of ids costs tens of milliseconds;
    ``unnest`` of one array parameter does not.
    """
    values = [int(value) for value in ids]
    # A short list keeps the planner's row estimate, and so index scans.
    if connection.vendor == "postgresql" and len(values) > SHORT_ID_LIST:
        return RawSQL("SELECT unnest(%s::bigint[])", [values])
    return values


class Codebook:
    """Gives each distinct country or region name a positive integer code."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, values) -> np.ndarray:
        if len(values) == 0:
            return np.zeros(0, dtype=np.int64)
        keys = np.char.lower(np.char.strip(np.asarray(values, dtype=str)))
        distinct, inverse = np.unique(keys, return_inverse=True)
        codes = np.array(
            [
                self.codes.setdefault(key, len(self.codes) + 1) if key else 0
                for key in distinct.tolist()
            ],
            dtype=np.int64,
        )
        return codes[inverse]


@dataclass
class VacancyDetails:
    """Requirements and required credentials of each loaded vacancy.

    ``requirement_rows`` are (vacancy id, skill id, minimum level,
    importance) tuples; ``requirements`` groups them into ``Requirement``
    objects on first use, because only the plain-Python scorer needs them
    and building them costs more than scoring one vacancy.
    """

    requirement_rows: list[tuple]
    skill_names: dict[int, str]
    credentials: dict[int, list[CredentialRequirement]]

    @cached_property
    def requirements(self) -> dict[int, list[Requirement]]:
        grouped: dict[int, list[Requirement]] = defaultdict(list)
        for vacancy_id, skill_id, min_level, importance in sorted(
            self.requirement_rows
        ):
            grouped[vacancy_id].append(
                Requirement(skill_id, self.skill_names[skill_id], importance, min_level)
            )
        return grouped


@dataclass
class ScoringInputs:
    skills: SkillIndex
    skill_names: dict[int, str]
    related: dict[int, set[int]]
    vacancies: Vacancies
    details: VacancyDetails
    applicants: Applicants
    held_credentials: dict[int, set[int]]


def load_skill_index() -> tuple[SkillIndex, dict[int, str], dict[int, set[int]]]:
    """Return the index of every skill, their names and related-skill sets.

    Comes from the worker's in-memory copy when there is one
    (``matching.snapshot``); callers must not change what it returns.
    """
    from matching.snapshot import taxonomy_snapshot

    snapshot = taxonomy_snapshot()
    if snapshot is not None:
        return snapshot.index, snapshot.names, snapshot.related
    return read_skill_index()


def read_skill_index() -> tuple[SkillIndex, dict[int, str], dict[int, set[int]]]:
    """Read the index of every skill, their names and related-skill sets."""
    names = dict(fetch_rows(Skill.objects.order_by("pk"), ["pk", "name"]))
    through = Skill.related.through
    pairs = fetch_rows(through.objects.all(), ["from_skill_id", "to_skill_id"])
    related: dict[int, set[int]] = defaultdict(set)
    for left, right in pairs:
        if left != right:
            related[left].add(right)
            related[right].add(left)
    return SkillIndex.build(names.keys(), pairs), names, dict(related)


def load_vacancies(
    skills: SkillIndex,
    skill_names: dict[int, str],
    places: Codebook,
    vacancy_ids: list[int] | None = None,
) -> tuple[Vacancies, VacancyDetails, list[int]]:
    """Load open vacancies (all, or those among ``vacancy_ids``).

    Returns the matrices, the per-vacancy details for explanations and the
    ids of the credentials any of them requires, in column order.
    """
    vacancies = Vacancy.objects.filter(status=Vacancy.Status.OPEN).order_by("pk")
    if vacancy_ids is not None:
        vacancies = vacancies.filter(pk__in=id_list(np.asarray(vacancy_ids)))
    rows = fetch_rows(vacancies, ["pk", "country", "region", "work_mode"])
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    row_of = {vacancy_id: index for index, vacancy_id in enumerate(ids.tolist())}

    requirements = VacancySkill.objects.filter(vacancy__in=vacancies)
    requirement_rows = fetch_rows(
        requirements, ["vacancy_id", "skill_id", "min_level", "importance"]
    )
    details = VacancyDetails(
        requirement_rows=requirement_rows, skill_names=skill_names, credentials={}
    )
    columns_of_rows = list(zip(*requirement_rows, strict=True)) or [()] * 4
    vacancy_column, skill_column, level_column, importance_column = columns_of_rows
    # ``ids`` is sorted, because the query orders vacancies by primary key.
    r_rows = np.searchsorted(ids, np.array(vacancy_column, dtype=np.int64))
    r_levels = np.array(level_column, dtype=np.float64)
    required_value = VacancySkill.Importance.REQUIRED
    r_required = np.array(
        [importance == required_value for importance in importance_column],
        dtype=np.float64,
    )
    shape = (len(ids), len(skills.ids))
    columns = skills.columns(np.array(skill_column, dtype=np.int64))
    min_level = sparse.csr_matrix((r_levels, (r_rows, columns)), shape=shape)
    required = sparse.csr_matrix((r_required, (r_rows, columns)), shape=shape)
    required.eliminate_zeros()

    through = Vacancy.required_credentials.through
    credential_rows = fetch_rows(
        through.objects.filter(vacancy__in=vacancies).order_by(
            "vacancy_id", "credential_id"
        ),
        ["vacancy_id", "credential_id"],
    )
    credential_ids = sorted({credential_id for _, credential_id in credential_rows})
    credential_column = {pk: index for index, pk in enumerate(credential_ids)}
    credentials = {
        pk: (name, kind)
        for pk, name, kind in fetch_rows(
            Credential.objects.filter(pk__in=credential_ids), ["pk", "name", "kind"]
        )
    }
    for vacancy_id, credential_id in credential_rows:
        name, kind = credentials[credential_id]
        details.credentials.setdefault(vacancy_id, []).append(
            CredentialRequirement(credential_id, name, kind)
        )
    bits = credential_bits(
        np.array([row_of[v] for v, _ in credential_rows], dtype=np.int64),
        np.array([credential_column[c] for _, c in credential_rows], dtype=np.int64),
        len(ids),
        len(credential_ids),
    )

    matrices = Vacancies(
        ids=ids,
        min_level=min_level,
        required=required,
        credential_bits=bits,
        location=Locations(
            country=places.encode([row[1] for row in rows]),
            region=places.encode([row[2] for row in rows]),
        ),
        remote=np.array(
            [row[3] == Vacancy.WorkMode.REMOTE for row in rows], dtype=bool
        ),
    )
    return matrices, details, credential_ids


def vacancies_within_reach(*, profile_id: int, weights) -> list[int] | None:
    """Return the open vacancies whose score for one applicant may reach the cut.

    PostgreSQL sums, per open vacancy, each requirement's weight times the
    credit the applicant earns for it (computed here per skill and minimum
    level, as ``Scorer`` does) and keeps the vacancies at or above
    ``weights.min_score``, with a small margin for float rounding. Hard
    filters are left to the scorer. Returns None (meaning every open
    vacancy) on other databases or when the cut is not positive.
    """
    if connection.vendor != "postgresql" or weights.min_score <= 0:
        return None
    held = dict(
        fetch_rows(
            ApplicantSkill.objects.filter(
                profile_id=profile_id, profile__open_to_work=True
            ),
            ["skill_id", "level"],
        )
    )
    if not held:
        return []
    through = Skill.related.through
    best_related: dict[int, int] = {}
    for left, right in fetch_rows(
        through.objects.filter(Q(from_skill_id__in=held) | Q(to_skill_id__in=held)),
        ["from_skill_id", "to_skill_id"],
    ):
        for skill_id, other in ((left, right), (right, left)):
            if other in held and skill_id not in held and skill_id != other:
                best_related[skill_id] = max(best_related.get(skill_id, 0), held[other])
    skill_ids, by_level = [], [[] for _ in LEVELS]
    for skill_id, (level, factor) in {
        **{s: (level, weights.related) for s, level in best_related.items()},
        **{s: (level, 1.0) for s, level in held.items()},
    }.items():
        skill_ids.append(skill_id)
        for index, minimum in enumerate(LEVELS):
            by_level[index].append(factor * level_credit(level, minimum, weights))

    from matching.snapshot import vacancy_snapshot

    snapshot = vacancy_snapshot()
    if snapshot is not None:
        return snapshot.within_reach(skill_ids, by_level, weights)

    weight = "CASE vs.importance WHEN %s THEN %s ELSE %s END"
    sql = f"""
        SELECT vs.vacancy_id
        FROM {VacancySkill._meta.db_table} vs
        JOIN {Vacancy._meta.db_table} v ON v.id = vs.vacancy_id AND v.status = %s
        LEFT JOIN unnest(%s::bigint[], %s::float8[], %s::float8[], %s::float8[],
                         %s::float8[], %s::float8[])
            AS c(skill_id, at1, at2, at3, at4, at5) ON c.skill_id = vs.skill_id
        WHERE vs.vacancy_id IN (
            SELECT touched.vacancy_id FROM {VacancySkill._meta.db_table} touched
            WHERE touched.skill_id = ANY(%s::bigint[])
        )
        GROUP BY vs.vacancy_id
        HAVING sum({weight} * COALESCE(CASE vs.min_level WHEN 1 THEN c.at1
                   WHEN 2 THEN c.at2 WHEN 3 THEN c.at3 WHEN 4 THEN c.at4
                   ELSE c.at5 END, 0))
               >= (%s - 1e-6) * sum({weight})
        ORDER BY vs.vacancy_id
    """  # noqa: S608 (table names come from model metadata)
    importance = [
        VacancySkill.Importance.REQUIRED.value,
        weights.required,
        weights.preferred,
    ]
    # Only vacancies asking for a skill the applicant holds, or one related to
    # it, can score above zero, so the others are not grouped at all.
    params = [Vacancy.Status.OPEN.value, skill_ids, *by_level, skill_ids]
    params += [*importance, weights.min_score, *importance]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def load_applicants(
    skills: SkillIndex,
    places: Codebook,
    credential_ids: list[int],
    *,
    skill_ids: np.ndarray | None = None,
    profile_ids: list[int] | None = None,
    defer_attributes: bool = False,
    bound: "ScoreBound | None" = None,
) -> tuple[Applicants, dict[int, set[int]]]:
    """Load applicants open to work who hold at least one skill of interest.

    ``skill_ids`` limits the skill rows read (an applicant holding none of
    them could not score above zero); ``profile_ids`` limits the applicants.
    With ``defer_attributes``, places and credentials are read only for the
    rows the scorer requests: those in pairs above the threshold.
    Credentials past their expiry date do not count.
    """
    fetched = _skill_rows_of_interest(skill_ids, profile_ids, defer_attributes, bound)
    skill_rows = np.array(fetched, dtype=np.int64).reshape(-1, 3)
    skill_rows = skill_rows[skills.contains(skill_rows[:, 1])]
    ids = np.unique(skill_rows[:, 0])

    rows = np.searchsorted(ids, skill_rows[:, 0])
    levels = sparse.csr_matrix(
        (
            skill_rows[:, 2].astype(np.float64),
            (rows, skills.columns(skill_rows[:, 1])),
        ),
        shape=(len(ids), len(skills.ids)),
    )

    held: dict[int, set[int]] = defaultdict(set)
    applicants = Applicants(
        ids=ids,
        levels=levels,
        credential_bits=credential_bits(
            np.zeros(0, np.int64), np.zeros(0, np.int64), len(ids), len(credential_ids)
        ),
        location=Locations(
            country=np.zeros(len(ids), np.int64), region=np.zeros(len(ids), np.int64)
        ),
        open_to_remote=np.zeros(len(ids), dtype=bool),
        open_to_work=np.zeros(len(ids), dtype=bool),
    )
    attributes = _AttributeLoader(applicants, places, credential_ids, held)
    if defer_attributes:
        applicants.loader = attributes.load
        applicants.loaded = np.zeros(len(ids), dtype=bool)
    else:
        attributes.load(np.arange(len(ids)), everyone=profile_ids is None)
    return applicants, held


def _skill_rows_of_interest(skill_ids, profile_ids, defer_attributes, bound):
    """Return (profile id, skill id, level) rows for ``load_applicants``.

    When vacancies are scored against every applicant and attributes are
    checked later, the rows come from the worker's in-memory copy of all
    skills if there is one (``matching.snapshot``). That copy may include
    applicants not open to work, and the attribute check drops them.
    Otherwise the rows come from SQL.
    """
    from matching.snapshot import skill_snapshot

    snapshot = None
    if defer_attributes and profile_ids is None and skill_ids is not None:
        snapshot = skill_snapshot()
    if snapshot is not None and bound is not None:
        return snapshot.bounded_rows(bound.skill_ids, bound.by_level, bound.minimum)
    if snapshot is not None:
        return snapshot.rows_of_skills(skill_ids)
    if bound is not None and connection.vendor == "postgresql":
        return _bounded_skill_rows(bound)

    query = ApplicantSkill.objects.filter(profile__open_to_work=True)
    if skill_ids is not None:
        query = query.filter(skill_id__in=skill_ids.tolist())
    if profile_ids is not None:
        query = query.filter(profile_id__in=profile_ids)
    return fetch_rows(query, ["profile_id", "skill_id", "level"])


def _bounded_skill_rows(bound: "ScoreBound") -> list[tuple]:
    """Return skill rows of applicants whose score bound reaches the cut.

    PostgreSQL looks up each held skill's bound at the level held (see
    ``_score_bound``), sums the bounds per applicant in one scan of the skill
    index, and returns the skills of those at or above ``bound.minimum``, so
    only possible candidates travel to Python. Whether they are open to work
    is checked with their other attributes.
    """
    sql = f"""
        SELECT a.profile_id, array_agg(a.skill_id), array_agg(a.level)
        FROM {ApplicantSkill._meta.db_table} a
        JOIN unnest(%s::bigint[], %s::float8[], %s::float8[], %s::float8[],
                    %s::float8[], %s::float8[])
            AS b(skill_id, at1, at2, at3, at4, at5) ON b.skill_id = a.skill_id
        GROUP BY a.profile_id
        HAVING sum(CASE a.level WHEN 1 THEN b.at1 WHEN 2 THEN b.at2
                   WHEN 3 THEN b.at3 WHEN 4 THEN b.at4 ELSE b.at5 END) >= %s
    """  # noqa: S608 (the table name comes from model metadata)
    with connection.cursor() as cursor:
        cursor.execute(sql, [bound.skill_ids, *bound.by_level, bound.minimum])
        grouped = cursor.fetchall()
    rows = []
    for profile_id, skill_ids, levels in grouped:
        rows.extend(
            (profile_id, skill_id, level)
            for skill_id, level in zip(skill_ids, levels, strict=True)
        )
    return rows


class _AttributeLoader:
    """Fills applicants' places, remote flags and credential bits by row."""

    # Above this many rows an IN list costs more than reading every row.
    IN_LIST_LIMIT = 5000

    def __init__(self, applicants, places, credential_ids, held) -> None:
        self.applicants = applicants
        self.places = places
        self.credential_ids = credential_ids
        self.column_of = {pk: index for index, pk in enumerate(credential_ids)}
        self.held = held

    def load(self, rows: np.ndarray, everyone: bool = False) -> None:
        applicants = self.applicants
        ids = applicants.ids[rows]
        by_list = not everyone or len(ids) <= self.IN_LIST_LIMIT

        profiles = ApplicantProfile.objects.filter(open_to_work=True)
        if by_list:
            profiles = profiles.filter(pk__in=id_list(ids))
        profile_rows = fetch_rows(
            profiles, ["pk", "country", "region", "open_to_remote"]
        )
        applicants.open_to_work[rows] = False
        if profile_rows:
            found = np.array([row[0] for row in profile_rows], dtype=np.int64)
            present = np.isin(found, ids)
            targets = np.searchsorted(applicants.ids, found[present])
            kept = [
                row for row, keep in zip(profile_rows, present, strict=True) if keep
            ]
            applicants.location.country[targets] = self.places.encode(
                [row[1] for row in kept]
            )
            applicants.location.region[targets] = self.places.encode(
                [row[2] for row in kept]
            )
            applicants.open_to_remote[targets] = [bool(row[3]) for row in kept]
            applicants.open_to_work[targets] = True

        if not self.credential_ids:
            return
        today = datetime.date.today()
        query = ApplicantCredential.objects.filter(
            credential_id__in=self.credential_ids, profile__open_to_work=True
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        if by_list:
            query = query.filter(profile_id__in=id_list(ids))
        pairs = np.array(
            fetch_rows(query, ["profile_id", "credential_id"]), dtype=np.int64
        ).reshape(-1, 2)
        pairs = pairs[np.isin(pairs[:, 0], ids)]
        for profile_id, credential_id in pairs.tolist():
            self.held[profile_id].add(credential_id)
        columns = np.array(
            [self.column_of[c] for c in pairs[:, 1].tolist()], dtype=np.int64
        )
        bits = credential_bits(
            np.searchsorted(applicants.ids, pairs[:, 0]),
            columns,
            len(applicants.ids),
            len(self.credential_ids),
        )
        applicants.credential_bits |= bits


def load_inputs(
    vacancy_ids: list[int] | None = None,
    profile_ids: list[int] | None = None,
    *,
    weights=None,
    min_score: float | None = None,
) -> ScoringInputs:
    """Load everything needed to score the given (or all) open vacancies.

    For one vacancy with ``weights`` and ``min_score`` given, PostgreSQL
    returns only the applicants whose score could reach ``min_score``.
    """
    skills, skill_names, related = load_skill_index()
    places = Codebook()
    vacancies, details, credential_ids = load_vacancies(
        skills, skill_names, places, vacancy_ids
    )

    asked = np.unique(skills.ids[vacancies.min_level.indices])
    neighbours = (
        skills.ids[np.unique(skills.related[skills.columns(asked)].indices)]
        if len(asked)
        else np.zeros(0, dtype=np.int64)
    )
    relevant = np.union1d(asked, neighbours)
    bound = None
    if vacancy_ids is not None and len(vacancies.ids) == 1 and min_score is not None:
        bound = _score_bound(skills, vacancies, relevant, weights, min_score)
    applicants, held = load_applicants(
        skills,
        places,
        credential_ids,
        skill_ids=relevant if vacancy_ids is not None else None,
        profile_ids=profile_ids,
        defer_attributes=vacancy_ids is not None,
        bound=bound,
    )
    return ScoringInputs(
        skills=skills,
        skill_names=skill_names,
        related=related,
        vacancies=vacancies,
        details=details,
        applicants=applicants,
        held_credentials=held,
    )


@dataclass(frozen=True)
class ScoreBound:
    """Per skill, the most that holding it at level 1 to 5 can add; the cut."""

    skill_ids: list[int]
    by_level: list[list[float]]  # five lists, for levels 1 to 5
    minimum: float


def _score_bound(skills, vacancies, relevant, weights, min_score) -> ScoreBound:
    """Bound each held skill's contribution to the vacancy's numerator.

    A skill the vacancy asks for earns its weight times its level credit. A
    skill related to an asked one earns at most RELATED times that asked
    skill's weight times the credit of its own level. Adding both terms for a
    skill that is asked and related can only overcount, so the sum over an
    applicant's skills bounds their numerator from above.
    """
    row = vacancies.min_level[0]
    asked_columns = row.indices
    asked_minimum = row.data.astype(int)
    required = vacancies.required[0].toarray().ravel()[asked_columns] > 0
    asked_weight = np.where(required, weights.required, weights.preferred)
    adjacency = skills.related
    bounds: dict[int, np.ndarray] = {}

    def add(skill_id: int, weight: float, minimum: int) -> None:
        credits = [level_credit(level, minimum, weights) for level in LEVELS]
        current = bounds.setdefault(skill_id, np.zeros(len(LEVELS)))
        current += weight * np.array(credits)

    for column, weight, minimum in zip(
        asked_columns.tolist(),
        asked_weight.tolist(),
        asked_minimum.tolist(),
        strict=True,
    ):
        add(int(skills.ids[column]), weight, minimum)
        start, end = adjacency.indptr[column], adjacency.indptr[column + 1]
        for neighbour in adjacency.indices[start:end].tolist():
            add(int(skills.ids[neighbour]), weights.related * weight, minimum)

    skill_ids = sorted(bounds)
    # A small margin keeps float rounding from cutting an applicant exactly
    # at the threshold.
    minimum = min_score * float(asked_weight.sum()) - 1e-6
    return ScoreBound(
        skill_ids=skill_ids,
        by_level=[[float(bounds[s][i]) for s in skill_ids] for i in range(5)],
        minimum=minimum,
    )
