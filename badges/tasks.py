"""Celery tasks of badges."""

import logging

from badges.services import BadgeIssueError, badge_issue, pathways_award_due
from mex.tasks import mex_task

logger = logging.getLogger(__name__)


# MexTask retries transient errors (a lost database connection, a
# serialisation failure, a deadlock, Redis down) with jittered backoff, and
# acknowledges a message only after the task ran: a worker child killed
# mid-task puts the message back, at most MEX_TASK_MAX_REDELIVERIES times.
@mex_task(bind=True)
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


@mex_task(bind=True)
def award_pathways(self, applicant_id: int) -> list[str]:
    """Issue the pathway badges an applicant has completed; safe to run twice."""
    logger.info("Checking pathways of applicant %s", applicant_id)
    awarded = pathways_award_due(applicant_id=applicant_id)
    return [str(assertion.public_id) for assertion in awarded]
