"""In-app notifications and their emails, one entry point per event.

Services call an entry point inside the transaction that made the change:

    notify_match_approved(match_id=match.pk)
    notify_badge_issued(assertion=assertion)
    notify_organization_approved(organization_id=organization.pk)
    notify_organization_rejected(organization_id=organization.pk, reason="...")

Each creates one ``Notification`` per recipient and, once the transaction
commits, enqueues ``accounts.tasks.send_notification_email`` for each. The
unique (recipient, event_key) constraint makes every entry point idempotent:
announcing the same event twice creates no second notification and no second
email. Emails are never sent in the request.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Membership, Notification, Organization, User

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return f"{settings.MEX_SITE_URL}{path}"


def _create(
    *,
    recipients: Iterable[User],
    kind: str,
    event_key: str,
    title: str,
    body: str,
    path: str,
    context: dict[str, Any],
) -> list[Notification]:
    from accounts.tasks import send_notification_email

    created = []
    for recipient in recipients:
        try:
            # A savepoint, so that a duplicate leaves the caller's transaction
            # usable; the unique constraint decides between concurrent calls.
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    event_key=event_key,
                    title=title[:300],
                    body=body,
                    url=path,
                    context={**context, "url": _absolute(path)},
                )
        except IntegrityError:
            logger.info(
                "Notification %s for user %s exists already", event_key, recipient.pk
            )
            continue
        transaction.on_commit(
            lambda pk=notification.pk: send_notification_email.delay(pk)
        )
        created.append(notification)
    logger.info("Event %s: %s notifications created", event_key, len(created))
    return created


def notify_match_approved(*, match_id: int) -> list[Notification]:
    """Tell the applicant and every member of the employer about an approval.

    The employer's notification names the vacancy but not the applicant, so
    that no personal data leaves MEX by email. Does nothing for a match that
    is not approved. Idempotent.
    """
    from matching.models import Match

    match = (
        Match.objects.select_related("vacancy__employer", "applicant__user")
        .filter(pk=match_id)
        .first()
    )
    if match is None or match.status != Match.Status.APPROVED:
        logger.warning("Match %s not found or not approved: no notification", match_id)
        return []
    vacancy = match.vacancy
    members = User.objects.filter(memberships__organization=vacancy.employer)
    base = {
        "vacancy_title": vacancy.title,
        "employer_name": vacancy.employer.name,
        "stars": match.stars,
        "required_met": match.required_met,
        "required_total": match.required_total,
    }
    with translation.override(settings.LANGUAGE_CODE):
        created = _create(
            recipients=[match.applicant.user],
            kind=Notification.Kind.MATCH_APPROVED,
            event_key=f"match_approved:{match.pk}",
            title=_("You were matched with %(title)s at %(employer)s")
            % {"title": vacancy.title, "employer": vacancy.employer.name},
            body=_(
                "A MEX administrator approved your match. The employer can now "
                "see your profile."
            ),
            path=reverse("applicants:matches"),
            context=base,
        )
        created += _create(
            recipients=members,
            kind=Notification.Kind.CANDIDATE_APPROVED,
            event_key=f"candidate_approved:{match.pk}",
            title=_("A new candidate for %(title)s") % {"title": vacancy.title},
            body=_("A MEX administrator approved a candidate for this vacancy."),
            path=reverse("vacancies:manage", kwargs={"pk": vacancy.pk}),
            context=base,
        )
    return created


def notify_badge_issued(*, assertion) -> list[Notification]:
    """Tell an applicant that they earned a badge. Idempotent.

    Takes the assertion that the issuing service just saved, with its badge
    class, college and recipient user loaded, so that it is not read again.
    """
    badge = assertion.badge_class
    college_name = badge.college.name
    with translation.override(settings.LANGUAGE_CODE):
        return _create(
            recipients=[assertion.recipient.user],
            kind=Notification.Kind.BADGE_ISSUED,
            event_key=f"badge_issued:{assertion.pk}",
            title=_("You earned the %(badge)s badge") % {"badge": badge.name},
            body=_(
                "%(college)s issued your badge. Share its verification page with "
                "employers."
            )
            % {"college": college_name},
            path=reverse("badges:verify", kwargs={"public_id": assertion.public_id}),
            context={"badge_name": badge.name, "college_name": college_name},
        )


def _owners(organization: Organization):
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Membership.Role.OWNER,
    )


def _decision_key(organization: Organization, action: str) -> str:
    # One notification per decision: the audit event of the decision names it,
    # so approving again after a rejection announces the new approval.
    event = audit.events_for(organization).filter(action=action).first()
    return f"{action}:{organization.pk}:{event.pk if event else 0}"


def notify_organization_approved(*, organization_id: int) -> list[Notification]:
    """Tell an organization's owners that an administrator approved it."""
    organization = Organization.objects.get(pk=organization_id)
    with translation.override(settings.LANGUAGE_CODE):
        return _create(
            recipients=_owners(organization),
            kind=Notification.Kind.ORGANIZATION_APPROVED,
            event_key=_decision_key(organization, "organization.approve"),
            title=_("%(name)s is approved") % {"name": organization.name},
            body=_(
                "A MEX administrator approved %(name)s. You can now publish "
                "courses and issue badges."
            )
            % {"name": organization.name},
            path=reverse("accounts:organization"),
            context={"organization_name": organization.name, "reason": ""},
        )


def notify_organization_rejected(
    *, organization_id: int, reason: str = ""
) -> list[Notification]:
    """Tell an organization's owners that an administrator declined it."""
    organization = Organization.objects.get(pk=organization_id)
    with translation.override(settings.LANGUAGE_CODE):
        return _create(
            recipients=_owners(organization),
            kind=Notification.Kind.ORGANIZATION_REJECTED,
            event_key=_decision_key(organization, "organization.reject"),
            title=_("%(name)s was not approved") % {"name": organization.name},
            body=_("A MEX administrator declined %(name)s.")
            % {"name": organization.name},
            path=reverse("accounts:organization"),
            context={"organization_name": organization.name, "reason": reason},
        )


# --- Email -------------------------------------------------------------------


def _render_email(notification: Notification) -> EmailMultiAlternatives:
    folder = f"emails/{notification.kind}"
    context = {
        **notification.context,
        "notification": notification,
        "recipient_name": notification.recipient.display_name,
        "site_url": settings.MEX_SITE_URL,
        "preferences_url": _absolute(reverse("accounts:notifications")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{folder}/subject.txt", context)
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", context)
    message = EmailMultiAlternatives(
        # One line: a newline in a name must not start a new header.
        subject=" ".join(subject.split()),
        body=text,
        to=[notification.recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_email_send(*, notification_id: int) -> bool:
    """Send a notification's email once; return whether this call sent it.

    Locks the notification row, so two workers cannot both send it, and marks
    it sent in the same transaction. A mail server error raises and rolls
    back, leaving the email to a retry. A missing notification, one already
    sent, or one whose recipient is inactive is skipped.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            logger.warning("Notification %s does not exist", notification_id)
            return False
        if notification.email_sent_at is not None:
            logger.info("Notification %s was emailed already", notification_id)
            return False
        if not notification.recipient.is_active or not notification.recipient.email:
            logger.info("Notification %s not emailed: inactive user", notification_id)
            return False
        _render_email(notification).send()
        notification.email_sent_at = timezone.now()
        notification.save(update_fields=["email_sent_at"])
    logger.info("Notification %s emailed", notification_id)
    return True


# --- Reading -----------------------------------------------------------------


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user, notification_ids: Iterable[int] | None = None):
    """Mark the user's notifications read: the given ids, or all. Idempotent."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
