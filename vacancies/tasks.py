"""Celery tasks of the vacancies app. Each calls a service and is idempotent."""

import logging

from mex.tasks import mex_task
from vacancies import services

logger = logging.getLogger(__name__)


@mex_task
def close_vacancies_past_closing_date() -> list[int]:
    """Close the open vacancies whose closing date has passed.

    Scheduled by Celery beat shortly after midnight in TIME_ZONE.
    """
    closed = services.close_vacancies_past_closing_date()
    logger.info("Closed %s vacancies past their closing date", len(closed))
    return closed
