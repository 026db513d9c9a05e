"""Writes of badges: issue and revoke.

Each service runs in one transaction and states what it locks. Issuing is
idempotent: the unique constraint on ``Assertion.enrolment`` and a row lock on
the enrolment decide, so two completions that race, or a task that runs
twice, leave one assertion.
"""

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit
from accounts.models import Organization
from applicants.models import ApplicantProfile
from badges import drawing, links, openbadges2, openbadges3, transparency
from badges.baking import OB3_KEYWORD, bake_png
from badges.csv_files import AwardRow, RowError
from badges.design import clean_design_image, design_of
from badges.identity import hash_identity, new_salt, normalise_email
from badges.models import Assertion, BadgeClass, LogEntry, Pathway, Portfolio
from colleges.models import Course, Enrolment
from mex.validators import remove_rejected_characters

logger = logging.getLogger(__name__)


class BadgeIssueError(ValidationError):
    """Raised when an enrolment cannot earn a badge (yet)."""


def badge_class_for_course(*, course_id: int) -> BadgeClass:
    """Return the course's badge class, creating it on first use.

    Locks the course row, so that two first awards of one course create one
    badge class; the one-to-one constraint on ``BadgeClass.course`` backs the
    lock up. The badge class comes with its college and course loaded.
    """
    # A badge class is never deleted while its course lives: once it exists,
    # reading it needs no lock.
    existing = (
        BadgeClass.objects.select_related("college", "course")
        .filter(course_id=course_id)
        .first()
    )
    if existing is not None:
        return existing
    with transaction.atomic():
        course = (
            Course.objects.select_for_update()
            .select_related("college")
            .get(pk=course_id)
        )
        existing = BadgeClass.objects.filter(course=course).first()
        if existing is not None:
            return existing

        # Titles and names saved before MEX rejected control and bidirectional
        # characters may still contain them, so they are dropped here.
        title = remove_rejected_characters(course.title)
        college = remove_rejected_characters(course.college.name)
        badge_class = BadgeClass(
            college=course.college,
            course=course,
            name=title,
            description=remove_rejected_characters(course.description, multiline=True)
            or f"Awarded for completing {title}, a {course.hours}-hour "
            f"course at {college}.",
            criteria=f"Complete the {course.hours}-hour course {title} "
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
    issue to the transparency log in the same transaction. On commit,
    enqueues ``award_pathways`` for the recipient.
    The baked PNG is written to storage inside the transaction; a rollback
    leaves an unreferenced file behind. Notifies the recipient in the app,
    and by email after commit. ``evidence_url`` and ``narrative``
    default to the course page and a sentence about the completion; they
    apply only when this call creates the assertion.
    """
    from accounts.notifications import notify_badge_issued

    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course__college", "course__badge_class", "applicant__user")
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

        # Its own statement, after the lock: under READ COMMITTED it reads a
        # snapshot taken once the lock is held, so it finds an assertion that a
        # concurrent issue committed while this one waited. A join in the
        # locking query would read the older snapshot and miss it.
        existing = Assertion.objects.filter(enrolment=enrolment).first()
        if existing is not None:
            logger.info(
                "Enrolment %s already has assertion %s", enrolment_id, existing.pk
            )
            return existing

        assertion = _new_assertion(
            enrolment,
            _badge_class_of(enrolment.course),
            evidence_url=evidence_url,
            narrative=narrative,
        )
        _sign_and_bake(assertion)
        # The enrolment lock keeps a second issue out, and the unique
        # constraint on the enrolment would reject it if a caller skipped the
        # lock, failing that caller's transaction.
        assertion.save(force_insert=True)
        notify_badge_issued(assertion=assertion)
        transparency.append_event(assertion=assertion, kind=LogEntry.Kind.ISSUE)
        _enqueue_pathway_check(enrolment.applicant_id)

    logger.info("Assertion %s issued for enrolment %s", assertion.pk, enrolment_id)
    return assertion


def _badge_class_of(course: Course) -> BadgeClass:
    """Return the badge class loaded with the course, or create it."""
    try:
        badge_class = course.badge_class
    except BadgeClass.DoesNotExist:
        return badge_class_for_course(course_id=course.pk)
    if badge_class.college_id == course.college_id:
        badge_class.college = course.college
    return badge_class


def _new_assertion(
    enrolment: Enrolment, badge_class: BadgeClass, *, evidence_url: str, narrative: str
) -> Assertion:
    """Return an unsaved, checked assertion of a completed enrolment."""
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
    # The badge class, recipient and enrolment rows were just read (the
    # enrolment under its lock), and the public id is a new random UUID:
    # checking them against the database would cost queries and prove
    # nothing. The insert still enforces the keys and the unique public id.
    assertion.full_clean(
        exclude=["image", "badge_class", "recipient", "enrolment"],
        validate_unique=False,
    )
    return assertion


def _sign_and_bake(assertion: Assertion) -> None:
    """Sign the credential and store the baked image of an unsaved assertion.

    Both depend on the public id, not on the primary key, so the assertion
    row is inserted once, complete.
    """
    assertion.credential_jwt = openbadges3.sign_credential(assertion)
    png = drawing.draw_badge_png(
        title=assertion.badge_class.name,
        college=assertion.badge_class.college.name,
        issued_on=timezone.localdate(assertion.issued_on),
        verify_url=links.verify_url(assertion),
        **design_of(assertion.badge_class),
    )
    document = openbadges2.assertion_document(assertion)
    baked = bake_png(png, openbadges2.dumps(document).decode("utf-8"))
    baked = bake_png(baked, assertion.credential_jwt, keyword=OB3_KEYWORD)
    assertion.image.save(f"{assertion.public_id}.png", ContentFile(baked), save=False)


def _enqueue_pathway_check(applicant_id: int) -> None:
    from badges.tasks import award_pathways

    transaction.on_commit(lambda: award_pathways.delay(applicant_id))


def badge_revoke(*, assertion_id: int, reason: str, by=None) -> Assertion:
    """Revoke an assertion with a reason shown to anyone who verifies it.

    Locks the assertion row, appends the revocation to the transparency log
    and records it in the audit log. Revoking a revoked assertion changes
    nothing. Enqueues nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A revocation needs a reason: say why in a sentence."))
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

    Checks every row first: the email must belong to an applicant enrolled
    in this course (a withdrawn enrolment counts and is reopened) who does
    not hold this badge yet. An email of nobody on MEX gets the same error as
    one of a person not enrolled, so college staff learn nothing about people
    outside their own enrolments. ``row_errors`` found while reading the file
    count too. If any row is bad, raises BulkAwardError listing each bad row
    with its line and reason, and awards nothing. Otherwise completes each
    enrolment and issues each badge inline in one transaction, with the row's
    evidence URL and narrative. Raises PermissionDenied, before reading any
    row, when ``by`` is not a member of the course's college or MEX staff.
    Locks the course row.
    """
    from colleges.services import check_acts_for_college, enrolment_complete_for

    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise ValidationError(f"Course {course_id} does not exist.")
    check_acts_for_college(by=by, course=course)

    errors = list(row_errors)
    enrolled = dict(
        Enrolment.objects.filter(course=course)
        .annotate(email_lower=Lower("applicant__user__email"))
        .filter(email_lower__in=[row.email for row in rows])
        .values_list("email_lower", "applicant_id")
    )
    holders = set(
        Assertion.objects.filter(
            badge_class__course=course, recipient_id__in=enrolled.values()
        ).values_list("recipient__user__email", flat=True)
    )
    holders = {normalise_email(email) for email in holders}
    for row in rows:
        if row.email not in enrolled:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "%(email)s is not enrolled in %(course)s: enrol them in "
                        "the course first, then upload the row again."
                    )
                    % {"email": row.email, "course": course.title},
                )
            )
        elif row.email in holders:
            errors.append(
                RowError(
                    row.line,
                    _("%(email)s already holds this badge.") % {"email": row.email},
                )
            )
    if errors:
        raise BulkAwardError(sorted(errors, key=lambda error: error.line))

    assertions = []
    with transaction.atomic():
        for row in rows:
            enrolment = enrolment_complete_for(
                applicant_id=enrolled[row.email],
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


def badge_class_design_update(
    *,
    badge_class_id: int,
    primary_colour: str,
    icon: str = "",
    tagline: str = "",
    image: bytes | None = None,
    remove_image: bool = False,
    by=None,
) -> BadgeClass:
    """Change how a badge class's future badges look.

    ``image`` is an uploaded emblem, checked by content, bytes and pixels and
    re-encoded as PNG; a bad image raises ValidationError and changes
    nothing. Locks the badge class row. Issued badges keep their image.
    """
    emblem = clean_design_image(image) if image is not None else None
    with transaction.atomic():
        badge_class = (
            BadgeClass.objects.select_for_update().filter(pk=badge_class_id).first()
        )
        if badge_class is None:
            raise ValidationError(f"Badge class {badge_class_id} does not exist.")
        badge_class.primary_colour = primary_colour
        badge_class.icon = icon
        badge_class.tagline = tagline.strip()
        badge_class.full_clean(exclude=["design_image"])
        if emblem is not None:
            badge_class.design_image.save(
                f"{badge_class.public_id}.png", ContentFile(emblem), save=False
            )
        elif remove_image:
            badge_class.design_image = ""
        badge_class.save()

    logger.info(
        "Badge class %s design changed by user %s",
        badge_class_id,
        getattr(by, "pk", None),
    )
    return badge_class


def pathway_create(
    *,
    college_id: int,
    name: str,
    component_ids: list[int],
    description: str = "",
    by=None,
) -> Pathway:
    """Create a pathway of a college's course badges, with its own badge class.

    Components are badge class ids of courses of the same college; at least
    two are needed. Enqueues nothing: applicants who already hold every
    component earn the pathway badge at their next award, or when
    ``pathways_award_due`` runs for them.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("A pathway needs a name."))
    unique_ids = sorted(set(component_ids))
    if len(unique_ids) < 2:
        raise ValidationError(
            ngettext(
                "A pathway needs at least two component badges; %(count)s given.",
                "A pathway needs at least two component badges; %(count)s given.",
                len(unique_ids),
            )
            % {"count": len(unique_ids)}
        )
    with transaction.atomic():
        college = Organization.objects.filter(
            pk=college_id, kind=Organization.Kind.COLLEGE
        ).first()
        if college is None or not college.is_approved:
            raise ValidationError(
                f"Organization {college_id} is not an approved college."
            )
        components = list(
            BadgeClass.objects.filter(
                pk__in=unique_ids, college=college, course__isnull=False
            )
        )
        missing = sorted(set(unique_ids) - {component.pk for component in components})
        if missing:
            raise ValidationError(
                f"Badge classes {missing} are not course badges of college "
                f"{college_id}: choose badges of this college's courses."
            )
        listed = "; ".join(sorted(component.name for component in components))
        badge_class = BadgeClass(
            college=college,
            name=name,
            description=description or f"Awarded for earning every badge of {name}.",
            criteria=f"Earn each of these badges: {listed}.",
        )
        badge_class.full_clean()
        badge_class.save()
        pathway = Pathway(
            college=college, name=name, description=description, badge_class=badge_class
        )
        pathway.full_clean()
        pathway.save()
        pathway.components.set(components)

    logger.info("Pathway %s created by user %s", pathway.pk, getattr(by, "pk", None))
    return pathway


