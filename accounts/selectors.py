"""Read-side queries about organizations, members and what they may see.

Other apps ask these before they act for an organization: a college's course
and badge services call ``organization_can_publish`` and show
``organization_publish_block_reason`` to staff when it returns False.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Invitation, Membership, Organization


def organization_can_publish(organization: Organization) -> bool:
    """Return whether the organization may publish courses, vacancies or badges.

    Employers are approved when they sign up, colleges only once a MEX
    administrator approves them. A rejected organization never may.
    """
    return organization.approval_status == Organization.Approval.APPROVED


def organization_publish_block_reason(organization: Organization) -> str:
    """Return why the organization may not publish yet, or "" when it may."""
    if organization_can_publish(organization):
        return ""
    if organization.approval_status == Organization.Approval.REJECTED:
        return _(
            "A MEX administrator declined %(name)s. Contact MEX support to ask "
            "for another review."
        ) % {"name": organization.name}
    if organization.kind == Organization.Kind.EMPLOYER:
        return _(
            "%(name)s is not approved yet: it is waiting for a MEX administrator "
            "to review it, which usually takes one or two business days. Until "
            "then it cannot publish vacancies."
        ) % {"name": organization.name}
    return _(
        "%(name)s is waiting for a MEX administrator to confirm that it is a "
        "recognized college. Until then it cannot publish courses or issue "
        "badges. Approval usually takes one or two business days."
    ) % {"name": organization.name}


def ensure_organization_can_publish(organization: Organization) -> None:
    """Raise ValidationError, code ``not_approved``, unless it may publish.

    Services that publish a course or issue a badge call this first. The
    message tells the organization's staff why and what happens next.
    """
    reason = organization_publish_block_reason(organization)
    if reason:
        raise ValidationError(reason, code="not_approved")


def organizations_pending_approval() -> QuerySet[Organization]:
    """Return the colleges waiting for an administrator, oldest first."""
    return Organization.objects.filter(
        approval_status=Organization.Approval.PENDING
    ).order_by("created_at")


def owner_count(organization: Organization) -> int:
    return organization.memberships.filter(role=Membership.Role.OWNER).count()


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )


@dataclass(frozen=True)
class ApplicantForEmployer:
    """The part of one applicant's profile that an employer may see.

    ``contact_visible`` is True only when a MEX administrator approved a match
    between the applicant and one of the employer's vacancies and the
    applicant consented to share their details. Otherwise the name, email and
    phone are empty strings.
    """

    applicant_id: int
    headline: str
    location: str
    skills: list[str] = field(default_factory=list)
    contact_visible: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""


def employer_may_contact(*, applicant, organization: Organization) -> bool:
    """Return whether ``organization`` may see the applicant's contact details."""
    from matching.models import Match

    if not applicant.consent_to_share:
        return False
    return Match.objects.filter(
        applicant=applicant,
        vacancy__employer=organization,
        status=Match.Status.APPROVED,
    ).exists()


def applicant_for_employer(*, applicant, organization: Organization):
    """Return the ``ApplicantForEmployer`` view of an applicant."""
    skills = [
        str(record)
        for record in applicant.skill_levels.select_related("skill").order_by(
            "skill__name"
        )
    ]
    visible = employer_may_contact(applicant=applicant, organization=organization)
    if not visible:
        return ApplicantForEmployer(
            applicant_id=applicant.pk,
            headline=applicant.headline,
            location=applicant.region or applicant.location,
            skills=skills,
        )
    return ApplicantForEmployer(
        applicant_id=applicant.pk,
        headline=applicant.headline,
        location=applicant.location,
        skills=skills,
        contact_visible=True,
        name=applicant.user.get_full_name() or applicant.user.display_name,
        email=applicant.user.email,
        phone=applicant.phone,
    )
