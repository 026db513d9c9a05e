"""Open Badges 3.0 credentials: OpenBadgeCredential signed as a VC-JWT.

Each assertion is also issued as a Verifiable Credential (data model 2.0)
secured with JOSE as in "Securing Verifiable Credentials using JOSE and
COSE". The credential is the JWT payload itself, beside the registered
claims ``iss``, ``jti``, ``nbf``, ``iat`` and ``exp``. It is signed with
Ed25519 (``alg`` EdDSA). The signature is the proof, so the payload carries no
embedded ``proof``. Revocation uses the 1EdTech Revocation List status
method: ``credentialStatus`` points at the issuer's hosted list.
"""

from badges import links
from badges.identity import HASH_PREFIX
from badges.keys import sign_jwt
from badges.openbadges2 import isoformat

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json"
)
JWT_TYPE = "vc+jwt"
JWT_CONTENT_TYPE = "application/vc+jwt"
STATUS_TYPE = "1EdTechRevocationList"


def credential_url(assertion) -> str:
    return links.absolute_url("badges:credential", assertion.public_id)


def credential_status_url(organization_id: int) -> str:
    return links.absolute_url("badges:credential_revocations", organization_id)


def issuer_profile(organization) -> dict:
    profile = {
        "id": links.issuer_url(organization.pk),
        "type": ["Profile"],
        "name": organization.name,
    }
    if organization.website:
        profile["url"] = organization.website
    return profile


def achievement(badge_class) -> dict:
    course = badge_class.course
    document = {
        "id": links.badge_class_url(badge_class),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": badge_class.name,
        "description": badge_class.description,
        "criteria": {"narrative": badge_class.criteria},
        "image": {
            "id": links.absolute_url("badges:badge_class_image", badge_class.public_id),
            "type": "Image",
            "caption": badge_class.name,
        },
        "creator": issuer_profile(badge_class.college),
    }
    if course is None:
        document["achievementType"] = "LearningProgram"
        return document
    if course.url:
        document["criteria"]["id"] = course.url
    tags = sorted(skill.name for skill in course.skills.all())
    if tags:
        document["tag"] = tags
    return document


def credential_document(assertion) -> dict:
    """Return the OpenBadgeCredential of an assertion, without proof."""
    badge_class = assertion.badge_class
    college = badge_class.college
    hashed = assertion.recipient_hash.startswith(HASH_PREFIX)
    document = {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": credential_url(assertion),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": badge_class.name,
        "issuer": issuer_profile(college),
        "validFrom": isoformat(assertion.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": assertion.recipient_hash,
                    "identityType": "emailAddress",
                    "hashed": hashed,
                    "salt": assertion.recipient_salt,
                }
            ],
            "achievement": achievement(badge_class),
        },
        "credentialStatus": {
            "id": credential_status_url(college.pk),
            "type": STATUS_TYPE,
        },
        "credentialSchema": [
            {"id": OB3_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
        ],
    }
    if assertion.expires_on is not None:
        document["validUntil"] = isoformat(assertion.expires_on)
    evidence = {"type": ["Evidence"], "narrative": assertion.narrative}
    if assertion.evidence_url:
        evidence["id"] = assertion.evidence_url
    document["evidence"] = [evidence]
    return document


def jwt_claims(document: dict, *, issued_at: int, expires_at: int | None) -> dict:
    claims = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": issued_at,
        "iat": issued_at,
    }
    if expires_at is not None:
        claims["exp"] = expires_at
    return claims


def sign_credential(assertion) -> str:
    """Return the VC-JWT of an assertion, signed with the current key."""
    document = credential_document(assertion)
    expires_at = None
    if assertion.expires_on is not None:
        expires_at = int(assertion.expires_on.timestamp())
    claims = jwt_claims(
        document,
        issued_at=int(assertion.issued_on.timestamp()),
        expires_at=expires_at,
    )
    return sign_jwt(claims, typ=JWT_TYPE)


def credential_revocation_list(organization, revoked_assertions) -> dict:
    """Return the 1EdTech revocation list that ``credentialStatus`` names."""
    return {
        "id": credential_status_url(organization.pk),
        "issuer": links.issuer_url(organization.pk),
        "revokedCredentials": [
            {
                "id": credential_url(assertion),
                "revoked": True,
                "revocationReason": assertion.revocation_reason,
            }
            for assertion in revoked_assertions
        ],
    }
