"""Writes of the matching app: running matching and deciding on matches.

Matching writes ``Match`` rows by the rules below, which every entry point
(full run, one vacancy, one applicant) shares:

- A pair that qualifies gets one row (unique on vacancy and applicant),
  created or updated in bulk with an upsert.
- A re-run that computes the same score and explanation writes nothing.
- Approved and rejected matches are never changed, re-proposed or deleted.
- A proposed match that no longer qualifies, or whose vacancy is no longer
  open, is withdrawn. A withdrawn match that qualifies again is proposed again.

Writes for a block of vacancies happen in one transaction that first locks
those vacancy rows and their match rows, so concurrent runs and concurrent
approvals wait for each other instead of duplicating or overwriting rows.
"""

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Func, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit, notifications
from matching.explanations import ExplainedPair, explain_candidates
from matching.loading import (
    fetch_rows,
    load_inputs,
    vacancies_within_reach,
)
from matching.models import Match, MatchingRun
from matching.scoring import Candidates, Scorer, Weights
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)

# Vacancies scored and written per transaction. The score block of all
# applicants against this many vacancies stays within a few hundred MB even
# when a few skills are held by most applicants, and a block's transaction
# holds its row locks for about a second.
VACANCY_BLOCK_SIZE = 250

# Rows per INSERT statement: 1,000 rows of 10 values stay far below the
# parameter limits of PostgreSQL (65,535) and SQLite (250,000 since 3.32).
UPSERT_BATCH_SIZE = 1000

_DECIDED = (Match.Status.APPROVED, Match.Status.REJECTED)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0

    def add(self, other: "Counts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.withdrawn += other.withdrawn


# --- Runs -------------------------------------------------------------------


def matching_run_create(
    *, scope: str = MatchingRun.Scope.FULL, target_id: int | None = None
) -> MatchingRun:
    """Create a queued MatchingRun for a task to execute."""
    run = MatchingRun(scope=scope, target_id=target_id)
    run.full_clean()
    run.save()
    return run


def matching_run_execute(*, run_id: int) -> MatchingRun:
    """Execute a queued run: score, store matches and record the counts.

    Safe to call twice for the same run: a run that already finished is
    returned unchanged, and re-scoring is idempotent anyway. A failure marks
    the run failed with the error and re-raises it.
    """
    with transaction.atomic():
        run = MatchingRun.objects.select_for_update().get(pk=run_id)
        if run.status in (MatchingRun.Status.SUCCEEDED, MatchingRun.Status.FAILED):
            return run
        run.status = MatchingRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    logger.info("Matching run %s started (scope %s)", run.pk, run.scope)

    try:
        if run.scope == MatchingRun.Scope.FULL:
            counts, vacancies, applicants = _match_vacancies(vacancy_ids=None)
        elif run.scope == MatchingRun.Scope.VACANCY:
            counts, vacancies, applicants = _match_vacancies(
                vacancy_ids=[run.target_id]
            )
        else:
            counts, vacancies, applicants = _match_applicant(profile_id=run.target_id)
    except Exception as error:
        MatchingRun.objects.filter(pk=run.pk).update(
            status=MatchingRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}",
        )
        logger.exception("Matching run %s failed", run.pk)
        raise

    run.status = MatchingRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.vacancies_scored = vacancies
    run.applicants_scored = applicants
    run.matches_created = counts.created
    run.matches_updated = counts.updated
    run.matches_unchanged = counts.unchanged
    run.matches_withdrawn = counts.withdrawn
    run.save(
        update_fields=[
            "status",
            "finished_at",
            "vacancies_scored",
            "applicants_scored",
            "matches_created",
            "matches_updated",
            "matches_unchanged",
            "matches_withdrawn",
        ]
    )
    logger.info(
        "Matching run %s succeeded: %s created, %s updated, %s unchanged, %s withdrawn",
        run.pk,
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.withdrawn,
    )
    return run


def run_full_matching() -> MatchingRun:
    """Score every open vacancy against every applicant now, in this process.

    Creates and executes a FULL MatchingRun and returns it. Callers that want
    the work done by a worker enqueue ``matching.tasks.run_matching`` instead.
    """
    run = matching_run_create(scope=MatchingRun.Scope.FULL)
    return matching_run_execute(run_id=run.pk)