def held_badge_class_ids(applicant_id: int) -> set[int]:
    """Return the ids of the badge classes an applicant has a valid badge of."""
    now = timezone.now()
    return set(
        Assertion.objects.filter(recipient_id=applicant_id, revoked=False)
        .exclude(expires_on__lte=now)
        .values_list("badge_class_id", flat=True)
    )


def pathway_award(*, pathway_id: int, applicant_id: int) -> Assertion | None:
    """Issue a pathway's badge if the applicant has earned every component.

    Returns the pathway assertion, or None while components are missing.
    Locks the pathway's badge class row, so that two checks that race issue
    one badge; a unique constraint on (badge class, recipient) for badges
    without an enrolment backs the lock up. Idempotent.
    """
    with transaction.atomic():
        pathway = Pathway.objects.filter(pk=pathway_id).first()
        if pathway is None:
            raise ValidationError(f"Pathway {pathway_id} does not exist.")
        badge_class = (
            BadgeClass.objects.select_for_update()
            .select_related("college")
            .get(pk=pathway.badge_class_id)
        )
        existing = Assertion.objects.filter(
            badge_class=badge_class, recipient_id=applicant_id, enrolment__isnull=True
        ).first()
        if existing is not None:
            return existing

        required = set(pathway.components.values_list("pk", flat=True))
        if not required or not required <= held_badge_class_ids(applicant_id):
            return None

        recipient = ApplicantProfile.objects.select_related("user").get(pk=applicant_id)
        salt = new_salt()
        assertion = Assertion(
            badge_class=badge_class,
            recipient=recipient,
            enrolment=None,
            recipient_salt=salt,
            recipient_hash=hash_identity(recipient.user.email, salt),
            issued_on=timezone.now().replace(microsecond=0),
            narrative=f"Earned every badge of the pathway {pathway.name}.",
        )
        assertion.full_clean(exclude=["image"])
        _sign_and_bake(assertion)
        assertion.save(force_insert=True)
        transparency.append_event(assertion=assertion, kind=LogEntry.Kind.ISSUE)

    logger.info(
        "Pathway %s badge issued to applicant %s as assertion %s",
        pathway_id,
        applicant_id,
        assertion.pk,
    )
    return assertion


