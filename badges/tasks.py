"""Celery tasks of badges."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from badges.services import BadgeIssueError, badge_issue, pathways_award_due

logger = logging.getLogger(__name__)

# Transient database errors (a lost connection, a serialisation failure, a
# deadlock) are retried with exponential backoff: 2 s, 4 s, 8 s ... capped at
# five minutes, at most MAX_RETRIES times.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 6


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
)
def issue_badge(self, enrolment_id: int) -> str | None:
    """Issue the badge of a completed enrolment; return its public id.

    Safe to run twice: ``badge_issue`` returns the existing assertion. An
    enrolment that is missing or not completed is logged and dropped, since
    retrying cannot change it.
    """
    logger.info(
        "Issuing badge for enrolment %s (attempt %s)",
        enrolment_id,
        self.request.retries + 1,
    )
    try:
        assertion = badge_issue(enrolment_id=enrolment_id)
    except BadgeIssueError as error:
        logger.warning("Badge for enrolment %s not issued: %s", enrolment_id, error)
        return None
    return str(assertion.public_id)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
)
def award_pathways(self, applicant_id: int) -> list[str]:
    """Issue the pathway badges an applicant has completed; safe to run twice."""
    logger.info("Checking pathways of applicant %s", applicant_id)
    awarded = pathways_award_due(applicant_id=applicant_id)
    return [str(assertion.public_id) for assertion in awarded]
