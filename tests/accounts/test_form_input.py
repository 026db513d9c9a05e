"""Sign-up and organization forms reject bad input and escape markup."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Organization, User
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.form_input import XSS, assert_error_next_to, assert_escaped

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "amina@example.org",
    "first_name": "Amina",
    "last_name": "Okafor",
    "account_type": "job_seeker",
    "organization_name": "",
    "password1": "correct horse battery staple",
    "password2": "correct horse battery staple",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "This field is required."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("email", "a" * 250 + "@example.org", "at most 254 characters"),
        ("first_name", "", "This field is required."),
        ("first_name", "x" * 151, "at most 150 characters"),
        ("first_name", "Am\u202eina", "U+202E at position 3"),
        ("last_name", "Oka\x08for", "U+0008 at position 4"),
        ("last_name", "x" * 151, "at most 150 characters"),
        ("organization_name", "x" * 201, "at most 200 characters"),
    ],
)
def test_signup_rejects_bad_field(client, field, value, message):
    response = client.post(reverse("account_signup"), {**SIGNUP, field: value})

    assert_error_next_to(response, field, message)
    assert not User.objects.exists()


def test_signup_of_employer_needs_organization_name(client):
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "account_type": "employer"}
    )

    assert_error_next_to(response, "organization_name", "Enter the name of")
    assert not Organization.objects.exists()


@pytest.fixture
def signed_in(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 201, "at most 200 characters"),
        ("name", "Lakeview\u2068", "U+2068 at position 9"),
        ("description", "Care\x00home", "Null characters are not allowed."),
        ("description", "Care\x07home", "U+0007 at position 5"),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("description", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_organization_form_rejects_bad_field(client, signed_in, field, value, message):
    data = {"kind": "employer", "name": "Lakeview", "website": "", "description": ""}

    response = client.post(
        reverse("accounts:organization_create"), {**data, field: value}
    )

    assert_error_next_to(response, field, message)
    assert not Organization.objects.exists()


def test_organization_name_escaped_on_pages(client, signed_in):
    # given
    client.post(
        reverse("accounts:organization_create"),
        {"kind": "employer", "name": XSS, "website": "", "description": XSS},
    )

    # when
    page = client.get(reverse("accounts:organization"))

    # then
    assert_escaped(page.content.decode())


def test_organization_name_escaped_in_admin(admin_client_with_mfa):
    OrganizationFactory(name=XSS)

    response = admin_client_with_mfa.get(
        reverse("admin:accounts_organization_changelist")
    )

    assert_escaped(response.content.decode())


def test_user_name_escaped_in_admin(admin_client_with_mfa):
    UserFactory(first_name=XSS, last_name=XSS)

    response = admin_client_with_mfa.get(reverse("admin:accounts_user_changelist"))

    assert_escaped(response.content.decode())


def test_invitation_email_escapes_organization_name(
    client, django_capture_on_commit_callbacks
):
    # given
    owner = MembershipFactory(organization=OrganizationFactory(name=XSS), role="owner")
    client.force_login(owner.user)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_create"),
            {"email": "new@example.org", "role": "staff"},
        )

    # then
    html_body = mail.outbox[-1].alternatives[0][0]
    assert_escaped(html_body)


def test_invitation_rejects_bad_email(client):
    owner = MembershipFactory(role="owner")
    client.force_login(owner.user)

    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": "not-an-address", "role": "staff"},
        follow=True,
    )

    assert "not-an-address is not a valid email address" in response.text
    assert not owner.organization.invitations.exists()


def test_invitation_rejects_overlong_email(client):
    owner = MembershipFactory(role="owner")
    client.force_login(owner.user)

    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": "a" * 250 + "@example.org", "role": "staff"},
        follow=True,
    )

    assert "at most 254 characters (it has 262)" in response.content.decode()
    assert not owner.organization.invitations.exists()


def test_added_email_rejects_overlong_address(client, signed_in):
    response = client.post(
        reverse("account_email"),
        {"email": "a" * 250 + "@example.org", "action_add": ""},
    )

    assert_error_next_to(response, "email", "at most 254 characters (it has 262)")
    assert not signed_in.emailaddress_set.filter(email__startswith="aaaa").exists()


def test_signup_rejects_bidi_in_organization_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            **SIGNUP,
            "account_type": "employer",
            "organization_name": "Lake\u202eview",
        },
    )

    assert_error_next_to(response, "organization_name", "U+202E at position 5")
    assert not Organization.objects.exists()