def pathways_award_due(*, applicant_id: int) -> list[Assertion]:
    """Issue every pathway badge the applicant has newly completed.

    Checks each pathway that has a component the applicant holds; each check
    runs ``pathway_award`` in its own transaction.
    """
    held = held_badge_class_ids(applicant_id)
    pathway_ids = (
        Pathway.objects.filter(components__in=held)
        .exclude(badge_class_id__in=held)
        .values_list("pk", flat=True)
        .distinct()
    )
    awarded = []
    for pathway_id in pathway_ids:
        assertion = pathway_award(pathway_id=pathway_id, applicant_id=applicant_id)
        if assertion is not None:
            awarded.append(assertion)
    return awarded


def portfolio_set_public(*, applicant_id: int, is_public: bool) -> Portfolio:
    """Switch an applicant's public badge portfolio on or off.

    Creates the portfolio, off by default, on first use; the applicant row
    lock makes two first calls create one.
    """
    with transaction.atomic():
        ApplicantProfile.objects.select_for_update().get(pk=applicant_id)
        portfolio = Portfolio.objects.filter(applicant_id=applicant_id).first()
        if portfolio is None:
            portfolio = Portfolio(applicant_id=applicant_id)
        portfolio.is_public = is_public
        portfolio.save()

    logger.info("Portfolio of applicant %s public=%s", applicant_id, is_public)
    return portfolio
