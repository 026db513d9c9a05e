"""Writes for organizations, memberships, invitations and new accounts."""

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts import audit, notifications
from accounts.models import Invitation, Membership, Organization, User

logger = logging.getLogger(__name__)

INVITATION_TOKEN_BYTES = 32


class InvitationError(ValidationError):
    """An invitation link that cannot be used. ``code`` names the reason."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "organization"
    slug = base
    suffix = 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def organization_create(
    *,
    creator: User,
    kind: str,
    name: str,
    website: str = "",
    description: str = "",
) -> Organization:
    """Create an organization with ``creator`` as its owner.

    Employers are approved at once, while colleges stay pending until a MEX
    administrator approves them. Not idempotent: each call creates a row.
    """
    if kind not in Organization.Kind.values:
        raise ValidationError(
            _("Unknown organization kind %(kind)r: choose employer or college."),
            params={"kind": kind},
        )
    now = timezone.now()
    is_employer = kind == Organization.Kind.EMPLOYER
    organization = Organization(
        kind=kind,
        name=name.strip(),
        slug=_unique_slug(name),
        website=website,
        description=description,
        approval_status=(
            Organization.Approval.APPROVED
            if is_employer
            else Organization.Approval.PENDING
        ),
        approved_at=now if is_employer else None,
    )
    organization.full_clean()
    organization.save()
    Membership.objects.create(
        user=creator, organization=organization, role=Membership.Role.OWNER
    )
    logger.info(
        "Organization %s (%s) created by user %s", organization.pk, kind, creator.pk
    )
    return organization


def _decide_approval(
    *, organization: Organization, actor: User, status: str, reason: str
) -> Organization:
    is_approval = status == Organization.Approval.APPROVED
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if locked.approval_status == status:
        return locked
    before = {
        "approval_status": locked.approval_status,
        "approved_at": locked.approved_at,
    }
    locked.approval_status = status
    locked.approved_at = timezone.now() if is_approval else None
    locked.save(update_fields=["approval_status", "approved_at"])
    after = {
        "approval_status": locked.approval_status,
        "approved_at": locked.approved_at,
    }
    if reason:
        after["reason"] = reason
    audit.record(
        actor=actor,
        action="organization.approve" if is_approval else "organization.reject",
        obj=locked,
        before=before,
        after=after,
    )
    if is_approval:
        notifications.notify_organization_approved(organization_id=locked.pk)
    else:
        notifications.notify_organization_rejected(
            organization_id=locked.pk, reason=reason
        )
    return locked


@transaction.atomic
def organization_approve(*, organization: Organization, actor: User) -> Organization:
    """Approve an organization so that it may publish, and audit the decision.

    Notifies the owners in the app and, after commit, by email from the
    worker. Locks the organization row. Idempotent: approving an approved organization
    changes nothing and records nothing.
    """
    return _decide_approval(
        organization=organization,
        actor=actor,
        status=Organization.Approval.APPROVED,
        reason="",
    )


@transaction.atomic
def organization_reject(
    *, organization: Organization, actor: User, reason: str = ""
) -> Organization:
    """Reject an organization's approval and audit the decision.

    Locks the organization row. Idempotent like ``organization_approve``.
    """
    return _decide_approval(
        organization=organization,
        actor=actor,
        status=Organization.Approval.REJECTED,
        reason=reason,
    )


def job_seeker_register(*, user: User):
    """Create the applicant profile of a new job seeker and return it.

    Idempotent: a user who already has a profile keeps it.
    """
    from applicants.models import ApplicantProfile

    profile, created = ApplicantProfile.objects.get_or_create(user=user)
    if created:
        logger.info("Applicant profile %s created for user %s", profile.pk, user.pk)
    return profile


# --- Memberships --------------------------------------------------------------


def _lock_organization(organization: Organization) -> Organization:
    # Every membership change locks the organization row first, so that two
    # owners demoting each other at once cannot leave it without an owner.
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _require_owner(*, organization: Organization, actor: User) -> None:
    is_owner = Membership.objects.filter(
        organization=organization, user=actor, role=Membership.Role.OWNER
    ).exists()
    if not is_owner:
        raise ValidationError(
            _("Only an owner of %(name)s can manage its members."),
            code="not_owner",
            params={"name": organization.name},
        )


def _other_owner_exists(membership: Membership) -> bool:
    return (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=Membership.Role.OWNER
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, actor: User
) -> Membership:
    """Give a member another role. Only owners may, and the last owner stays.

    Locks the organization row. Idempotent when the role is unchanged.
    """
    _lock_organization(membership.organization)
    membership = Membership.objects.get(pk=membership.pk)
    _require_owner(organization=membership.organization, actor=actor)
    if role not in Membership.Role.values:
        raise ValidationError(
            _("Unknown role %(role)r: choose owner, manager or staff."),
            code="invalid_role",
            params={"role": role},
        )
    if membership.role == role:
        return membership
    is_demotion = membership.role == Membership.Role.OWNER
    if is_demotion and not _other_owner_exists(membership):
        raise ValidationError(
            _("%(email)s is the last owner: make another member owner first."),
            code="last_owner",
            params={"email": membership.user.email},
        )
    membership.role = role
    membership.save(update_fields=["role"])
    logger.info(
        "Membership %s changed to role %s by user %s", membership.pk, role, actor.pk
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member, or let a member leave. The last owner cannot go.

    Owners may remove anyone, and any member may remove themselves. Locks the
    organization row.
    """
    _lock_organization(membership.organization)
    membership = Membership.objects.select_related("user", "organization").get(
        pk=membership.pk
    )
    if membership.user_id != actor.pk:
        _require_owner(organization=membership.organization, actor=actor)
    is_owner = membership.role == Membership.Role.OWNER
    if is_owner and not _other_owner_exists(membership):
        raise ValidationError(
            _(
                "%(email)s is the last owner of %(name)s: make another member "
                "owner first."
            ),
            code="last_owner",
            params={
                "email": membership.user.email,
                "name": membership.organization.name,
            },
        )
    logger.info(
        "Membership %s of user %s removed by user %s",
        membership.pk,
        membership.user_id,
        actor.pk,
    )
    membership.delete()


