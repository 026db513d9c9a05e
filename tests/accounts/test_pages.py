"""Every account page renders in the MEX layout."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "home",
    "account_login",
    "account_signup",
    "account_reset_password",
    "vacancies:list",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_public_page_renders(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert 'class="navbar-brand' in response.text


@pytest.mark.parametrize(
    "name",
    ["mfa_index", "mfa_activate_totp", "account_email", "account_change_password"],
)
def test_security_page_renders(client, employer_member, name):
    # Setting up TOTP requires entering the password again first.
    client.force_login(employer_member.user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert 'class="navbar-brand' in response.text


@pytest.mark.parametrize(
    "name", ["accounts:organization", "accounts:organization_create"]
)
def test_organization_page_renders(client, employer_member, name):
    client.force_login(employer_member.user)

    response = client.get(reverse(name))

    assert response.status_code == 200


def test_member_dashboard_leads_to_the_organization(client, employer_member):
    client.force_login(employer_member.user)

    response = client.get(reverse("accounts:dashboard"))

    assert response.headers["Location"] == reverse("accounts:organization")


def test_onboarded_applicant_dashboard_leads_to_matches(client, applicant):
    client.force_login(applicant.user)

    response = client.get(reverse("accounts:dashboard"))

    assert response.headers["Location"] == reverse("applicants:matches")


@pytest.mark.parametrize("name", ["applicants:profile", "applicants:profile_edit"])
def test_applicant_page_renders(client, applicant, name):
    client.force_login(applicant.user)

    response = client.get(reverse(name))

    assert response.status_code == 200


def test_organization_page_without_membership_is_404(client, applicant):
    client.force_login(applicant.user)

    response = client.get(reverse("accounts:organization"))

    assert response.status_code == 404