def rescore_vacancy(*, vacancy_id: int) -> MatchingRun:
    """Score one vacancy against every applicant now, and store the result.

    A vacancy that is no longer open has its proposed matches withdrawn.
    """
    run = matching_run_create(scope=MatchingRun.Scope.VACANCY, target_id=vacancy_id)
    return matching_run_execute(run_id=run.pk)


def rescore_applicant(*, profile_id: int) -> MatchingRun:
    """Re-score the vacancies whose matches one applicant's change can affect."""
    run = matching_run_create(scope=MatchingRun.Scope.APPLICANT, target_id=profile_id)
    return matching_run_execute(run_id=run.pk)


def enqueue_rescore_vacancy(*, vacancy_id: int) -> None:
    """Enqueue re-scoring of one vacancy once the current transaction commits."""
    from matching import tasks

    transaction.on_commit(lambda: tasks.rescore_vacancy.delay(vacancy_id))


def enqueue_rescore_applicant(*, profile_id: int) -> None:
    """Enqueue re-scoring for one applicant once the current transaction commits.

    Call it after a profile's skills, credentials, location or availability
    change, and after an enrolment completes.
    """
    from matching import tasks

    transaction.on_commit(lambda: tasks.rescore_applicant.delay(profile_id))


# --- Scoring and storing ----------------------------------------------------


def _match_vacancies(*, vacancy_ids: list[int] | None) -> tuple[Counts, int, int]:
    """Score the given (or all) open vacancies against all applicants."""
    weights = Weights.from_settings()
    inputs = load_inputs(
        vacancy_ids=vacancy_ids, weights=weights, min_score=weights.min_score
    )
    scorer = Scorer(inputs.skills, inputs.applicants, weights)
    counts = Counts()

    loaded = inputs.vacancies.ids
    for start in range(0, len(loaded), VACANCY_BLOCK_SIZE):
        rows = np.arange(start, min(start + VACANCY_BLOCK_SIZE, len(loaded)))
        candidates = scorer.score_block(inputs.vacancies, rows)
        results = explain_candidates(inputs, candidates, weights)
        block_ids = loaded[rows].tolist()
        counts.add(_store_block(vacancy_ids=block_ids, results=results))

    if vacancy_ids is None:
        counts.withdrawn += _withdraw_not_open()
    else:
        not_loaded = sorted(set(vacancy_ids) - set(loaded.tolist()))
        if not_loaded:
            counts.add(_store_block(vacancy_ids=not_loaded, results=[]))

    return counts, len(loaded), len(inputs.applicants.ids)


