"""Scoring inputs kept in the worker's memory between tasks.

Scoring one new vacancy needs the skills of every applicant who could reach
the threshold, and re-scoring one changed profile needs every open vacancy's
requirements to find those it can reach. Reading either from PostgreSQL
costs a scan and a grouping of tens of thousands of rows per task. A worker
process instead keeps two copies in memory and brings each up to date
before use from the change log that triggers fill (``ScoringInputChange``):

- ``SkillSnapshot``: every applicant's skill levels, one sparse matrix with
  profile ids as rows and skill ids as columns;
- ``VacancySnapshot``: the requirements of every open vacancy;
- ``TaxonomySnapshot``: every skill's name and related skills.

Consistency: a copy is read in autocommit mode, so it contains committed rows
only. Each refresh first takes the oldest transaction id still running
(``pg_snapshot_xmin``), then reads the logged changes of every transaction
from the previous refresh's value on. A transaction that commits after a
refresh started is read again by the next one, so none is missed, and
reading a profile's or vacancy's rows again is harmless.

The copies are used only on PostgreSQL and outside a transaction. Each is
read again in full after MATCHING_SNAPSHOT_MAX_AGE seconds, after a TRUNCATE
of a logged table, or when more than a fifth of its rows changed.
"""

import datetime
import logging
import os
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from scipy import sparse

from applicants.models import ApplicantSkill
from matching.loading import fetch_rows, id_list, read_skill_index
from matching.models import ScoringInputChange
from vacancies.models import Vacancy, VacancySkill

logger = logging.getLogger(__name__)

# Above this share of changed profiles or vacancies, one full read is
# cheaper than replacing their rows.
FULL_RELOAD_SHARE = 0.2
LEVELS = 5


@dataclass
class SkillSnapshot:
    """Skill levels 1 to 5 by profile id (rows) and skill id (columns)."""

    levels: sparse.csc_matrix
    watermark: int  # oldest transaction id running when last refreshed
    loaded_at: float  # time.monotonic() of the last full read

    kind = ScoringInputChange.Kind.APPLICANT

    @classmethod
    def read(cls, watermark: int) -> "SkillSnapshot":
        rows = _skill_rows()
        return cls(_skill_matrix(rows, (0, 0)), watermark, time.monotonic())

    def size(self) -> int:
        return self.levels.shape[0]

    def replaced(self, profile_ids: list[int], watermark: int) -> "SkillSnapshot":
        """Return a copy with the rows of ``profile_ids`` read again."""
        levels = self.levels.tocoo()
        keep = ~np.isin(levels.row, np.array(profile_ids, dtype=np.int64))
        unchanged = np.column_stack(
            [levels.row[keep], levels.col[keep], levels.data[keep]]
        )
        rows = np.vstack([unchanged.astype(np.int64), _skill_rows(profile_ids)])
        return SkillSnapshot(
            _skill_matrix(rows, levels.shape), watermark, self.loaded_at
        )

    def rows_of_skills(self, skill_ids) -> np.ndarray:
        """Return (profile id, skill id, level) rows of holders of ``skill_ids``."""
        skill_ids = np.asarray(skill_ids, dtype=np.int64)
        known = skill_ids[skill_ids < self.levels.shape[1]]
        columns = self.levels[:, known]
        return np.column_stack(
            [
                columns.indices.astype(np.int64),
                np.repeat(known, np.diff(columns.indptr)),
                columns.data.astype(np.int64),
            ]
        )

    def bounded_rows(self, skill_ids, by_level, minimum: float) -> np.ndarray:
        """Return (profile id, skill id, level) rows of possible candidates.

        ``by_level[l - 1][i]`` is the most that holding ``skill_ids[i]`` at
        level l adds to a vacancy's numerator. Profiles whose sum over their
        skills reaches ``minimum`` are returned with their rows of those
        skills, as ``loading._bounded_skill_rows`` returns them from SQL.
        """
        skill_ids = np.asarray(skill_ids, dtype=np.int64)
        table = np.asarray(by_level, dtype=np.float64).reshape(LEVELS, len(skill_ids))
        known = np.flatnonzero(skill_ids < self.levels.shape[1])
        columns = self.levels[:, skill_ids[known]]
        profiles = columns.indices.astype(np.int64)
        position = np.repeat(known, np.diff(columns.indptr))
        levels = np.clip(columns.data.astype(np.int64), 1, LEVELS)
        bound = table[levels - 1, position]
        sums = np.bincount(profiles, weights=bound, minlength=self.levels.shape[0])
        keep = sums[profiles] >= minimum
        return np.column_stack(
            [profiles[keep], skill_ids[position[keep]], levels[keep]]
        )


