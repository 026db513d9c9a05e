import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Organization, User
from applicants.models import ApplicantProfile
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, email, account_type="job_seeker", organization_name="", **extra):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Ada",
        "last_name": "Okafor",
        "account_type": account_type,
        "organization_name": organization_name,
    }
    return client.post(reverse("account_signup"), data, **extra)


def _confirmation_link(message) -> str:
    return re.search(
        r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body
    )[1]


def _without_tokens(html: str, email: str) -> str:
    """Return the page without its CSRF tokens and the address typed in."""
    html = html.replace(email, "EMAIL")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_taken_and_new_email_give_the_same_page(client):
    # given
    UserFactory(email="taken@example.test")

    # when
    taken = _signup(client, "taken@example.test")
    taken_page = client.get(taken.headers["Location"])
    client.cookies.clear()
    new = _signup(client, "new@example.test")
    new_page = client.get(new.headers["Location"])

    # then
    assert taken.status_code == new.status_code == 302
    assert taken.headers["Location"] == new.headers["Location"]
    assert _without_tokens(taken_page.text, "taken@example.test") == _without_tokens(
        new_page.text, "new@example.test"
    )


def test_taken_email_creates_no_second_account(client):
    UserFactory(email="taken@example.test")

    _signup(client, "taken@example.test")

    assert User.objects.filter(email__iexact="taken@example.test").count() == 1


def test_taken_email_warns_the_owner_by_email(client):
    UserFactory(email="taken@example.test")

    _signup(client, "taken@example.test")

    assert mail.outbox[0].to == ["taken@example.test"]
    assert "confirm-email" not in mail.outbox[0].body


def test_login_before_email_confirmation_is_refused(client):
    _signup(client, "ada@example.test")
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "ada@example.test", "password": PASSWORD}
    )

    assert response.headers["Location"] == reverse("account_email_verification_sent")


def test_job_seeker_lands_in_profile_onboarding(client):
    # given
    _signup(client, "ada@example.test")

    # when
    confirm = client.post(_confirmation_link(mail.outbox[0]))
    landing = client.get(confirm.headers["Location"])

    # then
    assert ApplicantProfile.objects.filter(user__email="ada@example.test").exists()
    assert landing.headers["Location"] == reverse("applicants:profile_edit")


def test_employer_gets_an_approved_organization(client):
    _signup(client, "hr@example.test", "employer", "Maple Grove Care")

    organization = Organization.objects.get(name="Maple Grove Care")

    assert organization.kind == Organization.Kind.EMPLOYER
    assert organization.approval_status == Organization.Approval.APPROVED


def test_employer_owns_the_new_organization(client):
    _signup(client, "hr@example.test", "employer", "Maple Grove Care")

    membership = Membership.objects.get(user__email="hr@example.test")

    assert membership.role == Membership.Role.OWNER


def test_college_stays_pending(client):
    _signup(client, "dean@example.test", "college", "Niagara Skills College")

    organization = Organization.objects.get(name="Niagara Skills College")

    assert organization.approval_status == Organization.Approval.PENDING


def test_college_staff_see_why_they_cannot_publish(client):
    # given
    _signup(client, "dean@example.test", "college", "Niagara Skills College")
    client.post(_confirmation_link(mail.outbox[0]))

    # when
    response = client.get(reverse("accounts:organization"))

    # then
    assert "waiting for a MEX administrator" in response.text


def test_employer_without_name_gets_a_clear_error(client):
    response = _signup(client, "hr@example.test", "employer", "")

    assert "Enter the name of your employer or college." in response.text
    assert not User.objects.filter(email="hr@example.test").exists()