def _match_applicant(*, profile_id: int) -> tuple[Counts, int, int]:
    """Update the top K of every vacancy one applicant's change can affect.

    Scores the applicant against every open vacancy, then, for each vacancy
    where the applicant qualifies or holds a match, re-ranks only the
    applicants stored for that vacancy plus this one (see ``_rerank``).
    A vacancy whose new top K could include an applicant outside that set
    (the changed applicant fell out of a full top K) is re-scored against
    every applicant instead, so each vacancy's stored top K stays the one a
    full run would store.

    Locks the affected vacancy rows for the whole update, like a block of a
    full run, so concurrent runs on the same vacancies wait.
    """
    weights = Weights.from_settings()
    within_reach = vacancies_within_reach(profile_id=profile_id, weights=weights)
    inputs = load_inputs(vacancy_ids=within_reach, profile_ids=[profile_id])
    scored: dict[int, float] = {}
    if len(inputs.applicants.ids):
        # Every qualifying vacancy counts here, however many others rank higher.
        everyone = Weights(
            **{**weights.__dict__, "top_k": len(inputs.vacancies.ids) + 1}
        )
        candidates = Scorer(inputs.skills, inputs.applicants, everyone).score_block(
            inputs.vacancies, np.arange(len(inputs.vacancies.ids))
        )
        vacancy_ids = inputs.vacancies.ids[candidates.vacancy_rows].tolist()
        scored = dict(zip(vacancy_ids, candidates.scores.tolist(), strict=True))
    own = {
        vacancy_id: (status, score)
        for vacancy_id, status, score in Match.objects.filter(applicant_id=profile_id)
        .exclude(status=Match.Status.WITHDRAWN)
        .values_list("vacancy_id", "status", "score")
    }
    affected = sorted(set(scored) | set(own))
    if not affected:
        return Counts(), 0, 1

    counts = Counts()
    with transaction.atomic():
        open_ids = list(
            Vacancy.objects.select_for_update()
            .filter(pk__in=affected, status=Vacancy.Status.OPEN)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        not_open = sorted(set(affected) - set(open_ids))
        if not_open:
            counts.add(_store_block(vacancy_ids=not_open, results=[]))
        open_ids = _drop_unaffected(
            profile_id=profile_id,
            vacancy_ids=open_ids,
            scored=scored,
            own=own,
            top_k=weights.top_k,
        )
        exact, results, applicants = _rerank(
            profile_id=profile_id, vacancy_ids=open_ids, own=own, weights=weights
        )
        if exact:
            counts.add(_store_block(vacancy_ids=exact, results=results))
    rest = sorted(set(open_ids) - set(exact))
    if rest:
        more, _, applicants = _match_vacancies(vacancy_ids=rest)
        counts.add(more)
    logger.info(
        "Applicant %s re-ranked %s vacancies, re-scored %s in full",
        profile_id,
        len(exact),
        len(rest),
    )
    return counts, len(affected), applicants


def _drop_unaffected(
    *,
    profile_id: int,
    vacancy_ids: list[int],
    scored: dict[int, float],
    own: dict[int, tuple[str, float]],
    top_k: int,
) -> list[int]:
    """Drop the vacancies whose top K the applicant neither left nor enters.

    Those are the vacancies where the applicant held no row and K proposed
    rows of others rank above its new score. Proposed rows store their
    current score, because a run rewrites a proposed row whose score changes.
    """
    newcomers = [vacancy_id for vacancy_id in vacancy_ids if vacancy_id not in own]
    if not newcomers:
        return vacancy_ids
    new_scores = [scored[vacancy_id] for vacancy_id in newcomers]
    full = _vacancies_with_k_above(newcomers, new_scores, profile_id, top_k)
    return [vacancy_id for vacancy_id in vacancy_ids if vacancy_id not in full]


def _vacancies_with_k_above(
    vacancy_ids: list[int], scores: list[float], profile_id: int, top_k: int
) -> set[int]:
    """Return the vacancies with K proposed rows ranking above the given scores."""
    table = connection.ops.quote_name(Match._meta.db_table)
    if connection.vendor == "postgresql":
        # LATERAL with only the vacancy in its WHERE clause makes one lookup
        # per vacancy on the unique (vacancy, applicant) index, whatever the
        # table's statistics say about statuses.
        sql = f"""
            SELECT n.vacancy_id
            FROM unnest(%s::bigint[], %s::float8[]) AS n(vacancy_id, score),
            LATERAL (
                SELECT count(*) FILTER (
                    WHERE m.status = %s AND (m.score > n.score
                          OR (m.score = n.score AND m.applicant_id < %s))
                ) AS above
                FROM {table} m WHERE m.vacancy_id = n.vacancy_id
            ) counted
            WHERE counted.above >= %s
        """  # noqa: S608 (the table name comes from model metadata)
        params = [vacancy_ids, scores, Match.Status.PROPOSED.value, profile_id, top_k]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}

    score_of = dict(zip(vacancy_ids, scores, strict=True))
    rows = (
        Match.objects.filter(vacancy_id__in=vacancy_ids, status=Match.Status.PROPOSED)
        .order_by()
        .values_list("vacancy_id", "applicant_id", "score")
    )
    ranked_above: Counter[int] = Counter()
    for vacancy_id, applicant_id, score in rows:
        if (-score, applicant_id) < (-score_of[vacancy_id], profile_id):
            ranked_above[vacancy_id] += 1
    return {vacancy_id for vacancy_id, count in ranked_above.items() if count >= top_k}


