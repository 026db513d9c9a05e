"""Enrol a college's own students, inviting those who are not on MEX yet.

A student whose email belongs to a MEX applicant is enrolled at once. Anyone
else gets an emailed link: accepting it, once signed in with that address,
makes them an applicant enrolled in the course. The link carries a random
token; only its SHA-256 digest is stored, and it works once before it expires.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.selectors import ensure_organization_can_publish
from accounts.services import InvitationError, job_seeker_register
from badges.csv_files import RowError
from colleges.models import Course, Enrolment, EnrolmentInvitation
from colleges.services import enrolment_enrol

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32


class EnrolmentRowsError(ValidationError):
    """Raised with every row that cannot be enrolled; nobody was enrolled."""

    def __init__(self, row_errors: list[RowError]):
        self.row_errors = row_errors
        super().__init__(
            ngettext(
                "%(count)s row cannot be enrolled; nobody was enrolled.",
                "%(count)s rows cannot be enrolled; nobody was enrolled.",
                len(row_errors),
            )
            % {"count": len(row_errors)},
            code="bad_rows",
        )


@dataclass
class EnrolmentResult:
    enrolled: list[Enrolment] = field(default_factory=list)
    invited: list[EnrolmentInvitation] = field(default_factory=list)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_url(token: str) -> str:
    path = reverse("colleges:invitation_accept", kwargs={"token": token})
    return f"{settings.MEX_SITE_URL}{path}"


def _pending_invitations(course: Course):
    return course.enrolment_invitations.filter(
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def students_enrol(
    *, course: Course, rows: list[tuple[int, str]], by
) -> EnrolmentResult:
    """Enrol each (line, email) row in ``course``, or invite the email.

    Checks every row before changing anything: a student already enrolled or
    invited, and more students than free places, are row errors. If any row
    fails, raises EnrolmentRowsError listing them all and enrols nobody.
    Pending invitations count as taken places. Locks the course row.
    Invitation emails are sent after the transaction commits.
    """
    if not by.memberships.filter(organization_id=course.college_id).exists():
        raise PermissionDenied(
            f"User {by.pk} is not a member of college {course.college_id}."
        )
    ensure_organization_can_publish(course.college)

    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if course.status != Course.Status.PUBLISHED:
            raise ValidationError(
                _("%(title)s is not published: publish it before enrolling students.")
                % {"title": course.title},
                code="not_published",
            )
        errors = _row_errors(course, rows)
        if errors:
            raise EnrolmentRowsError(errors)

        result = EnrolmentResult()
        applicants = _applicants_by_email([email for _line, email in rows])
        for line, email in rows:
            applicant_id = applicants.get(email)
            if applicant_id is None:
                invitation, _token = enrolment_invitation_send(
                    course=course, email=email, invited_by=by
                )
                result.invited.append(invitation)
                continue
            try:
                enrolment = enrolment_enrol(
                    applicant_id=applicant_id, course_id=course.pk
                )
            except ValidationError as error:
                errors.append(RowError(line, " ".join(error.messages)))
            else:
                result.enrolled.append(enrolment)
        if errors:
            raise EnrolmentRowsError(errors)

    logger.info(
        "User %s enrolled %s and invited %s students to course %s",
        by.pk,
        len(result.enrolled),
        len(result.invited),
        course.pk,
    )
    return result


def _applicants_by_email(emails: list[str]) -> dict[str, int]:
    users = User.objects.filter(email__in=emails, applicant__isnull=False)
    found = {}
    for email, applicant_id in users.values_list("email", "applicant__pk"):
        found[email.lower()] = applicant_id
    # Emails are unique but may be stored with capitals: match those too.
    missing = [email for email in emails if email not in found]
    for email in missing:
        user = User.objects.filter(email__iexact=email, applicant__isnull=False).first()
        if user is not None:
            found[email] = user.applicant.pk
    return found


def _row_errors(course: Course, rows: list[tuple[int, str]]) -> list[RowError]:
    errors = []
    emails = [email for _line, email in rows]
    enrolled = {
        email.lower(): status
        for email, status in course.enrolments.filter(
            applicant__user__email__in=emails
        ).values_list("applicant__user__email", "status")
        if status != Enrolment.Status.WITHDRAWN
    }
    invited = {
        email.lower()
        for email in _pending_invitations(course)
        .filter(email__in=emails)
        .values_list("email", flat=True)
    }
    for line, email in rows:
        if email in enrolled:
            errors.append(
                RowError(
                    line,
                    _("%(email)s is already enrolled in this course (%(status)s).")
                    % {"email": email, "status": enrolled[email]},
                )
            )
        elif email in invited:
            errors.append(
                RowError(
                    line,
                    _(
                        "%(email)s was already invited to this course: withdraw "
                        "that invitation first to send a new one."
                    )
                    % {"email": email},
                )
            )
    if course.capacity is not None and not errors:
        taken = (
            course.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).count()
            + _pending_invitations(course).count()
        )
        free = max(course.capacity - taken, 0)
        if len(rows) > free:
            for line, _email in rows[free:]:
                errors.append(
                    RowError(
                        line,
                        ngettext(
                            "The course has %(free)s free place of %(capacity)s, "
                            "so this row does not fit: raise the capacity or "
                            "enrol fewer students.",
                            "The course has %(free)s free places of %(capacity)s, "
                            "so this row does not fit: raise the capacity or "
                            "enrol fewer students.",
                            free,
                        )
                        % {"free": free, "capacity": course.capacity},
                    )
                )
    return errors


def enrolment_invitation_send(
    *, course: Course, email: str, invited_by
) -> tuple[EnrolmentInvitation, str]:
    """Create an invitation to ``course`` for ``email`` and email its link.

    Returns the invitation and its raw token. Earlier pending invitations of
    the same address to the same course are revoked. The email is sent after
    the transaction commits.
    """
    now = timezone.now()
    with transaction.atomic():
        course.enrolment_invitations.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        invitation = EnrolmentInvitation(
            course=course,
            email=email,
            token_digest=token_digest(token),
            invited_by=invited_by,
            expires_at=now
            + timedelta(days=settings.MEX_ENROLMENT_INVITATION_MAX_AGE_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        transaction.on_commit(
            lambda: _send_invitation_email(invitation=invitation, token=token)
        )
    logger.info(
        "Enrolment invitation %s to course %s created by user %s",
        invitation.pk,
        course.pk,
        getattr(invited_by, "pk", None),
    )
    return invitation, token


def _send_invitation_email(*, invitation: EnrolmentInvitation, token: str) -> None:
    context = {
        "course": invitation.course,
        "college_name": invitation.course.college.name,
        "url": invitation_url(token),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("colleges/email/invitation_subject.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string("colleges/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    logger.info("Enrolment invitation %s sent", invitation.pk)


def enrolment_invitation_revoke(*, invitation: EnrolmentInvitation, by) -> None:
    """Withdraw a pending invitation so that its link stops working. Idempotent."""
    if not by.memberships.filter(organization_id=invitation.course.college_id).exists():
        raise PermissionDenied(f"User {by.pk} may not revoke invitation.")
    with transaction.atomic():
        locked = EnrolmentInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.is_pending:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            logger.info("Enrolment invitation %s revoked by user %s", locked.pk, by.pk)


def enrolment_invitation_check(token: str) -> EnrolmentInvitation:
    """Return the usable invitation for a raw token, or raise InvitationError.

    The codes are ``invalid``, ``used``, ``revoked`` and ``expired``.
    """
    invitation = None
    if token and len(token) <= 200:
        invitation = (
            EnrolmentInvitation.objects.select_related("course__college")
            .filter(token_digest=token_digest(token))
            .first()
        )
    if invitation is None:
        raise InvitationError(
            _(
                "This enrolment link is not valid. Check that you copied the "
                "whole link, or ask the college for a new one."
            ),
            code="invalid",
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            _("This enrolment link was already used. Sign in to see your courses."),
            code="used",
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            _("The college withdrew this enrolment link. Ask it for a new one."),
            code="revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This enrolment link expired on %(date)s. Ask the college for a new one.")
            % {"date": f"{timezone.localtime(invitation.expires_at):%Y-%m-%d}"},
            code="expired",
        )
    return invitation


def enrolment_invitation_accept(*, token: str, user: User) -> Enrolment:
    """Make ``user`` an applicant enrolled in the invitation's course.

    The user's email must be the invited address. Creates the applicant
    profile when the user has none. A student already enrolled keeps that
    enrolment. Locks the invitation row, so a link works once; raises
    InvitationError (see ``enrolment_invitation_check``, plus ``wrong_user``)
    or the ValidationError of ``enrolment_enrol``.
    """
    with transaction.atomic():
        enrolment_invitation_check(token)
        EnrolmentInvitation.objects.select_for_update().filter(
            token_digest=token_digest(token)
        ).first()
        invitation = enrolment_invitation_check(token)
        if invitation.email.casefold() != user.email.casefold():
            raise InvitationError(
                _(
                    "This enrolment link was sent to another email address. "
                    "Sign out, then sign in or sign up with the address that "
                    "received it."
                ),
                code="wrong_user",
            )
        profile = job_seeker_register(user=user)
        enrolment = (
            Enrolment.objects.filter(applicant=profile, course=invitation.course)
            .exclude(status=Enrolment.Status.WITHDRAWN)
            .first()
        )
        if enrolment is None:
            enrolment = enrolment_enrol(
                applicant_id=profile.pk, course_id=invitation.course_id
            )
        invitation.accepted_at = timezone.now()
        invitation.enrolment = enrolment
        invitation.save(update_fields=["accepted_at", "enrolment"])
    logger.info(
        "Enrolment invitation %s accepted by user %s (enrolment %s)",
        invitation.pk,
        user.pk,
        enrolment.pk,
    )
    return enrolment
