"""Open Badges 2.0 documents: Issuer, BadgeClass, Assertion, revocation list.

Every document is built from database rows alone, so the hosted JSON and the
JSON baked into an image at issue time are the same bytes for as long as the
assertion stays valid. Specification: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
"""

import json
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from badges import links

CONTEXT = "https://w3id.org/openbadges/v2"
JSON_CONTENT_TYPE = "application/ld+json; charset=utf-8"


def dumps(document: dict) -> bytes:
    """Serialise a document the one way MEX hosts and bakes it."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def isoformat(moment: datetime) -> str:
    """Return an ISO 8601 UTC timestamp with a ``Z`` and whole seconds."""
    utc = moment.astimezone(timezone.UTC).replace(microsecond=0)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_document(organization) -> dict:
    document = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": links.issuer_url(organization.pk),
        "name": organization.name,
        "url": organization.website or settings.MEX_SITE_URL,
        "revocationList": links.absolute_url("badges:revocation_list", organization.pk),
    }
    if organization.description:
        document["description"] = organization.description
    return document


def badge_class_document(badge_class) -> dict:
    course = badge_class.course
    document = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": links.badge_class_url(badge_class),
        "name": badge_class.name,
        "description": badge_class.description,
        "image": links.absolute_url("badges:badge_class_image", badge_class.public_id),
        "criteria": {"narrative": badge_class.criteria},
        "issuer": links.issuer_url(badge_class.college_id),
    }
    if course is None:
        return document
    if course.url:
        document["criteria"]["id"] = course.url
    tags = sorted(skill.name for skill in course.skills.all())
    if tags:
        document["tags"] = tags
    return document


def assertion_document(assertion) -> dict:
    """Return the Assertion, or the revoked stub that replaces it."""
    if assertion.revoked:
        return revoked_assertion_document(assertion)
    return issued_assertion_document(assertion)


def issued_assertion_document(assertion) -> dict:
    """Return the Assertion as issued and baked, whether revoked since or not."""
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": links.assertion_url(assertion),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": assertion.recipient_salt,
            "identity": assertion.recipient_hash,
        },
        "badge": links.badge_class_url(assertion.badge_class),
        "issuedOn": isoformat(assertion.issued_on),
        "verification": {"type": "hosted"},
        "image": links.assertion_image_url(assertion),
    }
    if assertion.expires_on is not None:
        document["expires"] = isoformat(assertion.expires_on)
    evidence = {"narrative": assertion.narrative}
    if assertion.evidence_url:
        evidence = {"id": assertion.evidence_url, **evidence}
    document["evidence"] = [evidence]
    document["narrative"] = assertion.narrative
    return document


def revoked_assertion_document(assertion) -> dict:
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": links.assertion_url(assertion),
        "revoked": True,
        "revocationReason": assertion.revocation_reason,
    }


def revocation_list_document(organization, revoked_assertions) -> dict:
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": links.absolute_url("badges:revocation_list", organization.pk),
        "issuer": links.issuer_url(organization.pk),
        "revokedAssertions": [
            {
                "id": links.assertion_url(assertion),
                "revocationReason": assertion.revocation_reason,
            }
            for assertion in revoked_assertions
        ],
    }