def _rerank(
    *,
    profile_id: int,
    vacancy_ids: list[int],
    own: dict[int, tuple[str, float]],
    weights: Weights,
) -> tuple[list[int], list[ExplainedPair], int]:
    """Re-rank each vacancy among its stored applicants plus the changed one.

    Returns the vacancies whose re-ranked top K is provably the full one,
    their explained matches and how many applicants were scored.

    The stored proposed, approved and rejected rows of a vacancy contain its
    previous top K, because a run writes the whole top K and only
    withdraws rows that leave it. Every other applicant is unchanged, so
    before and after the change each ranks below the previous K-th. Hence
    re-ranking the stored set plus the changed applicant gives the exact
    top K. The exception is a changed applicant that was in a full previous
    top K and now ranks below where the previous K-th did, because someone
    outside the stored set may then take the freed place. The previous top K
    was full when the others alone fill K - 1 places; the previous K-th
    ranked no higher than the (K - 1)-th of the others, nor than the
    changed applicant's previous score when its proposed row records it.

    NOTE: a stored applicant whose credential expired since the last run
    drops out here, and no outsider takes the place. The nightly full run
    restores the exact top K.
    """
    stored = (
        Match.objects.filter(vacancy_id__in=vacancy_ids)
        .exclude(status=Match.Status.WITHDRAWN)
        .order_by()
        .values_list("applicant_id", flat=True)
    )
    profile_ids = sorted({*stored, profile_id})
    inputs = load_inputs(vacancy_ids=vacancy_ids, profile_ids=profile_ids)
    everyone = Weights(**{**weights.__dict__, "top_k": len(profile_ids) + 1})
    scorer = Scorer(inputs.skills, inputs.applicants, everyone)
    ranked = scorer.score_block(inputs.vacancies, np.arange(len(inputs.vacancies.ids)))
    # ``ranked`` is sorted by vacancy row, then best first.
    applicant_ids = inputs.applicants.ids[ranked.applicant_rows]
    bounds = np.searchsorted(
        ranked.vacancy_rows, np.arange(len(inputs.vacancies.ids) + 1)
    )
    top_k = weights.top_k
    exact: list[int] = []
    keep: list[np.ndarray] = []
    for row, vacancy_id in enumerate(inputs.vacancies.ids.tolist()):
        start, end = bounds[row], bounds[row + 1]
        ids = applicant_ids[start:end]
        scores = ranked.scores[start:end]
        is_changed = ids == profile_id
        others = ~is_changed
        if _outsider_may_enter(
            changed=(scores[is_changed], profile_id),
            other_scores=scores[others],
            other_ids=ids[others],
            previous=own.get(vacancy_id),
            top_k=top_k,
        ):
            continue
        exact.append(vacancy_id)
        keep.append(np.arange(start, min(end, start + top_k)))
    chosen = np.concatenate(keep) if keep else np.zeros(0, dtype=np.int64)
    candidates = Candidates(
        vacancy_rows=ranked.vacancy_rows[chosen],
        applicant_rows=ranked.applicant_rows[chosen],
        scores=ranked.scores[chosen],
    )
    results = explain_candidates(inputs, candidates, weights)
    return exact, results, len(inputs.applicants.ids)


def _outsider_may_enter(
    *,
    changed: tuple[np.ndarray, int],
    other_scores: np.ndarray,
    other_ids: np.ndarray,
    previous: tuple[str, float] | None,
    top_k: int,
) -> bool:
    """Return whether an applicant outside the re-ranked set may enter the top K.

    ``changed`` is the changed applicant's new score (empty when it no longer
    qualifies) and id, ``other_scores`` and ``other_ids`` the others who
    qualify, best first, and ``previous`` the changed applicant's stored row
    (status and score) for this vacancy, if any.
    """
    if previous is None:
        return False  # It was not in the previous top K.
    if len(other_scores) < top_k - 1:
        return False  # The previous top K held every qualifying applicant.
    new_score, profile_id = changed
    if len(new_score) == 0:
        return True
    new_key = (-float(new_score[0]), profile_id)
    floor_keys = []
    if top_k >= 2:
        floor_keys.append((-float(other_scores[top_k - 2]), int(other_ids[top_k - 2])))
    status, score = previous
    if status == Match.Status.PROPOSED:
        floor_keys.append((-float(score), profile_id))
    if not floor_keys:
        return True
    # The previous K-th ranked no higher than either key, so reaching the
    # lower of them keeps every outsider out.
    return new_key > max(floor_keys)


def _store_block(*, vacancy_ids: list[int], results: list[ExplainedPair]) -> Counts:
    """Write one block's matches by the module's rules.

    Locks the block's vacancy rows, so that two runs write a block one after
    the other. Rows whose values and explanation digest are unchanged are not
    sent at all. The upsert and the withdrawal re-check each match's status
    in their WHERE clauses, so a decision committed meanwhile is never
    overwritten.
    """
    counts = Counts()
    with transaction.atomic():
        open_ids = set(
            Vacancy.objects.select_for_update()
            .filter(pk__in=vacancy_ids)
            .order_by("pk")
            .filter(status=Vacancy.Status.OPEN)
            .values_list("pk", flat=True)
        )
        existing = _existing_matches(vacancy_ids)

        writes = []
        for result in results:
            key = (result.vacancy_id, result.applicant_id)
            if key[0] not in open_ids:
                continue
            current = existing.get(key)
            if current is None:
                counts.created += 1
            elif current.status in _DECIDED or (
                current.status == Match.Status.PROPOSED and current.same_as(result)
            ):
                counts.unchanged += 1
                continue
            writes.append(result)
        written = _upsert(writes)
        counts.updated = written - counts.created
        counts.unchanged += len(writes) - written

        kept = {
            (result.vacancy_id, result.applicant_id)
            for result in results
            if result.vacancy_id in open_ids
        }
        stale = [
            current.pk
            for key, current in existing.items()
            if current.status == Match.Status.PROPOSED and key not in kept
        ]
        counts.withdrawn = _withdraw(stale)
    return counts


