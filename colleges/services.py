"""Writes for courses and enrolments.

Each service runs in one transaction, validates its input fully before it
saves, and raises ``ValidationError`` with a message naming the value and the
fix, or ``PermissionDenied`` when the acting user may not act for the college.
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from colleges.models import Course, Enrolment

logger = logging.getLogger(__name__)


def check_acts_for_college(*, by, course: Course) -> None:
    """Raise PermissionDenied unless ``by`` is MEX staff or a college member."""
    if by is None or by.is_staff or by.is_superuser:
        return
    if not by.memberships.filter(organization_id=course.college_id).exists():
        raise PermissionDenied(
            f"User {by.pk} is not a member of college {course.college_id}."
        )


def enrolment_enrol(*, applicant_id: int, course_id: int) -> Enrolment:
    """Enrol an applicant in a published course of an approved college.

    Locks the course row so that two enrolments cannot both take the last
    place. A withdrawn enrolment in the same course is reopened; an active or
    completed one is a ValidationError. Enqueues nothing.
    """
    with transaction.atomic():
        course = (
            Course.objects.select_for_update()
            .select_related("college")
            .filter(pk=course_id)
            .first()
        )
        if course is None:
            raise ValidationError(f"Course {course_id} does not exist.")
        if course.status != Course.Status.PUBLISHED:
            raise ValidationError(
                f"Course {course_id} is {course.status}: only published courses "
                "take enrolments."
            )
        if not course.college.is_approved:
            raise ValidationError(
                f"College {course.college_id} is not approved yet, so its course "
                f"{course_id} takes no enrolments."
            )

        existing = (
            Enrolment.objects.select_for_update()
            .filter(applicant_id=applicant_id, course=course)
            .first()
        )
        if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
            raise ValidationError(
                f"Applicant {applicant_id} is already enrolled in course "
                f"{course_id} ({existing.status})."
            )

        if course.capacity is not None:
            taken = course.enrolments.exclude(status=Enrolment.Status.WITHDRAWN)
            if taken.count() >= course.capacity:
                raise ValidationError(
                    f"Course {course_id} is full: all {course.capacity} places "
                    "are taken."
                )

        if existing is not None:
            existing.status = Enrolment.Status.ENROLLED
            existing.completed_at = None
            existing.full_clean()
            existing.save(update_fields=["status", "completed_at"])
            enrolment = existing
        else:
            enrolment = Enrolment(applicant_id=applicant_id, course=course)
            enrolment.full_clean()
            enrolment.save()

    logger.info(
        "Applicant %s enrolled in course %s (enrolment %s)",
        applicant_id,
        course_id,
        enrolment.pk,
    )
    return enrolment


def enrolment_withdraw(*, enrolment_id: int, by=None) -> Enrolment:
    """Withdraw an active enrolment.

    Locks the enrolment row. Withdrawing a withdrawn enrolment changes
    nothing; a completed enrolment cannot be withdrawn because its badge
    stands for the completion. Enqueues nothing.
    """
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id)
        check_acts_for_college(by=by, course=enrolment.course)
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            return enrolment
        if enrolment.status == Enrolment.Status.COMPLETED:
            raise ValidationError(
                f"Enrolment {enrolment_id} is completed and cannot be withdrawn; "
                "revoke its badge instead."
            )
        enrolment.status = Enrolment.Status.WITHDRAWN
        enrolment.save(update_fields=["status"])

    logger.info("Enrolment %s withdrawn", enrolment_id)
    return enrolment


def enrolment_complete(
    *,
    enrolment_id: int,
    completed_at: datetime | None = None,
    by=None,
    enqueue_badge: bool = True,
) -> Enrolment:
    """Complete an enrolment, raise the applicant's skills, enqueue its badge.

    The applicant's skills rise to the levels the course teaches (see
    ``applicants.services.applicant_skills_from_course``), which enqueues
    their re-scoring on commit.

    Locks the enrolment row for the rest of the transaction. ``completed_at``
    defaults to now and may not lie in the future. Idempotent: completing a
    completed enrolment changes nothing, though it enqueues the badge task
    again while no badge exists, which lets a lost task be replaced. The task
    is enqueued with ``transaction.on_commit``, so a rollback enqueues
    nothing. A caller that issues the badge itself in the same transaction
    passes ``enqueue_badge=False``. A withdrawn enrolment is a
    ValidationError.
    """
    from applicants.services import applicant_skills_from_course
    from badges.selectors import assertion_exists_for_enrolment
    from badges.tasks import issue_badge

    now = timezone.now()
    if completed_at is None:
        completed_at = now
    if timezone.is_naive(completed_at):
        raise ValidationError(
            f"completed_at={completed_at.isoformat()} has no time zone: pass an "
            "aware datetime."
        )
    if completed_at > now:
        raise ValidationError(
            f"completed_at={completed_at.isoformat()} is in the future: pass the "
            "date the course was completed."
        )

    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id)
        check_acts_for_college(by=by, course=enrolment.course)
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            raise ValidationError(
                f"Enrolment {enrolment_id} was withdrawn: enrol the applicant "
                "again before completing it."
            )

        newly_completed = enrolment.status != Enrolment.Status.COMPLETED
        if newly_completed:
            enrolment.status = Enrolment.Status.COMPLETED
            enrolment.completed_at = completed_at
            enrolment.full_clean()
            enrolment.save(update_fields=["status", "completed_at"])
            # The course's skills count in matching from now on; raising them
            # enqueues the applicant's re-scoring on commit.
            applicant_skills_from_course(
                profile_id=enrolment.applicant_id, course_id=enrolment.course_id
            )
            logger.info(
                "Enrolment %s completed by user %s",
                enrolment_id,
                getattr(by, "pk", None),
            )

        if not enqueue_badge:
            return enrolment
        if newly_completed or not assertion_exists_for_enrolment(enrolment.pk):
            transaction.on_commit(lambda: issue_badge.delay(enrolment.pk))

    return enrolment


def enrolment_complete_for(
    *,
    applicant_id: int,
    course_id: int,
    by=None,
    enqueue_badge: bool = True,
) -> Enrolment:
    """Record that an applicant completed a course, enrolling them if needed.

    For colleges that report completions after the fact, such as a bulk
    award: the course must not be a draft and its college must be approved,
    but its capacity does not apply. Locks the course row and then behaves
    as ``enrolment_complete``; a withdrawn enrolment is reopened first.
    """
    with transaction.atomic():
        course = (
            Course.objects.select_for_update()
            .select_related("college")
            .filter(pk=course_id)
            .first()
        )
        if course is None:
            raise ValidationError(f"Course {course_id} does not exist.")
        check_acts_for_college(by=by, course=course)
        if course.status == Course.Status.DRAFT:
            raise ValidationError(
                f"Course {course_id} is a draft: publish it before awarding it."
            )
        if not course.college.is_approved:
            raise ValidationError(
                f"College {course.college_id} is not approved yet, so it cannot "
                "award badges."
            )
        enrolment, created = Enrolment.objects.get_or_create(
            applicant_id=applicant_id, course=course
        )
        if enrolment.status == Enrolment.Status.WITHDRAWN:
            enrolment.status = Enrolment.Status.ENROLLED
            enrolment.save(update_fields=["status"])
        if created:
            logger.info(
                "Applicant %s enrolled in course %s to record a completion",
                applicant_id,
                course_id,
            )
        return enrolment_complete(
            enrolment_id=enrolment.pk, by=by, enqueue_badge=enqueue_badge
        )


def _locked_enrolment(enrolment_id: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise ValidationError(f"Enrolment {enrolment_id} does not exist.")
    return enrolment
