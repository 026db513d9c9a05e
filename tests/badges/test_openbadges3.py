import json

import jsonschema
import jwt
import pytest
from django.core.management import call_command

from badges.baking import OB3_KEYWORD, unbake_png
from badges.keys import current_signing_key
from badges.services import badge_issue, badge_revoke
from tests.badges.helpers import stored_png
from tests.colleges.factories import CompletedEnrolmentFactory
from tests.services import data_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def assertion():
    return badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)


def _decode(token: str, jwks: dict) -> dict:
    """Verify a VC-JWT with PyJWT against a published key set."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(key for key in jwks["keys"] if key["kid"] == kid)
    return jwt.decode(
        token,
        key=jwt.PyJWK(jwk).key,
        algorithms=["EdDSA"],
        options={"require": ["iss", "nbf", "jti"]},
    )


def _jwks(client, assertion) -> dict:
    college_id = assertion.badge_class.course.college_id
    return client.get(f"/badges/issuers/{college_id}/jwks.json").json()


def test_credential_verifies_with_pyjwt(client, assertion):
    token = client.get(f"/badges/assertions/{assertion.public_id}/credential/").text

    claims = _decode(token, _jwks(client, assertion))

    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["jti"] == claims["id"]


def test_credential_header_names_key(assertion):
    header = jwt.get_unverified_header(assertion.credential_jwt)

    assert header["alg"] == "EdDSA"
    assert header["typ"] == "vc+jwt"
    assert header["kid"] == current_signing_key().kid


def test_credential_matches_official_schema(client, assertion):
    schema_path = data_dir() / "openbadges" / "ob3-achievementcredential.json"
    schema = json.loads(schema_path.read_text())
    claims = _decode(assertion.credential_jwt, _jwks(client, assertion))

    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = [error.message for error in validator.iter_errors(claims)]
    assert errors == []


def test_credential_names_hashed_recipient(assertion):
    claims = jwt.decode(assertion.credential_jwt, options={"verify_signature": False})

    identifier = claims["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == assertion.recipient_hash
    assert identifier["salt"] == assertion.recipient_salt


def test_tampered_credential_fails(client, assertion):
    header, payload, signature = assertion.credential_jwt.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["name"] = "Registered Nurse"
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    forged = f"{header}.{forged_payload}.{signature}"

    with pytest.raises(jwt.InvalidSignatureError):
        _decode(forged, _jwks(client, assertion))


def test_rotation_keeps_old_badges_valid(client, assertion):
    # given
    old_kid = jwt.get_unverified_header(assertion.credential_jwt)["kid"]

    # when
    call_command("rotate_badge_key", verbosity=0)
    newer = badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)

    # then
    jwks = _jwks(client, assertion)
    new_kid = jwt.get_unverified_header(newer.credential_jwt)["kid"]
    assert new_kid != old_kid
    assert {key["kid"] for key in jwks["keys"]} == {old_kid, new_kid}
    assert _decode(assertion.credential_jwt, jwks)["id"]
    assert _decode(newer.credential_jwt, jwks)["id"]


def test_jwks_publishes_no_private_key(client, assertion):
    jwks = _jwks(client, assertion)

    assert all("d" not in key for key in jwks["keys"])


def test_credential_status_lists_revocation(client, assertion):
    # given
    badge_revoke(assertion_id=assertion.pk, reason="Assessment was not passed.")
    claims = jwt.decode(assertion.credential_jwt, options={"verify_signature": False})

    # when
    status = client.get(claims["credentialStatus"]["id"]).json()

    # then
    assert claims["credentialStatus"]["type"] == "1EdTechRevocationList"
    assert status["revokedCredentials"] == [
        {
            "id": claims["id"],
            "revoked": True,
            "revocationReason": "Assessment was not passed.",
        }
    ]


def test_png_bakes_credential_jwt(assertion):
    assert unbake_png(stored_png(assertion), keyword=OB3_KEYWORD) == (
        assertion.credential_jwt
    )


def test_schema_rejects_proof_object(assertion):
    schema_path = data_dir() / "openbadges" / "ob3-achievementcredential.json"
    schema = json.loads(schema_path.read_text())
    claims = jwt.decode(assertion.credential_jwt, options={"verify_signature": False})
    claims["proof"] = {"type": "DataIntegrityProof"}

    validator = jsonschema.Draft201909Validator(schema)
    assert not validator.is_valid(claims)
