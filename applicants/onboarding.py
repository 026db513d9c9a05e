"""Writes of the job seeker's own profile, from onboarding and profile edits.

Each public function enqueues ``matching.tasks.rescore_applicant`` on commit.
``profile_save`` writes the whole profile form and enqueues it once, because
every ``on_commit`` callback sends a task of its own.
"""

import logging

from django.db import transaction
from django.utils import timezone

from applicants.models import ApplicantProfile
from matching.services import enqueue_rescore_applicant

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("headline", "location", "consent_to_share", "open_to_work")


@transaction.atomic
def profile_save(
    *,
    profile: ApplicantProfile,
    headline: str,
    location: str,
    consent_to_share: bool,
    open_to_work: bool,
    levels: dict,
    credentials,
) -> ApplicantProfile:
    """Save the profile form: details, skill levels and credentials together.

    Does what ``profile_update``, ``profile_skills_set`` and
    ``profile_credentials_set`` do, in one transaction that locks the profile
    row, and enqueues re-scoring once on commit. Idempotent.
    """
    saved = _details_update(
        profile=profile,
        headline=headline,
        location=location,
        consent_to_share=consent_to_share,
        open_to_work=open_to_work,
    )
    _skills_set(profile=profile, levels=levels)
    _credentials_set(profile=profile, credentials=credentials)
    enqueue_rescore_applicant(profile_id=profile.pk)
    return saved


@transaction.atomic
def profile_update(
    *,
    profile: ApplicantProfile,
    headline: str,
    location: str,
    consent_to_share: bool,
    open_to_work: bool,
) -> ApplicantProfile:
    """Save the applicant's headline, location, consent and availability.

    Records when consent was given, and clears that time when it is withdrawn.
    Locks the profile row. Idempotent. Enqueues re-scoring on commit.
    """
    saved = _details_update(
        profile=profile,
        headline=headline,
        location=location,
        consent_to_share=consent_to_share,
        open_to_work=open_to_work,
    )
    enqueue_rescore_applicant(profile_id=saved.pk)
    return saved


@transaction.atomic
def profile_skills_set(*, profile: ApplicantProfile, levels: dict) -> None:
    """Make the applicant's skills exactly ``levels`` (a Skill to level map).

    Skills left out are removed, new ones added and changed levels saved.
    Locks the profile row. Idempotent. Enqueues re-scoring on commit.
    """
    ApplicantProfile.objects.select_for_update().get(pk=profile.pk)
    _skills_set(profile=profile, levels=levels)
    enqueue_rescore_applicant(profile_id=profile.pk)


@transaction.atomic
def profile_credentials_set(*, profile: ApplicantProfile, credentials) -> None:
    """Make the applicant's credentials exactly ``credentials`` (Credential rows).

    Credentials left out are removed and new ones added; kept ones keep their
    dates. Locks the profile row. Idempotent. Enqueues re-scoring on commit
    when anything changed.
    """
    ApplicantProfile.objects.select_for_update().get(pk=profile.pk)
    if _credentials_set(profile=profile, credentials=credentials):
        enqueue_rescore_applicant(profile_id=profile.pk)


# The steps below write without enqueuing, inside the caller's transaction.
# _skills_set and _credentials_set expect the profile row locked already.


def _details_update(
    *,
    profile: ApplicantProfile,
    headline: str,
    location: str,
    consent_to_share: bool,
    open_to_work: bool,
) -> ApplicantProfile:
    """Lock the profile row and save its details. Returns the row saved."""
    profile = ApplicantProfile.objects.select_for_update().get(pk=profile.pk)
    if consent_to_share and not profile.consent_to_share:
        profile.consent_given_at = timezone.now()
        logger.info("Applicant %s consented to share contact details", profile.pk)
    elif not consent_to_share and profile.consent_to_share:
        profile.consent_given_at = None
        logger.info("Applicant %s withdrew consent to share", profile.pk)
    profile.headline = headline.strip()
    profile.location = location.strip()
    profile.consent_to_share = consent_to_share
    profile.open_to_work = open_to_work
    profile.full_clean()
    profile.save()
    return profile


def _skills_set(*, profile: ApplicantProfile, levels: dict) -> None:
    from applicants.models import ApplicantSkill

    kept_ids = [skill.pk for skill in levels]
    profile.skill_levels.exclude(skill_id__in=kept_ids).delete()
    for skill, level in levels.items():
        ApplicantSkill.objects.update_or_create(
            profile=profile, skill=skill, defaults={"level": level}
        )
    logger.info("Applicant %s now lists %s skills", profile.pk, len(levels))


def _credentials_set(*, profile: ApplicantProfile, credentials) -> bool:
    """Write the credentials and return whether any was added or removed."""
    from applicants.models import ApplicantCredential

    wanted = {credential.pk for credential in credentials}
    held = set(profile.credential_records.values_list("credential_id", flat=True))
    if wanted == held:
        return False
    profile.credential_records.exclude(credential_id__in=wanted).delete()
    ApplicantCredential.objects.bulk_create(
        ApplicantCredential(profile=profile, credential_id=credential_id)
        for credential_id in sorted(wanted - held)
    )
    logger.info("Applicant %s now has %s credentials", profile.pk, len(wanted))
    return True
