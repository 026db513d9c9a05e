"""Celery tasks of the accounts app."""

import logging

from accounts.notifications import notification_email_send
from mex.tasks import mex_task

logger = logging.getLogger(__name__)


# mex_task retries transient database, Redis and SMTP connection errors with
# backoff, and routes this task to the email queue with its time limits.
@mex_task(bind=True)
def send_notification_email(self, notification_id: int) -> bool:
    """Email one notification. Safe to run twice: the sent flag decides."""
    logger.info(
        "Emailing notification %s (attempt %s)",
        notification_id,
        self.request.retries + 1,
    )
    return notification_email_send(notification_id=notification_id)