# --- Invitations --------------------------------------------------------------


def invitation_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_url(token: str) -> str:
    path = reverse("accounts:invitation_accept", kwargs={"token": token})
    return f"{settings.MEX_SITE_URL}{path}"


def _send_invitation_email(*, invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "organization_name": invitation.organization.name,
        "role": invitation.get_role_display(),
        "url": invitation_url(token),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string("accounts/email/invitation_message.txt", context),
        html_message=render_to_string(
            "accounts/email/invitation_message.html", context
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    logger.info("Invitation %s sent", invitation.pk)


@transaction.atomic
class SentInvitation(NamedTuple):
    """An invitation just sent, its raw token and how many it replaced."""

    invitation: Invitation
    token: str
    replaced: int


def invitation_send(
    *, organization: Organization, email: str, role: str, invited_by: User
) -> SentInvitation:
    """Invite ``email`` to join ``organization`` as ``role`` and email the link.

    Returns the invitation, its raw token, which is stored only as a SHA-256
    digest, and the number of earlier pending invitations of the same address
    to the same organization. Those are revoked, so only the newest link
    works. The email is sent after the transaction commits. Locks the
    organization row.
    """
    _lock_organization(organization)
    _require_owner(organization=organization, actor=invited_by)
    email = User.objects.normalize_email(email.strip())
    if role not in Membership.Role.values:
        raise ValidationError(
            _("Unknown role %(role)r: choose owner, manager or staff."),
            code="invalid_role",
            params={"role": role},
        )
    already_member = Membership.objects.filter(
        organization=organization, user__email__iexact=email
    ).exists()
    if already_member:
        raise ValidationError(
            _("%(email)s is already a member of %(name)s."),
            code="already_member",
            params={"email": email, "name": organization.name},
        )
    now = timezone.now()
    replaced = Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(INVITATION_TOKEN_BYTES)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_digest=invitation_token_digest(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.MEX_INVITATION_MAX_AGE_DAYS),
    )
    transaction.on_commit(
        lambda: _send_invitation_email(invitation=invitation, token=token)
    )
    logger.info(
        "Invitation %s to organization %s created by user %s, replacing %s",
        invitation.pk,
        organization.pk,
        invited_by.pk,
        replaced,
    )
    return SentInvitation(invitation=invitation, token=token, replaced=replaced)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Revoke a pending invitation so that its link stops working. Idempotent."""
    _lock_organization(invitation.organization)
    _require_owner(organization=invitation.organization, actor=actor)
    invitation = Invitation.objects.get(pk=invitation.pk)
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        logger.info("Invitation %s revoked by user %s", invitation.pk, actor.pk)
    return invitation


def invitation_check(token: str) -> Invitation:
    """Return the usable invitation for a raw token, or raise InvitationError.

    The codes are ``invalid`` (no invitation has this token), ``used``,
    ``revoked`` and ``expired``.
    """
    if not token or len(token) > 200:
        raise InvitationError(_("This invitation link is not valid."), code="invalid")
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_digest=invitation_token_digest(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            _(
                "This invitation link is not valid. Check that you copied the "
                "whole link, or ask the organization's owner for a new one."
            ),
            code="invalid",
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            _(
                "This invitation was already used. Sign in to reach the "
                "organization, or ask its owner for a new invitation."
            ),
            code="used",
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            _(
                "This invitation was withdrawn. Ask the organization's owner "
                "for a new one."
            ),
            code="revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _(
                "This invitation expired on %(date)s. Ask the organization's "
                "owner for a new one."
            ),
            code="expired",
            params={"date": f"{timezone.localtime(invitation.expires_at):%Y-%m-%d}"},
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Make ``user`` a member through an invitation link, which then stops working.

    The signed-in user's email must be the invited address, so a forwarded
    link does not admit someone else. Locks the invitation row, so two
    concurrent uses admit one person. Raises InvitationError (see
    ``invitation_check``) or, for another address, code ``wrong_user``.
    """
    invitation_check(token)
    Invitation.objects.select_for_update().filter(
        token_digest=invitation_token_digest(token)
    ).first()
    # Checked again under the row lock: a concurrent use may have won.
    invitation = invitation_check(token)
    if invitation.email.casefold() != user.email.casefold():
        raise InvitationError(
            _(
                "This invitation was sent to another email address. Sign out, "
                "then sign in or sign up with the address that received it."
            ),
            code="wrong_user",
        )
    membership, created = Membership.objects.get_or_create(
        user=user,
        organization=invitation.organization,
        defaults={"role": invitation.role},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    logger.info(
        "Invitation %s accepted by user %s (new membership: %s)",
        invitation.pk,
        user.pk,
        created,
    )
    return membership
