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

import logging
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matching.loading import ScoringInputs, load_inputs
from matching.models import Match, MatchingRun
from matching.scoring import PairResult, Scorer, Weights, explain_pair
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)

# Vacancies scored and written per transaction. The score block of all
# applicants against this many vacancies stays within a few hundred MB even
# when a few skills are held by most applicants, and a block's transaction
# holds its row locks for about a second.
VACANCY_BLOCK_SIZE = 250

_DECIDED = (Match.Status.APPROVED, Match.Status.REJECTED)
_COMPARED_FIELDS = ("score", "stars", "required_met", "required_total", "explanation")


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
    inputs = load_inputs(vacancy_ids=vacancy_ids)
    scorer = Scorer(inputs.skills, inputs.applicants, weights)
    counts = Counts()

    loaded = inputs.vacancies.ids
    for start in range(0, len(loaded), VACANCY_BLOCK_SIZE):
        rows = np.arange(start, min(start + VACANCY_BLOCK_SIZE, len(loaded)))
        candidates = scorer.score_block(inputs.vacancies, rows)
        results = _explain(inputs, candidates, weights)
        block_ids = loaded[rows].tolist()
        counts.add(_store_block(vacancy_ids=block_ids, results=results))

    if vacancy_ids is None:
        counts.withdrawn += _withdraw_not_open()
    else:
        not_loaded = sorted(set(vacancy_ids) - set(loaded.tolist()))
        if not_loaded:
            counts.add(_store_block(vacancy_ids=not_loaded, results={}))

    return counts, len(loaded), len(inputs.applicants.ids)


def _match_applicant(*, profile_id: int) -> tuple[Counts, int, int]:
    """Find the vacancies one applicant's change can affect and re-score them.

    Those are the open vacancies the applicant now qualifies for and those
    where the applicant holds a proposed match. Each is re-scored against
    every applicant, so that the top K of each stays exact.
    """
    weights = Weights.from_settings()
    inputs = load_inputs(profile_ids=[profile_id])
    # Every qualifying vacancy counts here, however many others rank higher.
    single = Weights(**{**weights.__dict__, "top_k": len(inputs.vacancies.ids) + 1})
    affected: set[int] = set()
    if len(inputs.applicants.ids):
        scorer = Scorer(inputs.skills, inputs.applicants, single)
        candidates = scorer.score_block(
            inputs.vacancies, np.arange(len(inputs.vacancies.ids))
        )
        affected.update(inputs.vacancies.ids[candidates.vacancy_rows].tolist())
    affected.update(
        Match.objects.filter(
            applicant_id=profile_id, status=Match.Status.PROPOSED
        ).values_list("vacancy_id", flat=True)
    )
    if not affected:
        return Counts(), 0, 1
    counts, vacancies, applicants = _match_vacancies(vacancy_ids=sorted(affected))
    return counts, vacancies, applicants


def _explain(
    inputs: ScoringInputs, candidates, weights: Weights
) -> dict[tuple[int, int], PairResult]:
    applicants = inputs.applicants
    levels = applicants.levels
    results = {}
    for vacancy_row, applicant_row in zip(
        candidates.vacancy_rows.tolist(),
        candidates.applicant_rows.tolist(),
        strict=True,
    ):
        vacancy_id = int(inputs.vacancies.ids[vacancy_row])
        applicant_id = int(applicants.ids[applicant_row])
        start, end = levels.indptr[applicant_row], levels.indptr[applicant_row + 1]
        held_levels = dict(
            zip(
                inputs.skills.ids[levels.indices[start:end]].tolist(),
                levels.data[start:end].astype(int).tolist(),
                strict=True,
            )
        )
        result = explain_pair(
            requirements=inputs.details.requirements.get(vacancy_id, []),
            credentials=inputs.details.credentials.get(vacancy_id, []),
            levels=held_levels,
            held_credentials=inputs.held_credentials.get(applicant_id, set()),
            related=inputs.related,
            skill_names=inputs.skill_names,
            weights=weights,
        )
        if result.eligible and result.score >= weights.min_score:
            results[(vacancy_id, applicant_id)] = result
    return results


def _store_block(
    *, vacancy_ids: list[int], results: dict[tuple[int, int], PairResult]
) -> Counts:
    """Write one block's matches by the module's rules, under row locks."""
    counts = Counts()
    with transaction.atomic():
        open_ids = set(
            Vacancy.objects.select_for_update()
            .filter(pk__in=vacancy_ids)
            .order_by("pk")
            .filter(status=Vacancy.Status.OPEN)
            .values_list("pk", flat=True)
        )
        existing = {
            (match.vacancy_id, match.applicant_id): match
            for match in Match.objects.select_for_update()
            .filter(vacancy_id__in=vacancy_ids)
            .order_by("pk")
        }

        upserts = []
        for key, result in results.items():
            if key[0] not in open_ids:
                continue
            match = existing.get(key)
            if match is None:
                counts.created += 1
            elif match.status in _DECIDED or (
                match.status == Match.Status.PROPOSED and _same(match, result)
            ):
                counts.unchanged += 1
                continue
            else:
                counts.updated += 1
            upserts.append(
                Match(
                    vacancy_id=key[0],
                    applicant_id=key[1],
                    score=result.score,
                    stars=result.stars,
                    required_met=result.required_met,
                    required_total=result.required_total,
                    explanation=result.explanation,
                    status=Match.Status.PROPOSED,
                )
            )

        withdrawn = [
            match.pk
            for key, match in existing.items()
            if match.status == Match.Status.PROPOSED
            and (key not in results or key[0] not in open_ids)
        ]

        if upserts:
            Match.objects.bulk_create(
                upserts,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["vacancy", "applicant"],
                update_fields=[*_COMPARED_FIELDS, "status", "updated_at"],
            )
        if withdrawn:
            Match.objects.filter(pk__in=withdrawn).update(
                status=Match.Status.WITHDRAWN, updated_at=timezone.now()
            )
        counts.withdrawn += len(withdrawn)
    return counts


def _same(match: Match, result: PairResult) -> bool:
    return (
        round(match.score, 4) == result.score
        and match.stars == result.stars
        and match.required_met == result.required_met
        and match.required_total == result.required_total
        and match.explanation == result.explanation
    )


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

    Locks the match row. Idempotent: approving an approved match returns it
    unchanged. Raises ValidationError for a rejected or withdrawn match.
    """
    return _decide(match_id=match_id, user=user, decision=Match.Status.APPROVED)


def match_reject(*, match_id: int, user) -> Match:
    """Reject a proposed match, recording who decided and when.

    Locks the match row. Idempotent: rejecting a rejected match returns it
    unchanged. Matching never proposes a rejected match again. Raises
    ValidationError for an approved or withdrawn match.
    """
    return _decide(match_id=match_id, user=user, decision=Match.Status.REJECTED)


def _decide(*, match_id: int, user, decision: str) -> Match:
    if user is None or not getattr(user, "is_staff", False):
        raise ValidationError("Only a MEX administrator can decide on a match.")
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match_id)
        if match.status == decision:
            return match
        if match.status != Match.Status.PROPOSED:
            raise ValidationError(
                f"Match {match.pk} is {match.get_status_display().lower()}; only "
                "a proposed match can be approved or rejected."
            )
        match.status = decision
        match.decided_by = user
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    logger.info("Match %s %s by user %s", match.pk, decision, user.pk)
    return match
