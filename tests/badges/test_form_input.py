"""Badge forms reject bad input next to the field and change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from badges.forms import BadgeDesignForm
from badges.models import Assertion
from badges.services import badge_issue, badge_revoke
from tests.colleges.factories import (
    CompletedEnrolmentFactory,
    CourseFactory,
    MembershipFactory,
)
from tests.form_input import XSS, assert_error_next_to, assert_escaped

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    course = CourseFactory(college=membership.organization)
    return badge_issue(enrolment_id=CompletedEnrolmentFactory(course=course).pk)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "This field is required."),
        ("x" * 501, "at most 500 characters"),
        ("Issued \u202eby mistake", "U+202E at position 8"),
        ("Issued\x1b by mistake", "U+001B at position 7"),
    ],
)
def test_revoke_rejects_bad_reason(client, issued, value, message):
    response = client.post(
        reverse("badges:college_revoke", args=[issued.public_id]), {"reason": value}
    )

    assert_error_next_to(response, "reason", message)
    assert Assertion.objects.get(pk=issued.pk).revoked_at is None


def test_revoke_reason_escaped_on_verification_page(client, issued):
    # given
    client.post(
        reverse("badges:college_revoke", args=[issued.public_id]), {"reason": XSS}
    )

    # when
    page = client.get(reverse("badges:verify", args=[issued.public_id]))

    # then
    assert_escaped(page.content.decode())


def test_verify_tool_rejects_oversized_text(client):
    response = client.post(reverse("badges:verify_tool"), {"text": "x" * 100_001})

    assert_error_next_to(response, "text", "at most 100000 characters")


def test_verify_tool_escapes_pasted_markup(client):
    response = client.post(reverse("badges:verify_tool"), {"text": XSS})

    assert_escaped(response.content.decode())


def test_verify_tool_names_bad_email(client):
    response = client.post(
        reverse("badges:verify_tool"), {"text": "{}", "email": "nobody-at-home"}
    )

    assert_error_next_to(
        response, "email", "nobody-at-home is not a valid email address"
    )


def test_revoke_keeps_line_breaks_in_reason(client, issued):
    client.post(
        reverse("badges:college_revoke", args=[issued.public_id]),
        {"reason": "Issued by mistake.\r\nThe course was not completed."},
    )

    assert Assertion.objects.get(pk=issued.pk).revoked_at is not None


def test_revoke_service_rejects_bidi_reason(issued):
    with pytest.raises(ValidationError, match="U\\+2066 at position 1"):
        badge_revoke(assertion_id=issued.pk, reason="\u2066Fraud")

    assert Assertion.objects.get(pk=issued.pk).revoked_at is None


def test_design_rejects_control_character_in_tagline():
    form = BadgeDesignForm({"primary_colour": "#0f766e", "tagline": "Care\x07"})

    assert not form.is_valid()
    assert "U+0007 at position 5" in form.errors["tagline"][0]


def test_badge_class_rejects_bidi_in_name(issued):
    badge_class = issued.badge_class
    badge_class.name = "Care\u202e"

    with pytest.raises(ValidationError) as raised:
        badge_class.full_clean(exclude=["design_image"])

    assert "U+202E at position 5" in raised.value.message_dict["name"][0]
