"""Writes of the vacancies app: publishing, closing and editing vacancies."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matching.services import enqueue_rescore_vacancy, withdraw_proposed_matches
from vacancies.models import Vacancy

logger = logging.getLogger(__name__)


def vacancy_publish(*, vacancy_id: int) -> Vacancy:
    """Open a draft (or re-open a closed) vacancy and enqueue its matching.

    Locks the vacancy row. Idempotent: publishing an open vacancy only
    enqueues a re-score. A filled vacancy cannot be published again. The
    re-score task is enqueued on commit.
    """
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        if vacancy.status == Vacancy.Status.FILLED:
            raise ValidationError(
                f"Vacancy {vacancy.pk} is filled; post a new vacancy instead."
            )
        if not vacancy.employer.is_approved:
            raise ValidationError(
                f"Employer {vacancy.employer_id} is not approved yet, so its "
                "vacancies cannot be published."
            )
        if vacancy.status != Vacancy.Status.OPEN:
            vacancy.status = Vacancy.Status.OPEN
            vacancy.published_at = vacancy.published_at or timezone.now()
            vacancy.closed_at = None
            vacancy.full_clean()
            vacancy.save()
            logger.info("Vacancy %s published", vacancy.pk)
        enqueue_rescore_vacancy(vacancy_id=vacancy.pk)
    return vacancy


def vacancy_close(*, vacancy_id: int, filled: bool = False) -> Vacancy:
    """Close (or mark filled) a vacancy and withdraw its proposed matches.

    Locks the vacancy row; the withdrawal commits with the status change.
    Approved matches stay approved. Idempotent.
    """
    status = Vacancy.Status.FILLED if filled else Vacancy.Status.CLOSED
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        if vacancy.status != status:
            now = timezone.now()
            vacancy.status = status
            if filled:
                vacancy.filled_at = now
            vacancy.closed_at = now
            vacancy.save()
            logger.info("Vacancy %s closed as %s", vacancy.pk, status)
        withdraw_proposed_matches(vacancy_id=vacancy.pk)
    return vacancy


def vacancy_requirements_changed(*, vacancy_id: int) -> None:
    """Enqueue re-scoring after a vacancy's skills, credentials or place change.

    Call it inside the transaction that saved the change; the task runs on
    commit.
    """
    enqueue_rescore_vacancy(vacancy_id=vacancy_id)