@dataclass
class VacancySnapshot:
    """Requirements of every open vacancy, one entry per vacancy skill."""

    vacancy_ids: np.ndarray  # per entry, sorted
    skill_ids: np.ndarray
    min_levels: np.ndarray
    required: np.ndarray  # bool
    watermark: int
    loaded_at: float

    kind = ScoringInputChange.Kind.VACANCY

    @classmethod
    def read(cls, watermark: int) -> "VacancySnapshot":
        return cls(
            *_requirement_columns(_requirement_rows()), watermark, time.monotonic()
        )

    def size(self) -> int:
        return len(np.unique(self.vacancy_ids))

    def replaced(self, vacancy_ids: list[int], watermark: int) -> "VacancySnapshot":
        """Return a copy with the requirements of ``vacancy_ids`` read again."""
        keep = ~np.isin(self.vacancy_ids, np.array(vacancy_ids, dtype=np.int64))
        unchanged = np.column_stack(
            [
                self.vacancy_ids[keep],
                self.skill_ids[keep],
                self.min_levels[keep],
                self.required[keep],
            ]
        )
        rows = np.vstack([unchanged.astype(np.int64), _requirement_rows(vacancy_ids)])
        return VacancySnapshot(*_requirement_columns(rows), watermark, self.loaded_at)

    def within_reach(self, skill_ids, by_level, weights) -> list[int]:
        """Return the open vacancies where credit can reach ``weights.min_score``.

        ``by_level[m - 1][i]`` is the credit the applicant earns for a
        requirement on ``skill_ids[i]`` at minimum level m. Computes what
        ``loading.vacancies_within_reach`` queries PostgreSQL for, with the same
        margin for float rounding.
        """
        skill_ids = np.asarray(skill_ids, dtype=np.int64)
        order = np.argsort(skill_ids)
        skill_ids = skill_ids[order]
        table = np.asarray(by_level, dtype=np.float64).reshape(LEVELS, -1)[:, order]
        credit = np.zeros(len(self.skill_ids))
        if len(skill_ids):
            position = np.minimum(
                np.searchsorted(skill_ids, self.skill_ids), len(skill_ids) - 1
            )
            found = skill_ids[position] == self.skill_ids
            levels = np.clip(self.min_levels, 1, LEVELS) - 1
            credit = np.where(found, table[levels, position], 0.0)
        weight = np.where(self.required, weights.required, weights.preferred)
        vacancies, entry_vacancy = np.unique(self.vacancy_ids, return_inverse=True)
        numerator = np.bincount(entry_vacancy, weights=weight * credit)
        total = np.bincount(entry_vacancy, weights=weight)
        reach = numerator >= (weights.min_score - 1e-6) * total
        return vacancies[reach & (numerator > 0)].tolist()


@dataclass
class TaxonomySnapshot:
    """The skill index, skill names and related-skill sets of the taxonomy."""

    index: object  # matching.scoring.SkillIndex
    names: dict[int, str]
    related: dict[int, set[int]]
    watermark: int
    loaded_at: float

    kind = ScoringInputChange.Kind.SKILL

    @classmethod
    def read(cls, watermark: int) -> "TaxonomySnapshot":
        return cls(*read_skill_index(), watermark, time.monotonic())

    def size(self) -> int:
        # Any change reads the taxonomy again: it changes rarely and as a whole.
        return 0

    def replaced(self, skill_ids: list[int], watermark: int) -> "TaxonomySnapshot":
        return self.read(watermark)


_lock = threading.Lock()
_copies: dict[tuple[str, str, str], object] = {}


def skill_snapshot() -> SkillSnapshot | None:
    """Return this process's up-to-date copy of applicants' skills, or None.

    None on databases other than PostgreSQL, inside a transaction (whose
    uncommitted rows must not enter the shared copy), and when
    MATCHING_SNAPSHOT_MAX_AGE is 0.
    """
    return _up_to_date(SkillSnapshot)


def vacancy_snapshot() -> VacancySnapshot | None:
    """Return this process's up-to-date copy of open vacancies' requirements.

    None in the same cases as ``skill_snapshot``.
    """
    return _up_to_date(VacancySnapshot)


def taxonomy_snapshot() -> TaxonomySnapshot | None:
    """Return this process's up-to-date copy of the skill taxonomy, or None.

    None in the same cases as ``skill_snapshot``.
    """
    return _up_to_date(TaxonomySnapshot)


def forget_snapshots() -> None:
    """Drop every copy held by this process, so that the next use reads anew."""
    with _lock:
        _copies.clear()


