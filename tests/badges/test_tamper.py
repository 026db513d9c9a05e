"""Changing any byte of a signed credential, a log entry or baked JSON shows."""

import base64
import json

import jwt
import pytest

from badges.baking import bake_png
from badges.keys import public_jwks
from badges.models import LogEntry
from badges.services import badge_issue, badge_revoke
from badges.transparency import verify_log
from badges.verification import verify_presented
from tests.badges.helpers import stored_png
from tests.colleges.factories import CompletedEnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assertion():
    return badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_every_payload_byte_is_signed(assertion):
    # given
    header, payload, signature = assertion.credential_jwt.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    key = jwt.PyJWK(public_jwks()["keys"][0]).key
    undetected = []

    # when
    for position in range(len(raw)):
        altered = bytearray(raw)
        altered[position] ^= 0x01
        token = f"{header}.{_b64(bytes(altered))}.{signature}"
        try:
            jwt.decode(token, key=key, algorithms=["EdDSA"])
        except jwt.InvalidTokenError:
            continue
        undetected.append(position)

    # then
    assert undetected == []


def test_every_log_entry_is_covered():
    # given
    assertions = [
        badge_issue(enrolment_id=CompletedEnrolmentFactory().pk) for _ in range(3)
    ]
    badge_revoke(assertion_id=assertions[1].pk, reason="Issued in error.")

    for entry in LogEntry.objects.all():
        original = entry.payload

        # when
        entry.payload = original.replace('"kind":"', '"kind":"x', 1)
        entry.save(update_fields=["payload"])
        problems = verify_log()
        entry.payload = original
        entry.save(update_fields=["payload"])

        # then
        assert problems[0].index == entry.index


def test_every_baked_json_byte_is_checked(client, assertion):
    # given
    hosted = client.get(f"/badges/assertions/{assertion.public_id}/").content
    png = stored_png(assertion)
    undetected = []

    # when
    for position in range(len(hosted)):
        altered = bytearray(hosted)
        altered[position] ^= 0x01
        try:
            text = bytes(altered).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if json.loads(hosted) == _loads_or_none(text):
            continue
        rebaked = bake_png(png, text)
        if verify_presented(data=rebaked).valid:
            undetected.append(position)

    # then
    assert undetected == []


def _loads_or_none(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None
