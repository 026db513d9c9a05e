"""Writes of badges: issue and revoke.

Each service runs in one transaction and states what it locks. Issuing is
idempotent: the unique constraint on ``Assertion.enrolment`` and a row lock on
the enrolment decide, so two completions that race, or a task that runs
twice, leave one assertion.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import audit
from badges import drawing, links, openbadges2, openbadges3, transparency
from badges.baking import OB3_KEYWORD, bake_png
from badges.csv_files import AwardRow, RowError
from badges.identity import hash_identity, new_salt, normalise_email
from badges.models import Assertion, BadgeClass, LogEntry
from colleges.models import Course, Enrolment

logger = logging.getLogger(__name__)


class BadgeIssueError(ValidationError):
    """Raised when an enrolment cannot earn a badge (yet)."""


def badge_class_for_course(*, course_id: int) -> BadgeClass:
    """Return the course's badge class, creating it on first use.

    Locks the course row, so that two first awards of one course create one
    badge class; the one-to-one constraint on ``BadgeClass.course`` backs the
    lock up.
    """
    with transaction.atomic():
        course = (
            Course.objects.select_for_update()
            .select_related("college")
            .get(pk=course_id)
        )
        existing = BadgeClass.objects.filter(course=course).first()
        if existing is not None:
            return existing

        college = course.college.name
        badge_class = BadgeClass(
            course=course,
            name=course.title,
            description=course.description
            or f"Awarded for completing {course.title}, a {course.hours}-hour "
            f"course at {college}.",
            criteria=f"Complete the {course.hours}-hour course {course.title} "
            f"at {college}, including its assessment.",
        )
        badge_class.full_clean()
        badge_class.save()

    logger.info("Badge class %s created for course %s", badge_class.pk, course_id)
    return badge_class


def badge_issue(
    *, enrolment_id: int, evidence_url: str = "", narrative: str = ""
) -> Assertion:
    """Issue the badge of a completed enrolment and bake its image.

    Locks the enrolment row, then returns the enrolment's assertion if one
    exists: calling this twice, or from two workers at once, issues one badge.
    Raises BadgeIssueError when the enrolment is missing or not completed.
    The recipient is stored as a salted SHA-256 hash of the normalised email.
    Signs the Open Badges 3.0 credential with the current key, bakes both
    the 2.0 assertion and the 3.0 credential into the PNG, and appends the
    issue to the transparency log in the same transaction.
    The baked PNG is written to storage inside the transaction; a rollback
    leaves an unreferenced file behind. ``evidence_url`` and ``narrative``
    default to the course page and a sentence about the completion; they
    apply only when this call creates the assertion. Enqueues nothing.
    """
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course__college", "applicant__user")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None:
            raise BadgeIssueError(f"Enrolment {enrolment_id} does not exist.")
        if enrolment.status != Enrolment.Status.COMPLETED:
            raise BadgeIssueError(
                f"Enrolment {enrolment_id} is {enrolment.status}: only a "
                "completed enrolment earns a badge."
            )

        existing = Assertion.objects.filter(enrolment=enrolment).first()
        if existing is not None:
            logger.info(
                "Enrolment %s already has assertion %s", enrolment_id, existing.pk
            )
            return existing

        badge_class = badge_class_for_course(course_id=enrolment.course_id)
        assertion = _create_assertion(
            enrolment, badge_class, evidence_url=evidence_url, narrative=narrative
        )
        if assertion.image:
            return assertion
        assertion.credential_jwt = openbadges3.sign_credential(assertion)
        assertion.save(update_fields=["credential_jwt"])
        _bake_image(assertion)
        transparency.append_event(assertion=assertion, kind=LogEntry.Kind.ISSUE)

    logger.info("Assertion %s issued for enrolment %s", assertion.pk, enrolment_id)
    return assertion


def _create_assertion(
    enrolment: Enrolment, badge_class: BadgeClass, *, evidence_url: str, narrative: str
) -> Assertion:
    course = enrolment.course
    salt = new_salt()
    completed = timezone.localdate(enrolment.completed_at)
    if not narrative:
        narrative = (
            f"Completed the {course.hours}-hour course {course.title} at "
            f"{course.college.name} on {completed.isoformat()}."
        )
    assertion = Assertion(
        badge_class=badge_class,
        recipient=enrolment.applicant,
        enrolment=enrolment,
        recipient_salt=salt,
        recipient_hash=hash_identity(enrolment.applicant.user.email, salt),
        issued_on=timezone.now().replace(microsecond=0),
        evidence_url=evidence_url or course.url,
        narrative=narrative,
    )
    assertion.full_clean(exclude=["image"])
    try:
        with transaction.atomic():
            assertion.save()
    except IntegrityError:
        # Only reachable when a caller bypassed the enrolment lock; the unique
        # constraint on the enrolment still keeps one assertion.
        logger.warning(
            "Assertion for enrolment %s raced; keeping the first", enrolment.pk
        )
        return Assertion.objects.get(enrolment=enrolment)
    return assertion


def _bake_image(assertion: Assertion) -> None:
    course = assertion.badge_class.course
    png = drawing.draw_badge_png(
        title=assertion.badge_class.name,
        college=course.college.name,
        issued_on=timezone.localdate(assertion.issued_on),
        verify_url=links.verify_url(assertion),
        colour=assertion.badge_class.primary_colour,
    )
    document = openbadges2.assertion_document(assertion)
    baked = bake_png(png, openbadges2.dumps(document).decode("utf-8"))
    baked = bake_png(baked, assertion.credential_jwt, keyword=OB3_KEYWORD)
    assertion.image.save(f"{assertion.public_id}.png", ContentFile(baked), save=False)
    assertion.save(update_fields=["image"])


def badge_revoke(*, assertion_id: int, reason: str, by=None) -> Assertion:
    """Revoke an assertion with a reason shown to anyone who verifies it.

    Locks the assertion row, appends the revocation to the transparency log
    and records it in the audit log. Revoking a revoked assertion changes
    nothing. Enqueues nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("A revocation needs a reason: say why in a sentence.")
    with transaction.atomic():
        assertion = (
            Assertion.objects.select_for_update().filter(pk=assertion_id).first()
        )
        if assertion is None:
            raise ValidationError(f"Assertion {assertion_id} does not exist.")
        if assertion.revoked:
            return assertion
        assertion.revoked = True
        assertion.revocation_reason = reason
        assertion.revoked_at = timezone.now()
        assertion.full_clean(exclude=["image"])
        assertion.save(update_fields=["revoked", "revocation_reason", "revoked_at"])
        transparency.append_event(assertion=assertion, kind=LogEntry.Kind.REVOKE)
        audit.record(
            actor=by,
            action="badge.revoke",
            obj=assertion,
            before={"revoked": False},
            after={"revoked": True, "revocation_reason": reason},
        )

    logger.info(
        "Assertion %s revoked by user %s", assertion_id, getattr(by, "pk", None)
    )
    return assertion


