"""``next=`` never sends anyone off the site."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "//example.test",
    "/\\example.test",
    "https:example.test",
    "https://example.test/",
    "///example.test",
    "\\\\example.test",
    " //example.test",
    "http:/\\/example.test",
    "javascript:alert(1)",
]


def _stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        parts.scheme == ""
        and parts.netloc == ""
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_next_stays_on_site(client, target):
    UserFactory(email="ada@example.test")

    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.test", "password": PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_next_in_query_stays_on_site(client, target):
    UserFactory(email="ada@example.test")

    response = client.post(
        f"{reverse('account_login')}?next={target}",
        {"login": "ada@example.test", "password": PASSWORD},
    )

    assert _stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_after_email_confirmation_stays_on_site(client, target):
    # given
    client.post(
        reverse("account_signup"),
        {
            "email": "ada@example.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Ada",
            "last_name": "Okafor",
            "account_type": "job_seeker",
            "next": target,
        },
    )
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body
    )[1]

    # when
    response = client.post(f"{link}?next={target}", {"next": target})

    # then
    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"])


def test_on_site_next_is_followed(client):
    UserFactory(email="ada@example.test")

    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.test", "password": PASSWORD, "next": "/vacancies/"},
    )

    assert response.headers["Location"] == "/vacancies/"
