"""Writes of the applicants app: skills and credentials on a profile.

Every change to what matching reads (skills, credentials, place, openness to
work) enqueues ``matching.tasks.rescore_applicant`` on commit, which
re-scores only the vacancies that the change can affect.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applicants.models import ApplicantCredential, ApplicantProfile, ApplicantSkill
from matching.models import SkillLevel
from matching.selectors import occupation_typical_skills
from matching.services import enqueue_rescore_applicant

logger = logging.getLogger(__name__)


def _validate_level(level: int) -> None:
    if level not in SkillLevel.values:
        raise ValidationError(
            _("Skill level %(level)r is invalid: use a whole number from 1 to 5.")
            % {"level": level}
        )


def applicant_skill_set(
    *, profile_id: int, skill_id: int, level: int
) -> ApplicantSkill:
    """Set the level of one skill on a profile and enqueue re-scoring.

    Locks the profile row. Idempotent.
    """
    _validate_level(level)
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        row, _created = ApplicantSkill.objects.update_or_create(
            profile=profile, skill_id=skill_id, defaults={"level": level}
        )
        enqueue_rescore_applicant(profile_id=profile.pk)
    return row


def applicant_skill_remove(*, profile_id: int, skill_id: int) -> None:
    """Remove one skill from a profile and enqueue re-scoring. Idempotent."""
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        ApplicantSkill.objects.filter(profile=profile, skill_id=skill_id).delete()
        enqueue_rescore_applicant(profile_id=profile.pk)


def applicant_credential_add(
    *, profile_id: int, credential_id: int, obtained_on=None, expires_on=None
) -> ApplicantCredential:
    """Record a credential on a profile and enqueue re-scoring. Idempotent."""
    if obtained_on and expires_on and expires_on < obtained_on:
        raise ValidationError(
            _("Expiry date %(expires)s is before the date obtained %(obtained)s.")
            % {"expires": expires_on, "obtained": obtained_on}
        )
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        row, _created = ApplicantCredential.objects.update_or_create(
            profile=profile,
            credential_id=credential_id,
            defaults={"obtained_on": obtained_on, "expires_on": expires_on},
        )
        enqueue_rescore_applicant(profile_id=profile.pk)
    return row


def applicant_credential_remove(*, profile_id: int, credential_id: int) -> None:
    """Remove a credential from a profile and enqueue re-scoring. Idempotent."""
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        ApplicantCredential.objects.filter(
            profile=profile, credential_id=credential_id
        ).delete()
        enqueue_rescore_applicant(profile_id=profile.pk)


def applicant_skills_from_course(*, profile_id: int, course_id: int) -> list[int]:
    """Raise a profile's skills to the levels a completed course teaches.

    A skill already held at the course's level or above is left alone.
    Returns the ids of the skills raised and enqueues re-scoring when any
    was. Call it in the transaction that completes the enrolment. Locks the
    profile row. Idempotent.
    """
    from colleges.models import CourseSkill

    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        held = dict(profile.skill_levels.values_list("skill_id", "level"))
        raised = []
        taught = CourseSkill.objects.filter(course_id=course_id).order_by("skill_id")
        for skill_id, level in taught.values_list("skill_id", "level"):
            if held.get(skill_id, 0) >= level:
                continue
            ApplicantSkill.objects.update_or_create(
                profile=profile, skill_id=skill_id, defaults={"level": level}
            )
            raised.append(skill_id)
        if raised:
            enqueue_rescore_applicant(profile_id=profile.pk)
            logger.info(
                "Profile %s skills raised from course %s", profile.pk, course_id
            )
    return raised


def profile_add_occupation_skills(
    *, profile_id: int, occupation_id: int, min_importance: float = 3.5
) -> list[int]:
    """Start a profile from an occupation's typical skills.

    Adds each typical skill of at least ``min_importance`` (1 to 5) that the
    profile lacks, at the occupation's level, and enqueues re-scoring.
    Skills already on the profile keep their level. Returns the ids added.
    """
    with transaction.atomic():
        profile = ApplicantProfile.objects.select_for_update().get(pk=profile_id)
        held = set(profile.skill_levels.values_list("skill_id", flat=True))
        added = []
        for typical in occupation_typical_skills(
            occupation_id=occupation_id, min_importance=min_importance
        ):
            if typical.skill_id in held:
                continue
            ApplicantSkill.objects.create(
                profile=profile, skill_id=typical.skill_id, level=typical.level
            )
            added.append(typical.skill_id)
        if added:
            enqueue_rescore_applicant(profile_id=profile.pk)
    return added


def profile_changed(*, profile_id: int) -> None:
    """Enqueue re-scoring after a form saved a profile's place or availability.

    Call it inside the transaction that saved the change.
    """
    enqueue_rescore_applicant(profile_id=profile_id)