class BulkAwardError(ValidationError):
    """Raised with every bad row of a bulk award; nothing was awarded."""

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = row_errors
        super().__init__(
            [f"Line {error.line}: {error.message}" for error in row_errors]
        )


def badge_bulk_award(
    *, course_id: int, rows: list[AwardRow], by=None, row_errors=()
) -> list[Assertion]:
    """Award a course's badge to every row of a bulk-award file, or to none.

    Checks every row first: the email must belong to a MEX applicant who
    does not hold this badge yet. ``row_errors`` found while reading the file
    count too. If any row is bad, raises BulkAwardError listing each bad row
    with its line and reason, and awards nothing. Otherwise completes each
    applicant's enrolment and issues each badge inline in one transaction,
    with the row's evidence URL and narrative. Locks the course row.
    """
    from colleges.services import enrolment_complete_for

    User = get_user_model()
    errors = list(row_errors)
    emails = [row.email for row in rows]
    users = {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("applicant")
    }
    holders = set(
        Assertion.objects.filter(
            badge_class__course_id=course_id, recipient__user__in=users.values()
        ).values_list("recipient__user__email", flat=True)
    )
    holders = {normalise_email(email) for email in holders}
    for row in rows:
        user = users.get(row.email)
        if user is None or getattr(user, "applicant", None) is None:
            errors.append(
                RowError(
                    row.line,
                    f"No MEX applicant has the email {row.email}: ask them to "
                    "sign up as a job seeker, then upload the row again.",
                )
            )
        elif row.email in holders:
            errors.append(RowError(row.line, f"{row.email} already holds this badge."))
    if errors:
        raise BulkAwardError(sorted(errors, key=lambda error: error.line))

    assertions = []
    with transaction.atomic():
        for row in rows:
            enrolment = enrolment_complete_for(
                applicant_id=users[row.email].applicant.pk,
                course_id=course_id,
                by=by,
                enqueue_badge=False,
            )
            assertions.append(
                badge_issue(
                    enrolment_id=enrolment.pk,
                    evidence_url=row.evidence_url,
                    narrative=row.narrative,
                )
            )

    logger.info(
        "Bulk award of course %s: %s badges by user %s",
        course_id,
        len(assertions),
        getattr(by, "pk", None),
    )
    return assertions
