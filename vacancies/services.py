"""Writes of the vacancies app: editing, publishing, closing and hiring.

Each service runs in one transaction, locks the vacancy row it changes and
validates before it saves. A vacancy that is open when its requirements
change, or when it is published, is re-scored by the matching worker after
the transaction commits.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Organization
from accounts.selectors import ensure_organization_can_publish
from matching.models import Credential, Match, Occupation, Skill, SkillLevel
from matching.selectors import occupation_typical_skills
from matching.services import enqueue_rescore_vacancy, withdraw_proposed_matches
from vacancies.models import CandidateStage, Vacancy, VacancySkill

logger = logging.getLogger(__name__)

# Typical skills of an occupation at least this important (O*NET's 1 to 5
# scale) become required skills of a vacancy; less important ones preferred.
REQUIRED_FROM_IMPORTANCE = 4.0

# The fields of a vacancy that its employer edits; everything else (status,
# dates, import source) changes only through the services below.
EDITABLE_FIELDS = (
    "title",
    "description",
    "location",
    "region",
    "country",
    "work_mode",
    "employment_type",
    "hours_per_week",
    "wage_min",
    "wage_max",
    "wage_currency",
    "wage_period",
    "noc_code",
    "experience",
    "closes_on",
)


@dataclass(frozen=True)
class SkillRequirement:
    """One skill requirement of a vacancy, as the employer picked it."""

    skill_id: int
    min_level: int
    importance: str


def _lock_vacancy(vacancy_id: int, organization: Organization | None) -> Vacancy:
    queryset = Vacancy.objects.select_for_update().select_related("employer")
    if organization is not None:
        queryset = queryset.filter(employer=organization)
    return queryset.get(pk=vacancy_id)


def _clean_requirements(
    requirements: Iterable[SkillRequirement],
) -> list[SkillRequirement]:
    """Check every requirement and return them; raise listing each problem."""
    requirements = list(requirements)
    errors = []
    known = set(
        Skill.objects.filter(
            pk__in=[requirement.skill_id for requirement in requirements]
        ).values_list("pk", flat=True)
    )
    seen = set()
    for requirement in requirements:
        if requirement.skill_id not in known:
            errors.append(
                _("Skill %(id)s does not exist: pick skills from the search.")
                % {"id": requirement.skill_id}
            )
        elif requirement.skill_id in seen:
            errors.append(
                _("Skill %(id)s is listed twice: keep one row for it.")
                % {"id": requirement.skill_id}
            )
        if requirement.min_level not in SkillLevel.values:
            errors.append(
                _("Minimum level %(level)r is invalid: choose a level from 1 to 5.")
                % {"level": requirement.min_level}
            )
        if requirement.importance not in VacancySkill.Importance.values:
            errors.append(
                _("Importance %(value)r is invalid: choose required or preferred.")
                % {"value": requirement.importance}
            )
        seen.add(requirement.skill_id)
    if errors:
        raise ValidationError(errors, code="invalid_skill")
    return requirements


def _replace_requirements(
    vacancy: Vacancy, requirements: list[SkillRequirement]
) -> None:
    wanted = {requirement.skill_id for requirement in requirements}
    vacancy.skill_requirements.exclude(skill_id__in=wanted).delete()
    for requirement in requirements:
        VacancySkill.objects.update_or_create(
            vacancy=vacancy,
            skill_id=requirement.skill_id,
            defaults={
                "min_level": requirement.min_level,
                "importance": requirement.importance,
            },
        )


def _ensure_open_vacancy_not_closed(vacancy: Vacancy) -> None:
    """Reject a closing date that has passed on a vacancy that stays open.

    ``vacancy_publish`` refuses such a date, so an open vacancy must not get
    one by an edit either.
    """
    if vacancy.status != Vacancy.Status.OPEN or vacancy.closes_on is None:
        return
    if vacancy.closes_on < timezone.localdate():
        error = ValidationError(
            _(
                "Applications close on %(date)s, which has passed, but the "
                "vacancy is open: choose a later date, clear it, or close "
                "the vacancy."
            )
            % {"date": vacancy.closes_on.isoformat()},
            code="closing_date_passed",
        )
        raise ValidationError({"closes_on": error})


@transaction.atomic
def vacancy_save(
    *,
    organization: Organization,
    fields: dict[str, Any],
    requirements: Iterable[SkillRequirement],
    credential_ids: Iterable[int],
    vacancy_id: int | None = None,
    by=None,
) -> Vacancy:
    """Create a draft vacancy, or change one of ``organization``'s vacancies.

    ``fields`` maps names in ``EDITABLE_FIELDS`` to values; unknown keys raise
    ValueError. The skill requirements and required credentials replace the
    vacancy's current ones. Raises ValidationError, naming each bad value,
    and saves nothing when a field, skill or credential is invalid or the
    vacancy is filled. Locks the vacancy row when it exists. Enqueues a
    re-score on commit when the vacancy is open. An open vacancy's closing
    date must not have passed. Not idempotent for creation.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable vacancy fields: {sorted(unknown)}")
    requirements = _clean_requirements(requirements)
    credential_ids = set(credential_ids)
    credentials = list(Credential.objects.filter(pk__in=credential_ids))
    if len(credentials) != len(credential_ids):
        missing = sorted(credential_ids - {credential.pk for credential in credentials})
        raise ValidationError(
            _("Credential %(ids)s does not exist: pick credentials from the list.")
            % {"ids": ", ".join(str(pk) for pk in missing)},
            code="invalid_credential",
        )

    if vacancy_id is None:
        vacancy = Vacancy(employer=organization, status=Vacancy.Status.DRAFT)
    else:
        vacancy = _lock_vacancy(vacancy_id, organization)
        if vacancy.status == Vacancy.Status.FILLED:
            raise ValidationError(
                _("This vacancy is filled and can no longer change: post a new one."),
                code="filled",
            )
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.full_clean()
    _ensure_open_vacancy_not_closed(vacancy)
    vacancy.save()
    _replace_requirements(vacancy, requirements)
    vacancy.required_credentials.set(credentials)

    if vacancy.status == Vacancy.Status.OPEN:
        enqueue_rescore_vacancy(vacancy_id=vacancy.pk)
    logger.info(
        "Vacancy %s saved by user %s (%s skills)",
        vacancy.pk,
        getattr(by, "pk", None),
        len(requirements),
    )
    return vacancy