@dataclass(frozen=True)
class _Stored:
    pk: int
    status: str
    score: float
    stars: int
    required_met: int
    required_total: int
    digest: str

    def same_as(self, result: ExplainedPair) -> bool:
        return (
            self.score == result.score
            and self.stars == result.stars
            and self.required_met == result.required_met
            and self.required_total == result.required_total
            and self.digest == _digest(result.explanation_json)
        )


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _existing_matches(vacancy_ids: list[int]) -> dict[tuple[int, int], _Stored]:
    """Return the block's matches with an md5 digest of each explanation.

    PostgreSQL computes the digest of its jsonb text, which equals the
    canonical text MEX writes; other databases return the stored text.
    """
    matches = Match.objects.filter(vacancy_id__in=vacancy_ids)
    fields = ["pk", "vacancy_id", "applicant_id", "status", "score", "stars"]
    fields += ["required_met", "required_total"]
    if connection.vendor == "postgresql":
        matches = matches.annotate(
            digest=Func(Cast("explanation", TextField()), function="md5")
        )
        rows = fetch_rows(matches, [*fields, "digest"])
    else:
        rows = [
            (*row[:-1], _digest(row[-1] or ""))
            for row in fetch_rows(matches, [*fields, "explanation"])
        ]
    return {
        (row[1], row[2]): _Stored(
            row[0], row[3], row[4], row[5], row[6], row[7], row[8]
        )
        for row in rows
    }


_UPDATE_CHANGED = (
    " ON CONFLICT (vacancy_id, applicant_id) DO UPDATE SET "
    "score = excluded.score, stars = excluded.stars, "
    "required_met = excluded.required_met, "
    "required_total = excluded.required_total, "
    "explanation = excluded.explanation, status = excluded.status, "
    "updated_at = excluded.updated_at "
    "WHERE {table}.status IN ('proposed', 'withdrawn') AND "
    "({table}.status = 'withdrawn' OR {table}.score <> excluded.score "
    "OR {table}.stars <> excluded.stars "
    "OR {table}.required_met <> excluded.required_met "
    "OR {table}.required_total <> excluded.required_total "
    "OR {table}.explanation <> excluded.explanation) RETURNING 1"
)
_COLUMNS = (
    "vacancy_id, applicant_id, score, stars, required_met, required_total, "
    "explanation, status, created_at, updated_at"
)


def _upsert(rows: list[ExplainedPair]) -> int:
    """Insert or update proposed matches; return how many rows were written.

    A row is updated only when it is proposed or withdrawn and something
    differs, so unchanged rows and decided matches are left alone. On
    PostgreSQL the rows travel by COPY into a temporary table, which is far
    faster than a long INSERT for hundreds of thousands of rows.
    """
    if not rows:
        return 0
    table = connection.ops.quote_name(Match._meta.db_table)
    conflict = _UPDATE_CHANGED.format(table=table)
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _upsert_by_copy(rows, table, conflict, now)

    placeholders = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH_SIZE):
            batch = rows[start : start + UPSERT_BATCH_SIZE]
            params = []
            for row in batch:
                params.extend([*_values(row), now, now])
            values = ", ".join([placeholders] * len(batch))
            # Only the quoted table name is interpolated; values are parameters.
            cursor.execute(
                f"INSERT INTO {table} ({_COLUMNS}) VALUES {values}{conflict}",  # noqa: S608
                params,
            )
            written += len(cursor.fetchall())
    return written


