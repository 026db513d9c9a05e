"""Celery tasks of the matching app. Each takes ids and calls a service."""

import logging

from celery import shared_task
from django.db import OperationalError

from matching import services
from matching.models import MatchingRun

logger = logging.getLogger(__name__)

# Transient database errors (a dropped connection, a deadlock victim) are
# retried with exponential backoff: 10 s, 20 s, 40 s, ...
RETRY_OPTIONS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY_OPTIONS)
def run_matching(run_id: int) -> int:
    """Execute a queued MatchingRun. Safe to run twice for the same id."""
    logger.info("Task run_matching started for run %s", run_id)
    run = services.matching_run_execute(run_id=run_id)
    return run.pk


@shared_task(**RETRY_OPTIONS)
def run_nightly_matching() -> int:
    """Re-match every open vacancy; scheduled nightly by Celery beat."""
    run = services.matching_run_create(scope=MatchingRun.Scope.FULL)
    logger.info("Nightly matching run %s created", run.pk)
    services.matching_run_execute(run_id=run.pk)
    return run.pk


@shared_task(**RETRY_OPTIONS)
def rescore_vacancy(vacancy_id: int) -> int:
    """Re-score one vacancy against all applicants; withdraws if it closed."""
    logger.info("Task rescore_vacancy started for vacancy %s", vacancy_id)
    return services.rescore_vacancy(vacancy_id=vacancy_id).pk


@shared_task(**RETRY_OPTIONS)
def rescore_applicant(profile_id: int) -> int:
    """Re-score the vacancies one applicant's profile change can affect."""
    logger.info("Task rescore_applicant started for profile %s", profile_id)
    return services.rescore_applicant(profile_id=profile_id).pk
