import base64
import html
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from accounts import audit
from badges.baking import bake_svg
from badges.models import Assertion
from badges.services import badge_issue, badge_revoke
from badges.verification import verify_presented
from badges.views import baked_svg
from tests.badges.helpers import stored_png
from tests.colleges.factories import CompletedEnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "zoe.nandu@example.org"


@pytest.fixture
def assertion():
    user = UserFactory(email=EMAIL)
    return badge_issue(enrolment_id=CompletedEnrolmentFactory(applicant__user=user).pk)


def _checks(result) -> dict[str, bool]:
    return {check.name: check.passed for check in result.checks}


def _hosted_json(client, assertion) -> str:
    return client.get(f"/badges/assertions/{assertion.public_id}/").text


def test_png_verifies_both_versions(assertion):
    result = verify_presented(data=stored_png(assertion))

    assert result.valid
    assert "Open Badges 3.0" in result.format
    assert "Open Badges 2.0" in result.format


def test_svg_verifies(assertion):
    result = verify_presented(data=baked_svg(assertion))

    assert result.valid


def test_pasted_json_verifies(client, assertion):
    result = verify_presented(text=_hosted_json(client, assertion))

    assert result.valid


def test_pasted_jwt_verifies(assertion):
    result = verify_presented(text=assertion.credential_jwt)

    assert result.valid
    assert result.assertion == assertion


def test_tampered_json_fails(client, assertion):
    document = json.loads(_hosted_json(client, assertion))
    document["issuedOn"] = "2020-01-01T00:00:00Z"

    result = verify_presented(text=json.dumps(document))

    assert _checks(result)["Hosted copy"] is False


def test_tampered_jwt_fails(assertion):
    header, payload, signature = assertion.credential_jwt.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]

    result = verify_presented(text=f"{header}.{flipped}.{signature}")

    assert _checks(result)["Signature"] is False


def test_revoked_badge_fails_with_reason(assertion):
    badge_revoke(assertion_id=assertion.pk, reason="Issued in error.")

    result = verify_presented(text=assertion.credential_jwt)

    revocation = next(check for check in result.checks if check.name == "Revocation")
    assert not revocation.passed
    assert "Issued in error." in revocation.detail


def test_expired_badge_fails(client, assertion):
    Assertion.objects.filter(pk=assertion.pk).update(
        expires_on=timezone.now() - timedelta(days=1)
    )
    assertion.refresh_from_db()

    result = verify_presented(text=_hosted_json(client, assertion))

    assert _checks(result)["Expiry"] is False


def test_email_in_other_case_matches(assertion):
    result = verify_presented(
        data=stored_png(assertion), email="  Zoe.Nandu@EXAMPLE.org "
    )

    assert _checks(result)["Recipient"] is True


def test_other_email_does_not_match(assertion):
    result = verify_presented(data=stored_png(assertion), email="bo@example.org")

    assert _checks(result)["Recipient"] is False


def test_upper_case_identity_hash_matches(client, assertion):
    document = json.loads(_hosted_json(client, assertion))
    identity = document["recipient"]["identity"]
    document["recipient"]["identity"] = "sha256$" + identity[7:].upper()

    result = verify_presented(text=json.dumps(document), email=EMAIL)

    assert _checks(result)["Recipient"] is True


def test_svg_with_wrong_recipient_fails(client, assertion):
    # given an SVG re-baked with another person's identity
    document = json.loads(_hosted_json(client, assertion))
    document["recipient"]["identity"] = "sha256$" + "0" * 64
    svg = bake_svg(baked_svg(assertion), json.dumps(document))

    # when
    result = verify_presented(data=svg, email=EMAIL)

    # then
    assert not result.valid
    assert _checks(result)["Hosted copy"] is False


def test_plain_png_has_no_badge():
    from tests.badges.test_baking import _plain_png

    result = verify_presented(data=_plain_png())

    assert "No badge found" in result.error


def test_revocation_is_audited(assertion):
    administrator = UserFactory(is_staff=True)

    badge_revoke(assertion_id=assertion.pk, reason="Issued in error.", by=administrator)

    event = audit.events_for(assertion).get()
    assert event.action == "badge.revoke"
    assert event.actor == administrator
    assert event.after["revocation_reason"] == "Issued in error."


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"GIF89a not a badge", "Le fichier n'est ni une image PNG ni une image SVG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "L'image PNG est tronquée à l'octet 8."),
        (b"<svg><g></svg>", "Le fichier n'est pas une image SVG bien formée"),
        (b"<html><svg/></html>", "L'élément racine du fichier est <html>"),
    ],
)
def test_verify_tool_explains_bad_file_in_french(client, upload, message):
    # given
    image = SimpleUploadedFile("badge.png", upload)

    # when
    response = client.post(
        reverse("badges:verify_tool"), {"image": image}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    # then
    assert message in html.unescape(response.text)


def test_foreign_key_id_explained_in_french(assertion):
    # given: a VC-JWT whose header names a key MEX never published
    header = base64.urlsafe_b64encode(b'{"alg":"EdDSA","kid":"other"}').rstrip(b"=")
    token = header.decode() + ".e30.c2ln"

    # when
    with translation.override("fr"):
        result = verify_presented(text=token)

    # then
    details = [check.detail for check in result.checks]
    assert any("other" in detail and "publiées" in detail for detail in details)
