"""Reads of badges.

Public pages reach assertions, badge classes and issuers only through the
``public_*`` selectors here, by public id. They return nothing for a
malformed id.
"""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Organization
from badges.models import Assertion, BadgeClass, Pathway, Portfolio


def _as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def assertion_exists_for_enrolment(enrolment_id: int) -> bool:
    return Assertion.objects.filter(enrolment_id=enrolment_id).exists()


def public_assertion(public_id) -> Assertion | None:
    """Return the assertion with this public id, or None."""
    public_uuid = _as_uuid(public_id)
    if public_uuid is None:
        return None
    return (
        Assertion.objects.select_related("badge_class__college", "recipient__user")
        .filter(public_id=public_uuid)
        .first()
    )


def public_badge_class(public_id) -> BadgeClass | None:
    public_uuid = _as_uuid(public_id)
    if public_uuid is None:
        return None
    return (
        BadgeClass.objects.select_related("college", "course")
        .prefetch_related("course__skills")
        .filter(public_id=public_uuid)
        .first()
    )


def public_issuer(organization_id: int) -> Organization | None:
    """Return the college with this id if it has issued any badge class."""
    return (
        Organization.objects.filter(
            pk=organization_id,
            kind=Organization.Kind.COLLEGE,
            badge_classes__isnull=False,
        )
        .distinct()
        .first()
    )


def revoked_assertions_of_issuer(organization_id: int) -> QuerySet[Assertion]:
    return Assertion.objects.filter(
        badge_class__college_id=organization_id, revoked=True
    ).order_by("revoked_at", "pk")


@dataclass(frozen=True)
class PathwayProgress:
    pathway: Pathway
    held: list[BadgeClass]
    missing: list[BadgeClass]
    earned: Assertion | None

    @property
    def total(self) -> int:
        """The number of component badges of the pathway."""
        return len(self.held) + len(self.missing)

    @property
    def percent(self) -> int:
        total = self.total
        return round(100 * len(self.held) / total) if total else 0


def pathway_progress(applicant_id: int) -> list[PathwayProgress]:
    """Return progress on every pathway the applicant has started."""
    now = timezone.now()
    valid = (
        Assertion.objects.filter(recipient_id=applicant_id, revoked=False)
        .exclude(expires_on__lte=now)
        .select_related("badge_class")
    )
    by_class = {assertion.badge_class_id: assertion for assertion in valid}
    pathways = (
        Pathway.objects.filter(components__in=list(by_class))
        .distinct()
        .prefetch_related("components__course")
    )
    progress = []
    for pathway in pathways:
        components = list(pathway.components.all())
        progress.append(
            PathwayProgress(
                pathway=pathway,
                held=[badge for badge in components if badge.pk in by_class],
                missing=[badge for badge in components if badge.pk not in by_class],
                earned=by_class.get(pathway.badge_class_id),
            )
        )
    return progress


def public_portfolio(public_id) -> Portfolio | None:
    """Return a portfolio its applicant made public, or None."""
    public_uuid = _as_uuid(public_id)
    if public_uuid is None:
        return None
    return (
        Portfolio.objects.select_related("applicant__user")
        .filter(public_id=public_uuid, is_public=True)
        .first()
    )


def portfolio_badges(applicant_id: int) -> QuerySet[Assertion]:
    """Return the valid badges a public portfolio shows."""
    return (
        Assertion.objects.filter(recipient_id=applicant_id, revoked=False)
        .exclude(expires_on__lte=timezone.now())
        .select_related("badge_class__college")
        .order_by("-issued_on")
    )
