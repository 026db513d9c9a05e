"""Celery tasks of the matching app. Each takes ids and calls a service.

Every task runs on the "matching" queue (CELERY_TASK_ROUTES) with the
retries and redelivery cap of ``mex.tasks.MexTask``, and is safe to run
twice because matching writes are idempotent.
"""

import logging

from matching import services, snapshot
from matching.models import MatchingRun
from mex.tasks import mex_task

logger = logging.getLogger(__name__)

# One vacancy or one profile takes well under a minute even on a large
# exchange; a run that takes longer is stuck and should fail and retry.
RESCORE_SOFT_TIME_LIMIT = 240
RESCORE_TIME_LIMIT = 300


@mex_task
def run_matching(run_id: int) -> int:
    """Execute a queued MatchingRun. Safe to run twice for the same id."""
    logger.info("Task run_matching started for run %s", run_id)
    run = services.matching_run_execute(run_id=run_id)
    return run.pk


@mex_task
def run_nightly_matching() -> int:
    """Re-match every open vacancy and prune the skill change log.

    Scheduled nightly by Celery beat.
    """
    run = services.matching_run_create(scope=MatchingRun.Scope.FULL)
    logger.info("Nightly matching run %s created", run.pk)
    services.matching_run_execute(run_id=run.pk)
    pruned = snapshot.prune_change_log()
    logger.info("Pruned %s old applicant skill changes", pruned)
    return run.pk


@mex_task(soft_time_limit=RESCORE_SOFT_TIME_LIMIT, time_limit=RESCORE_TIME_LIMIT)
def rescore_vacancy(vacancy_id: int) -> int:
    """Re-score one vacancy against all applicants; withdraws if it closed."""
    logger.info("Task rescore_vacancy started for vacancy %s", vacancy_id)
    return services.rescore_vacancy(vacancy_id=vacancy_id).pk


@mex_task(soft_time_limit=RESCORE_SOFT_TIME_LIMIT, time_limit=RESCORE_TIME_LIMIT)
def rescore_applicant(profile_id: int) -> int:
    """Re-score the vacancies one applicant's profile change can affect."""
    logger.info("Task rescore_applicant started for profile %s", profile_id)
    return services.rescore_applicant(profile_id=profile_id).pk
