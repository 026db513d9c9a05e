import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def _sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_reset_is_sent_to_the_account(client):
    UserFactory(email="kim@example.test")

    _request_reset(client, "kim@example.test")

    assert "password/reset/key/" in _sent_to("kim@example.test")[0].body


def test_reset_dotless_i_sends_nothing(client):
    UserFactory(email="kim@example.test")

    _request_reset(client, "k\u0131m@example.test")

    assert _sent_to("kim@example.test") == []


def test_reset_lookalike_carries_no_link(client):
    UserFactory(email="kim@example.test")

    _request_reset(client, "k\u0131m@example.test")

    assert all("password/reset/key/" not in message.body for message in mail.outbox)


def test_reset_dotted_capital_i_sends_nothing(client):
    UserFactory(email="kim@example.test")

    _request_reset(client, "k\u0130m@example.test")

    assert _sent_to("kim@example.test") == []


def test_reset_kelvin_sign_uses_stored_address(client):
    UserFactory(email="kim@example.test")

    _request_reset(client, "\u212aim@example.test")

    assert {address for message in mail.outbox for address in message.to} <= {
        "kim@example.test"
    }


def test_reset_known_and_unknown_look_alike(client):
    UserFactory(email="kim@example.test")

    known = _request_reset(client, "kim@example.test")
    unknown = _request_reset(client, "nobody@example.test")

    assert known.headers["Location"] == unknown.headers["Location"]