def vacancy_publish(*, vacancy_id: int, by=None) -> Vacancy:
    """Open a draft (or re-open a closed) vacancy and enqueue its matching.

    Raises ValidationError when the employer may not publish (code
    ``not_approved``), the vacancy is filled (``filled``) or its closing date
    has passed (``closing_date_passed``). Locks the vacancy row. Idempotent:
    publishing an open vacancy only enqueues another re-score, which runs
    once the transaction commits (``matching.tasks.rescore_vacancy``).
    """
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy_id, None)
        ensure_organization_can_publish(vacancy.employer)
        if vacancy.status == Vacancy.Status.FILLED:
            raise ValidationError(
                _("This vacancy is filled: post a new vacancy instead."),
                code="filled",
            )
        if vacancy.closes_on is not None and vacancy.closes_on < timezone.localdate():
            raise ValidationError(
                _(
                    "Applications closed on %(date)s: change or clear the "
                    "closing date before publishing."
                )
                % {"date": vacancy.closes_on.isoformat()},
                code="closing_date_passed",
            )
        if vacancy.status != Vacancy.Status.OPEN:
            vacancy.status = Vacancy.Status.OPEN
            vacancy.published_at = vacancy.published_at or timezone.now()
            vacancy.closed_at = None
            vacancy.full_clean()
            vacancy.save()
            logger.info(
                "Vacancy %s published by user %s", vacancy.pk, getattr(by, "pk", None)
            )
        enqueue_rescore_vacancy(vacancy_id=vacancy.pk)
    return vacancy


def vacancy_close(*, vacancy_id: int, filled: bool = False, by=None) -> Vacancy:
    """Close a vacancy, or mark it filled, and withdraw its proposed matches.

    A filled vacancy stays filled. Approved matches stay approved, so the
    employer keeps its candidates. Locks the vacancy row, and the withdrawal
    commits with the status change. Idempotent. Enqueues nothing.
    """
    status = Vacancy.Status.FILLED if filled else Vacancy.Status.CLOSED
    with transaction.atomic():
        vacancy = _lock_vacancy(vacancy_id, None)
        if vacancy.status == Vacancy.Status.FILLED:
            return vacancy
        if vacancy.status != status:
            now = timezone.now()
            vacancy.status = status
            if filled:
                vacancy.filled_at = now
            vacancy.closed_at = now
            vacancy.save()
            logger.info(
                "Vacancy %s closed as %s by user %s",
                vacancy.pk,
                status,
                getattr(by, "pk", None),
            )
        withdrawn = withdraw_proposed_matches(vacancy_id=vacancy.pk)
        if withdrawn:
            logger.info(
                "Vacancy %s: %s proposed matches withdrawn", vacancy.pk, withdrawn
            )
    return vacancy


