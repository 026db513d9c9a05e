"""Celery tasks of the accounts app."""

import logging
import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

from accounts.notifications import notification_email_send

logger = logging.getLogger(__name__)

# A lost database connection or a mail server that is down or refuses for
# now is retried with exponential backoff: 30 s, 60 s, 120 s ... capped at an
# hour, at most MAX_RETRIES times.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
)
MAX_RETRIES = 8


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def send_notification_email(self, notification_id: int) -> bool:
    """Email one notification. Safe to run twice: the sent flag decides."""
    logger.info(
        "Emailing notification %s (attempt %s)",
        notification_id,
        self.request.retries + 1,
    )
    return notification_email_send(notification_id=notification_id)
