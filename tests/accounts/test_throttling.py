"""Failed sign-ins are throttled per account and per client IP."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def _login(client, email, password, **headers):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        headers=headers,
    )


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_correct_password_signs_in(client):
    UserFactory(email="ada@example.test")

    _login(client, "ada@example.test", PASSWORD)

    assert _is_signed_in(client)


def test_five_failures_lock_the_account(client):
    # given
    UserFactory(email="ada@example.test")
    for _attempt in range(5):
        _login(client, "ada@example.test", "wrong password")

    # when
    response = _login(client, "ada@example.test", PASSWORD)

    # then
    assert TOO_MANY in response.text
    assert not _is_signed_in(client)


def test_changing_case_does_not_reset_the_count(client):
    UserFactory(email="ada@example.test")
    for spelling in ["ada@example.test", "Ada@example.test", "ADA@EXAMPLE.TEST"] * 2:
        _login(client, spelling, "wrong password")

    response = _login(client, "aDa@Example.Test", PASSWORD)

    assert TOO_MANY in response.text
    assert not _is_signed_in(client)


def test_changing_forwarded_for_does_not_reset_the_count(client):
    UserFactory(email="ada@example.test")
    for attempt in range(5):
        _login(
            client,
            "ada@example.test",
            "wrong password",
            X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )

    response = _login(
        client, "ada@example.test", PASSWORD, X_FORWARDED_FOR="198.51.100.99"
    )

    assert TOO_MANY in response.text


def test_spoofed_forwarded_for_shares_one_ip_count(client):
    # given: ten failures for ten different accounts, each from a "new" address
    for attempt in range(10):
        _login(
            client,
            f"nobody{attempt}@example.test",
            "wrong password",
            X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    UserFactory(email="ada@example.test")

    # when
    response = _login(
        client, "ada@example.test", PASSWORD, X_FORWARDED_FOR="198.51.100.200"
    )

    # then
    assert TOO_MANY in response.text


def test_trusted_proxy_address_is_the_client(client, settings):
    # given: behind one proxy, which appends the real client address last
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for attempt in range(10):
        _login(
            client,
            f"nobody{attempt}@example.test",
            "wrong password",
            X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7",
        )
    UserFactory(email="ada@example.test")

    # when
    response = _login(
        client, "ada@example.test", PASSWORD, X_FORWARDED_FOR="203.0.113.7"
    )

    # then
    assert TOO_MANY in response.text


def test_trusted_proxy_keeps_other_clients_apart(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for attempt in range(10):
        _login(
            client,
            f"nobody{attempt}@example.test",
            "wrong password",
            X_FORWARDED_FOR="203.0.113.7",
        )
    UserFactory(email="ada@example.test")

    _login(client, "ada@example.test", PASSWORD, X_FORWARDED_FOR="203.0.113.8")

    assert _is_signed_in(client)


def test_admin_login_redirects_to_site_login(client):
    response = client.get(reverse("admin:login"))

    assert response.headers["Location"].startswith(reverse("account_login"))


def test_admin_login_form_never_signs_in(client, administrator):
    client.post(
        reverse("admin:login"),
        {"username": administrator.email, "password": PASSWORD},
    )

    assert not _is_signed_in(client)


def test_admin_login_is_throttled(client, administrator):
    # given: failures through the page that the admin login sends people to
    login_url = client.get(reverse("admin:index"), follow=True).request["PATH_INFO"]
    for _attempt in range(5):
        client.post(
            login_url,
            {"login": administrator.email, "password": "wrong password"},
        )

    # when
    response = _login(client, administrator.email, PASSWORD)

    # then
    assert login_url == reverse("account_login")
    assert TOO_MANY in response.text
    assert not _is_signed_in(client)
