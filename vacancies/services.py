"""Writes of the vacancies app: publishing, closing and editing vacancies."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matching.models import Occupation, SkillLevel
from matching.selectors import occupation_typical_skills
from matching.services import enqueue_rescore_vacancy, withdraw_proposed_matches
from vacancies.models import Vacancy, VacancySkill

# Typical skills of an occupation at least this important (O*NET's 1 to 5
# scale) become required skills of a vacancy; less important ones preferred.
REQUIRED_FROM_IMPORTANCE = 4.0

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


def vacancy_skill_set(
    *, vacancy_id: int, skill_id: int, min_level: int, importance: str
) -> VacancySkill:
    """Add or change one skill requirement; re-score on commit if open.

    Locks the vacancy row. Idempotent.
    """
    if importance not in VacancySkill.Importance.values:
        raise ValidationError(
            f"Importance {importance!r} is invalid: use required or preferred."
        )
    if min_level not in SkillLevel.values:
        raise ValidationError(
            f"Minimum level {min_level!r} is invalid: use a whole number 1 to 5."
        )
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        requirement, _ = VacancySkill.objects.update_or_create(
            vacancy=vacancy,
            skill_id=skill_id,
            defaults={"min_level": min_level, "importance": importance},
        )
        _rescore_if_open(vacancy)
    return requirement


def vacancy_skill_remove(*, vacancy_id: int, skill_id: int) -> None:
    """Remove one skill requirement; re-score on commit if open. Idempotent."""
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        VacancySkill.objects.filter(vacancy=vacancy, skill_id=skill_id).delete()
        _rescore_if_open(vacancy)


def vacancy_add_occupation_skills(
    *, vacancy_id: int, occupation_id: int, min_importance: float = 3.5
) -> list[int]:
    """Start a vacancy from an occupation's typical skills.

    Adds each typical skill of at least ``min_importance`` (1 to 5) that the
    vacancy does not list yet: required from importance 4, preferred below,
    at the occupation's level. Sets the vacancy's NOC code when the
    occupation has exactly one and the vacancy none. Returns the ids added.
    """
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
        listed = set(vacancy.skill_requirements.values_list("skill_id", flat=True))
        added = []
        for typical in occupation_typical_skills(
            occupation_id=occupation_id, min_importance=min_importance
        ):
            if typical.skill_id in listed:
                continue
            VacancySkill.objects.create(
                vacancy=vacancy,
                skill_id=typical.skill_id,
                min_level=typical.level,
                importance=(
                    VacancySkill.Importance.REQUIRED
                    if typical.importance >= REQUIRED_FROM_IMPORTANCE
                    else VacancySkill.Importance.PREFERRED
                ),
            )
            added.append(typical.skill_id)
        noc_codes = typical_occupation_noc_codes(occupation_id)
        if not vacancy.noc_code and len(noc_codes) == 1:
            vacancy.noc_code = noc_codes[0]
            vacancy.save(update_fields=["noc_code", "updated_at"])
        if added:
            _rescore_if_open(vacancy)
    return added


def typical_occupation_noc_codes(occupation_id: int) -> list[str]:
    return Occupation.objects.get(pk=occupation_id).noc_codes


def _rescore_if_open(vacancy: Vacancy) -> None:
    if vacancy.status == Vacancy.Status.OPEN:
        enqueue_rescore_vacancy(vacancy_id=vacancy.pk)
