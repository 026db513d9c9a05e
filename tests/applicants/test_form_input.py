"""The profile form rejects bad input next to the field and escapes markup."""

import pytest
from django.urls import reverse

from applicants.models import ApplicantProfile
from tests.factories import SkillFactory
from tests.form_input import XSS, assert_error_next_to, assert_escaped

pytestmark = pytest.mark.django_db


def _profile_data(**fields) -> dict:
    data = {
        "headline": "PSW",
        "location": "Hamilton, ON",
        "open_to_work": "on",
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "1000",
        "skills-0-skill": "",
        "skills-0-level": "3",
    }
    data.update(fields)
    return data


@pytest.fixture
def seeker(client, applicant):
    client.force_login(applicant.user)
    return applicant


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headline", "x" * 201, "at most 200 characters"),
        ("headline", "PSW \u202d3 years", "U+202D at position 5"),
        ("location", "x" * 201, "at most 200 characters"),
    ],
)
def test_profile_rejects_bad_field(client, seeker, field, value, message):
    before = (seeker.headline, seeker.location)

    response = client.post(
        reverse("applicants:profile_edit"), _profile_data(**{field: value})
    )

    assert_error_next_to(response, field, message)
    seeker.refresh_from_db()
    assert (seeker.headline, seeker.location) == before


def test_profile_rejects_oversized_credential_id(client, seeker):
    response = client.post(
        reverse("applicants:profile_edit"), _profile_data(credentials="9" * 25)
    )

    errors = response.context["form"].errors["credentials"]
    assert response.status_code == 200
    assert f"{'9' * 25} is not a known credential" in errors[0]
    assert not seeker.credentials.exists()


def test_profile_rejects_invalid_level(client, seeker):
    skill = SkillFactory()

    response = client.post(
        reverse("applicants:profile_edit"),
        _profile_data(**{"skills-0-skill": skill.pk, "skills-0-level": "9"}),
    )

    assert_error_next_to(response, "skills-0-level", "Select a valid choice.")
    assert not seeker.skill_levels.exists()


def test_profile_headline_escaped_on_pages(client, seeker):
    # given
    client.post(
        reverse("applicants:profile_edit"),
        _profile_data(headline=XSS, location=XSS),
    )

    # when
    page = client.get(reverse("applicants:profile"))

    # then
    assert ApplicantProfile.objects.get(pk=seeker.pk).headline == XSS
    assert_escaped(page.content.decode())


def test_profile_headline_escaped_in_admin(admin_client_with_mfa, applicant):
    applicant.headline = XSS
    applicant.save()

    response = admin_client_with_mfa.get(
        reverse("admin:applicants_applicantprofile_change", args=[applicant.pk])
    )

    assert_escaped(response.content.decode())
