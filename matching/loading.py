"""Reading vacancies and applicants from the database into scoring matrices.

Rows are fetched as plain tuples through the database cursor and turned into
numpy arrays, because building a model instance per row would dominate the
time of a full run.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from scipy import sparse

from applicants.models import ApplicantCredential, ApplicantProfile, ApplicantSkill
from matching.models import Credential, Skill
from matching.scoring import (
    Applicants,
    CredentialRequirement,
    Locations,
    Requirement,
    SkillIndex,
    Vacancies,
    credential_bits,
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


class Codebook:
    """Gives each distinct country or region name a positive integer code."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def encode(self, values) -> np.ndarray:
        result = np.zeros(len(values), dtype=np.int64)
        for index, value in enumerate(values):
            key = (value or "").strip().lower()
            if key:
                result[index] = self.codes.setdefault(key, len(self.codes) + 1)
        return result


@dataclass
class VacancyDetails:
    """Requirements and required credentials of each loaded vacancy."""

    requirements: dict[int, list[Requirement]]
    credentials: dict[int, list[CredentialRequirement]]


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
    """Return the index of every skill, their names and related-skill sets."""
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
        vacancies = vacancies.filter(pk__in=vacancy_ids)
    rows = fetch_rows(vacancies, ["pk", "country", "region", "work_mode"])
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    row_of = {vacancy_id: index for index, vacancy_id in enumerate(ids.tolist())}

    requirements = VacancySkill.objects.filter(vacancy__in=vacancies)
    requirement_rows = fetch_rows(
        requirements, ["vacancy_id", "skill_id", "min_level", "importance"]
    )
    details = VacancyDetails(requirements=defaultdict(list), credentials={})
    r_rows, r_cols, r_levels, r_required = [], [], [], []
    for vacancy_id, skill_id, min_level, importance in sorted(requirement_rows):
        details.requirements[vacancy_id].append(
            Requirement(skill_id, skill_names[skill_id], importance, min_level)
        )
        r_rows.append(row_of[vacancy_id])
        r_cols.append(skill_id)
        r_levels.append(min_level)
        r_required.append(1.0 if importance == VacancySkill.Importance.REQUIRED else 0)
    shape = (len(ids), len(skills.ids))
    columns = skills.columns(np.array(r_cols, dtype=np.int64))
    min_level = sparse.csr_matrix(
        (np.array(r_levels, dtype=np.float64), (r_rows, columns)), shape=shape
    )
    required = sparse.csr_matrix(
        (np.array(r_required, dtype=np.float64), (r_rows, columns)), shape=shape
    )
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


def load_applicants(
    skills: SkillIndex,
    places: Codebook,
    credential_ids: list[int],
    *,
    skill_ids: np.ndarray | None = None,
    profile_ids: list[int] | None = None,
) -> tuple[Applicants, dict[int, set[int]]]:
    """Load applicants open to work who hold at least one skill of interest.

    ``skill_ids`` limits the skill rows read (an applicant holding none of
    them could not score above zero); ``profile_ids`` limits the applicants.
    Credentials past their expiry date do not count.
    """
    skill_rows_query = ApplicantSkill.objects.filter(profile__open_to_work=True)
    if skill_ids is not None:
        skill_rows_query = skill_rows_query.filter(skill_id__in=skill_ids.tolist())
    if profile_ids is not None:
        skill_rows_query = skill_rows_query.filter(profile_id__in=profile_ids)
    skill_rows = np.array(
        fetch_rows(skill_rows_query, ["profile_id", "skill_id", "level"]),
        dtype=np.int64,
    ).reshape(-1, 3)
    skill_rows = skill_rows[skills.contains(skill_rows[:, 1])]
    ids = np.unique(skill_rows[:, 0])
    id_set = set(ids.tolist())

    profiles = ApplicantProfile.objects.filter(open_to_work=True).order_by("pk")
    if profile_ids is not None or len(ids) < 5000:
        profiles = profiles.filter(pk__in=ids.tolist())
    profile_rows = fetch_rows(profiles, ["pk", "country", "region", "open_to_remote"])

    rows = np.searchsorted(ids, skill_rows[:, 0])
    levels = sparse.csr_matrix(
        (
            skill_rows[:, 2].astype(np.float64),
            (rows, skills.columns(skill_rows[:, 1])),
        ),
        shape=(len(ids), len(skills.ids)),
    )

    held: dict[int, set[int]] = defaultdict(set)
    credential_pairs: list[tuple[int, int]] = []
    if credential_ids:
        today = datetime.date.today()
        query = ApplicantCredential.objects.filter(
            credential_id__in=credential_ids, profile__open_to_work=True
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        if profile_ids is not None or len(ids) < 5000:
            query = query.filter(profile_id__in=ids.tolist())
        credential_pairs = fetch_rows(query, ["profile_id", "credential_id"])
    column_of = {pk: index for index, pk in enumerate(credential_ids)}
    c_rows, c_cols = [], []
    for profile_id, credential_id in credential_pairs:
        if profile_id in id_set:
            held[profile_id].add(credential_id)
            c_rows.append(profile_id)
            c_cols.append(column_of[credential_id])
    bits = credential_bits(
        np.searchsorted(ids, np.array(c_rows, dtype=np.int64)),
        np.array(c_cols, dtype=np.int64),
        len(ids),
        len(credential_ids),
    )

    by_id = {row[0]: row for row in profile_rows}
    ordered = [by_id.get(pk, (pk, "", "", False)) for pk in ids.tolist()]
    applicants = Applicants(
        ids=ids,
        levels=levels,
        credential_bits=bits,
        location=Locations(
            country=places.encode([row[1] for row in ordered]),
            region=places.encode([row[2] for row in ordered]),
        ),
        open_to_remote=np.array([bool(row[3]) for row in ordered], dtype=bool),
    )
    return applicants, held


def load_inputs(
    vacancy_ids: list[int] | None = None, profile_ids: list[int] | None = None
) -> ScoringInputs:
    """Load everything needed to score the given (or all) open vacancies."""
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
    applicants, held = load_applicants(
        skills,
        places,
        credential_ids,
        skill_ids=relevant if vacancy_ids is not None else None,
        profile_ids=profile_ids,
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