def warm_in_background() -> threading.Thread | None:
    """Start reading every copy in a thread of its own, and return the thread.

    For a worker process that has just started, so that its first task finds
    the copies read. A task that needs a copy meanwhile waits on the lock of
    the copies. Starts nothing and returns None where the copies are off, on
    databases other than PostgreSQL and when MATCHING_SNAPSHOT_MAX_AGE is 0.
    A failed read is logged, and the first task that needs the copy reads it.
    """
    if connection.vendor != "postgresql" or settings.MATCHING_SNAPSHOT_MAX_AGE <= 0:
        return None
    thread = threading.Thread(target=_warm, name="matching-snapshot-warm", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    started = time.monotonic()
    try:
        for read in (skill_snapshot, vacancy_snapshot, taxonomy_snapshot):
            read()
    except Exception:
        logger.exception(
            "Process %s failed to read the matching copies at worker start",
            os.getpid(),
        )
    else:
        logger.info(
            "Process %s read the matching copies at worker start in %.0f ms",
            os.getpid(),
            (time.monotonic() - started) * 1000,
        )
    finally:
        # The thread's own database connection, which no task will reuse.
        connection.close()


def prune_change_log() -> int:
    """Delete logged changes older than MATCHING_CHANGE_LOG_DAYS; return how many.

    A copy refreshed from a pruned log would miss changes, so the log must
    outlive MATCHING_SNAPSHOT_MAX_AGE; one day against one hour by default.
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.MATCHING_CHANGE_LOG_DAYS)
    deleted, _ = ScoringInputChange.objects.filter(changed_at__lt=cutoff).delete()
    return deleted


def _up_to_date(copy_type):
    max_age = settings.MATCHING_SNAPSHOT_MAX_AGE
    if connection.vendor != "postgresql" or connection.in_atomic_block or max_age <= 0:
        return None
    key = (copy_type.kind, connection.alias, str(connection.settings_dict["NAME"]))
    with _lock:
        current = _copies.get(key)
        if current is None or time.monotonic() - current.loaded_at > max_age:
            current = _read_all(copy_type, _oldest_running_transaction())
        else:
            watermark, changed = _changes_since(copy_type.kind, current.watermark)
            if not changed:
                current.watermark = watermark
            elif None in changed or len(changed) > FULL_RELOAD_SHARE * max(
                1, current.size()
            ):
                current = _read_all(copy_type, watermark)
            else:
                current = current.replaced(changed, watermark)
        _copies[key] = current
        return current


def _read_all(copy_type, watermark: int):
    started = time.monotonic()
    copy = copy_type.read(watermark)
    logger.info(
        "Read all %s scoring inputs into memory in %.0f ms",
        copy_type.kind,
        (time.monotonic() - started) * 1000,
    )
    return copy


def _changes_since(kind: str, watermark: int) -> tuple[int, list[int | None]]:
    """Return the oldest running transaction id and the ids logged since.

    One statement, so one round trip per use of a copy. The ids are those of
    ``kind`` changed by transactions from ``watermark`` on; None stands for
    a TRUNCATE.
    """
    table = connection.ops.quote_name(ScoringInputChange._meta.db_table)
    sql = f"""
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
               ARRAY(SELECT DISTINCT object_id FROM {table}
                     WHERE kind = %s AND transaction_id >= %s)
    """  # noqa: S608 (the table name comes from model metadata)
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, watermark])
        oldest, changed = cursor.fetchone()
    return oldest, list(changed)


def _oldest_running_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _skill_rows(profile_ids: list[int] | None = None) -> np.ndarray:
    rows = ApplicantSkill.objects.order_by()
    if profile_ids is not None:
        rows = rows.filter(profile_id__in=id_list(np.asarray(profile_ids)))
    values = fetch_rows(rows, ["profile_id", "skill_id", "level"])
    return np.array(values, dtype=np.int64).reshape(-1, 3)


def _skill_matrix(rows: np.ndarray, shape: tuple[int, int]) -> sparse.csc_matrix:
    shape = (
        max(shape[0], int(rows[:, 0].max(initial=-1)) + 1),
        max(shape[1], int(rows[:, 1].max(initial=-1)) + 1),
    )
    return sparse.csc_matrix(
        (rows[:, 2].astype(np.int8), (rows[:, 0], rows[:, 1])), shape=shape
    )


def _requirement_rows(vacancy_ids: list[int] | None = None) -> np.ndarray:
    """Return (vacancy id, skill id, minimum level, required) of open vacancies."""
    rows = VacancySkill.objects.filter(vacancy__status=Vacancy.Status.OPEN).order_by()
    if vacancy_ids is not None:
        rows = rows.filter(vacancy_id__in=id_list(np.asarray(vacancy_ids)))
    values = fetch_rows(rows, ["vacancy_id", "skill_id", "min_level", "importance"])
    required = VacancySkill.Importance.REQUIRED
    return np.array(
        [(v, s, m, importance == required) for v, s, m, importance in values],
        dtype=np.int64,
    ).reshape(-1, 4)


def _requirement_columns(rows: np.ndarray) -> tuple[np.ndarray, ...]:
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    return rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3].astype(bool)
