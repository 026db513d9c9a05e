"""Reads of badges.

Public pages reach assertions, badge classes and issuers only through the
``public_*`` selectors here, by public id. They return nothing for a
malformed id.
"""

import uuid

from django.db.models import QuerySet

from accounts.models import Organization
from badges.models import Assertion, BadgeClass


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
        Assertion.objects.select_related(
            "badge_class__course__college", "recipient__user"
        )
        .filter(public_id=public_uuid)
        .first()
    )


def public_badge_class(public_id) -> BadgeClass | None:
    public_uuid = _as_uuid(public_id)
    if public_uuid is None:
        return None
    return (
        BadgeClass.objects.select_related("course__college")
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
            courses__badge_class__isnull=False,
        )
        .distinct()
        .first()
    )


def revoked_assertions_of_issuer(organization_id: int) -> QuerySet[Assertion]:
    return Assertion.objects.filter(
        badge_class__course__college_id=organization_id, revoked=True
    ).order_by("revoked_at", "pk")