def close_vacancies_past_closing_date(*, today=None) -> list[int]:
    """Close every open vacancy whose closing date has passed; return their ids.

    A vacancy takes applications through its closing date and closes on the
    next day (``today`` defaults to the date in TIME_ZONE). Each closes as
    ``vacancy_close`` closes it, with its proposed matches withdrawn. The
    date is checked again under the row lock, so a date that the employer
    moved meanwhile is respected. Idempotent.
    """
    today = today or timezone.localdate()
    candidates = list(
        Vacancy.objects.filter(status=Vacancy.Status.OPEN, closes_on__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = []
    for vacancy_id in candidates:
        with transaction.atomic():
            vacancy = _lock_vacancy(vacancy_id, None)
            past = vacancy.closes_on is not None and vacancy.closes_on < today
            if vacancy.status != Vacancy.Status.OPEN or not past:
                continue
            vacancy_close(vacancy_id=vacancy_id)
        logger.info(
            "Vacancy %s closed: its closing date %s has passed",
            vacancy_id,
            vacancy.closes_on.isoformat(),
        )
        closed.append(vacancy_id)
    return closed


# Steps a candidate may move to from each step; "hired" is final.
NEXT_STAGES = {
    None: {CandidateStage.Stage.INTERVIEWED, CandidateStage.Stage.HIRED},
    CandidateStage.Stage.INTERVIEWED: {CandidateStage.Stage.HIRED},
    CandidateStage.Stage.HIRED: set(),
}


def candidate_stage_set(
    *, match_id: int, organization: Organization, stage: str, by=None
) -> CandidateStage:
    """Mark an approved candidate interviewed or hired; hiring fills the vacancy.

    The match must be approved and belong to one of ``organization``'s
    vacancies. Hiring needs an open vacancy and closes it as filled, which
    withdraws its other proposed matches. Setting the current stage again
    changes nothing. Raises ValidationError for a step back or a vacancy
    that cannot hire. Locks the vacancy row, which serializes every stage
    change of its candidates, and audits each change.
    """
    if stage not in CandidateStage.Stage.values:
        raise ValidationError(
            _("Stage %(stage)r is invalid: choose interviewed or hired.")
            % {"stage": stage},
            code="invalid_stage",
        )
    with transaction.atomic():
        match = Match.objects.filter(
            pk=match_id, vacancy__employer=organization
        ).first()
        if match is None or match.status != Match.Status.APPROVED:
            raise ValidationError(
                _("Only a candidate approved by MEX can move through hiring."),
                code="not_approved",
            )
        vacancy = _lock_vacancy(match.vacancy_id, organization)
        current = CandidateStage.objects.filter(match=match).first()
        current_stage = current.stage if current else None
        if current_stage == stage:
            return current
        if stage not in NEXT_STAGES[current_stage]:
            raise ValidationError(
                _("This candidate is already %(stage)s.")
                % {"stage": current.get_stage_display().lower()},
                code="stage_backwards",
            )
        if stage == CandidateStage.Stage.HIRED and vacancy.status != (
            Vacancy.Status.OPEN
        ):
            raise ValidationError(
                _(
                    "This vacancy is %(status)s, so nobody more can be hired for "
                    "it: publish it again or post a new one."
                )
                % {"status": vacancy.get_status_display().lower()},
                code="vacancy_not_open",
            )

        now = timezone.now()
        if current is None:
            current = CandidateStage(vacancy=vacancy, match=match)
        current.stage = stage
        current.at = now
        current.by = by if getattr(by, "is_authenticated", False) else None
        current.full_clean()
        current.save()
        audit.record(
            actor=by,
            action=f"candidate.{stage}",
            obj=current,
            before={"stage": current_stage},
            after={"stage": stage},
        )
        if stage == CandidateStage.Stage.HIRED:
            vacancy_close(vacancy_id=vacancy.pk, filled=True, by=by)
    logger.info(
        "Match %s moved to %s by user %s", match_id, stage, getattr(by, "pk", None)
    )
    return current


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
