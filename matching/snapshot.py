"""Every applicant's skill levels, kept in the worker's memory between tasks.

Scoring one new vacancy needs the skills of every applicant who could
reach the threshold; reading them from PostgreSQL costs a scan and a
grouping of every row that holds one of the vacancy's skills. A worker
process instead keeps one sparse matrix of all skill levels (rows are
profile ids, columns skill ids) and brings it up to date before each use
from the change log that a trigger fills (``ApplicantSkillChange``).

Consistency: the copy is read in autocommit mode, so it holds committed
rows only. Each refresh first takes the oldest transaction id still running
(``pg_snapshot_xmin``), then reads the logged changes of every transaction
from the previous refresh's value on. A transaction that commits after a
refresh started is re-read by the next one, so none is missed, and
re-reading a profile's rows is harmless.

The copy is used only on PostgreSQL and outside a transaction, and it is
read again in full after MATCHING_SNAPSHOT_MAX_AGE seconds or after a
TRUNCATE of the skills table.
"""

import datetime
import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from scipy import sparse

from applicants.models import ApplicantSkill
from matching.loading import fetch_rows, id_list
from matching.models import ApplicantSkillChange

logger = logging.getLogger(__name__)

# Above this share of changed profiles, one full read is cheaper than
# replacing their rows.
FULL_RELOAD_SHARE = 0.2


@dataclass
class SkillSnapshot:
    """Skill levels 1 to 5 by profile id (rows) and skill id (columns)."""

    levels: sparse.csc_matrix
    # Oldest transaction id that was still running when the copy was read.
    watermark: int
    loaded_at: float  # time.monotonic() of the last full read

    def bounded_rows(self, skill_ids, by_level, minimum: float) -> np.ndarray:
        """Return (profile id, skill id, level) rows of possible candidates.

        ``by_level[l - 1][i]`` is the most that holding ``skill_ids[i]`` at
        level l adds to a vacancy's numerator. Profiles whose sum over their
        skills reaches ``minimum`` are returned with their rows of those
        skills, as ``loading._bounded_skill_rows`` returns them from SQL.
        """
        skill_ids = np.asarray(skill_ids, dtype=np.int64)
        table = np.asarray(by_level, dtype=np.float64).reshape(5, len(skill_ids))
        known = np.flatnonzero(skill_ids < self.levels.shape[1])
        columns = self.levels[:, skill_ids[known]]
        profiles = columns.indices.astype(np.int64)
        position = np.repeat(known, np.diff(columns.indptr))
        levels = np.clip(columns.data.astype(np.int64), 1, 5)
        bound = table[levels - 1, position]
        sums = np.bincount(profiles, weights=bound, minlength=self.levels.shape[0])
        keep = sums[profiles] >= minimum
        return np.column_stack(
            [profiles[keep], skill_ids[position[keep]], levels[keep]]
        )


_lock = threading.Lock()
_snapshots: dict[tuple[str, str], SkillSnapshot] = {}


def skill_snapshot() -> SkillSnapshot | None:
    """Return this process's up-to-date copy of applicants' skills, or None.

    None on databases other than PostgreSQL, inside a transaction (whose
    uncommitted rows must not enter the shared copy), and when
    MATCHING_SNAPSHOT_MAX_AGE is 0.
    """
    max_age = settings.MATCHING_SNAPSHOT_MAX_AGE
    if connection.vendor != "postgresql" or connection.in_atomic_block or max_age <= 0:
        return None
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    with _lock:
        current = _snapshots.get(key)
        if current is None or time.monotonic() - current.loaded_at > max_age:
            current = _read_all()
        else:
            current = _refresh(current)
        _snapshots[key] = current
        return current


def forget_snapshots() -> None:
    """Drop every copy held by this process, so that the next use reads anew."""
    with _lock:
        _snapshots.clear()


def prune_change_log() -> int:
    """Delete logged changes older than MATCHING_CHANGE_LOG_DAYS; return how many.

    A copy older than the log would miss changes, so the log must outlive
    MATCHING_SNAPSHOT_MAX_AGE, which the default of one day does.
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.MATCHING_CHANGE_LOG_DAYS)
    deleted, _ = ApplicantSkillChange.objects.filter(changed_at__lt=cutoff).delete()
    return deleted


def _oldest_running_transaction() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _read_rows(profile_ids: list[int] | None = None) -> np.ndarray:
    rows = ApplicantSkill.objects.order_by()
    if profile_ids is not None:
        rows = rows.filter(profile_id__in=id_list(np.asarray(profile_ids)))
    values = fetch_rows(rows, ["profile_id", "skill_id", "level"])
    return np.array(values, dtype=np.int64).reshape(-1, 3)


def _matrix(rows: np.ndarray, shape: tuple[int, int]) -> sparse.csc_matrix:
    shape = (
        max(shape[0], int(rows[:, 0].max(initial=-1)) + 1),
        max(shape[1], int(rows[:, 1].max(initial=-1)) + 1),
    )
    return sparse.csc_matrix(
        (rows[:, 2].astype(np.int8), (rows[:, 0], rows[:, 1])), shape=shape
    )


def _read_all() -> SkillSnapshot:
    started = time.monotonic()
    watermark = _oldest_running_transaction()
    rows = _read_rows()
    snapshot = SkillSnapshot(
        levels=_matrix(rows, (0, 0)), watermark=watermark, loaded_at=started
    )
    logger.info(
        "Read %s applicant skill rows into memory in %.0f ms",
        len(rows),
        (time.monotonic() - started) * 1000,
    )
    return snapshot


def _refresh(snapshot: SkillSnapshot) -> SkillSnapshot:
    watermark = _oldest_running_transaction()
    changed = list(
        ApplicantSkillChange.objects.filter(transaction_id__gte=snapshot.watermark)
        .order_by()
        .values_list("profile_id", flat=True)
        .distinct()
    )
    if not changed:
        snapshot.watermark = watermark
        return snapshot
    profiles = snapshot.levels.shape[0]
    if None in changed or len(changed) > FULL_RELOAD_SHARE * max(1, profiles):
        return _read_all()

    changed_ids = np.array(changed, dtype=np.int64)
    levels = snapshot.levels.tocoo()
    keep = ~np.isin(levels.row, changed_ids)
    kept = np.column_stack([levels.row[keep], levels.col[keep], levels.data[keep]])
    rows = np.vstack([kept.astype(np.int64), _read_rows(changed)])
    return SkillSnapshot(
        levels=_matrix(rows, levels.shape),
        watermark=watermark,
        loaded_at=snapshot.loaded_at,
    )