def _upsert_by_copy(rows, table: str, conflict: str, now) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS matching_incoming ("
            "vacancy_id bigint, applicant_id bigint, score double precision, "
            "stars smallint, required_met smallint, required_total smallint, "
            "explanation jsonb, status varchar(16)) ON COMMIT DELETE ROWS"
        )
        cursor.execute("DELETE FROM matching_incoming")
        with cursor.cursor.copy("COPY matching_incoming FROM STDIN") as copy:
            for row in rows:
                copy.write_row(_values(row))
        cursor.execute(
            f"INSERT INTO {table} ({_COLUMNS}) "  # noqa: S608
            "SELECT vacancy_id, applicant_id, score, stars, required_met, "
            "required_total, explanation, status, %s, %s FROM matching_incoming"
            + conflict,
            [now, now],
        )
        return len(cursor.fetchall())


def _values(row: ExplainedPair) -> list:
    return [
        row.vacancy_id,
        row.applicant_id,
        row.score,
        row.stars,
        row.required_met,
        row.required_total,
        row.explanation_json,
        Match.Status.PROPOSED,
    ]


def _withdraw(match_ids: list[int]) -> int:
    """Withdraw the given matches that are still proposed; return how many."""
    withdrawn = 0
    for start in range(0, len(match_ids), UPSERT_BATCH_SIZE):
        withdrawn += Match.objects.filter(
            pk__in=match_ids[start : start + UPSERT_BATCH_SIZE],
            status=Match.Status.PROPOSED,
        ).update(status=Match.Status.WITHDRAWN, updated_at=timezone.now())
    return withdrawn


def _withdraw_not_open() -> int:
    """Withdraw proposed matches whose vacancy is not open; return how many."""
    with transaction.atomic():
        ids = list(
            Match.objects.select_for_update()
            .filter(status=Match.Status.PROPOSED)
            .exclude(vacancy__status=Vacancy.Status.OPEN)
            .values_list("pk", flat=True)
        )
        Match.objects.filter(pk__in=ids).update(
            status=Match.Status.WITHDRAWN, updated_at=timezone.now()
        )
    return len(ids)


def withdraw_proposed_matches(*, vacancy_id: int) -> int:
    """Withdraw a vacancy's proposed matches; return how many.

    Runs inside the caller's transaction when there is one, so that closing a
    vacancy and withdrawing its matches commit together.
    """
    with transaction.atomic():
        ids = list(
            Match.objects.select_for_update()
            .filter(vacancy_id=vacancy_id, status=Match.Status.PROPOSED)
            .values_list("pk", flat=True)
        )
        Match.objects.filter(pk__in=ids).update(
            status=Match.Status.WITHDRAWN, updated_at=timezone.now()
        )
    return len(ids)


# --- Decisions --------------------------------------------------------------


def match_approve(*, match_id: int, user) -> Match:
    """Approve a proposed match, recording who decided and when.

    Locks the match row. Notifies the applicant and the employer's members in
    the app, and by email after commit. Idempotent: approving an approved
    match returns it unchanged. Raises ValidationError for a rejected or
    withdrawn match.
    """
    return _decide(match_id=match_id, user=user, decision=Match.Status.APPROVED)


def match_reject(*, match_id: int, user) -> Match:
    """Reject a proposed match, recording who decided and when.

    Locks the match row. Idempotent: rejecting a rejected match returns it
    unchanged. Matching never proposes a rejected match again. Raises
    ValidationError for an approved or withdrawn match.
    """
    return _decide(match_id=match_id, user=user, decision=Match.Status.REJECTED)


_AUDIT_VERBS = {Match.Status.APPROVED: "approve", Match.Status.REJECTED: "reject"}


def _decide(*, match_id: int, user, decision: str) -> Match:
    if user is None or not getattr(user, "is_staff", False):
        raise ValidationError(_("Only a MEX administrator can decide on a match."))
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match_id)
        if match.status == decision:
            return match
        if match.status != Match.Status.PROPOSED:
            raise ValidationError(
                _(
                    "Match %(match)s is %(status)s; only a proposed match can "
                    "be approved or rejected."
                )
                % {"match": match.pk, "status": match.get_status_display().lower()}
            )
        before = {"status": match.status}
        match.status = decision
        match.decided_by = user
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(
            actor=user,
            action=f"match.{_AUDIT_VERBS[decision]}",
            obj=match,
            before=before,
            after={"status": match.status, "decided_at": match.decided_at},
        )
        if decision == Match.Status.APPROVED:
            notifications.notify_match_approved(match_id=match.pk)
    logger.info("Match %s %s by user %s", match.pk, decision, user.pk)
    return match
