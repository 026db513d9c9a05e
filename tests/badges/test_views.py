import pytest

from badges.services import badge_issue, badge_revoke
from tests.colleges.factories import CompletedEnrolmentFactory

pytestmark = pytest.mark.django_db

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture
def assertion():
    enrolment = CompletedEnrolmentFactory(
        applicant__user__first_name="Zoë", applicant__user__last_name="Ñandú"
    )
    return badge_issue(enrolment_id=enrolment.pk)


def test_verify_page_shows_valid_badge(client, assertion):
    response = client.get(f"/badges/verify/{assertion.public_id}/")

    assert response.status_code == 200
    assert 'data-status="valid"' in response.text
    assert "Zoë Ñandú" in response.text
    assert assertion.badge_class.course.college.name in response.text


def test_verify_page_shows_revocation_reason(client, assertion):
    badge_revoke(assertion_id=assertion.pk, reason="Assessment was not passed.")

    response = client.get(f"/badges/verify/{assertion.public_id}/")

    assert 'data-status="revoked"' in response.text
    assert "Assessment was not passed." in response.text


def test_verify_unknown_id_is_404(client):
    response = client.get("/badges/verify/6f1c9d1e-2c49-4c55-9a53-0b1f7a1a9e11/")

    assert response.status_code == 404


def test_verify_malformed_id_is_404(client):
    response = client.get("/badges/verify/not-a-badge/")

    assert response.status_code == 404


def test_assertion_json_is_ob2(client, assertion):
    document = client.get(f"/badges/assertions/{assertion.public_id}/").json()

    assert document["@context"] == OB2_CONTEXT
    assert document["verification"] == {"type": "hosted"}
    assert document["recipient"]["hashed"] is True
    assert document["recipient"]["salt"] == assertion.recipient_salt
    assert document["badge"].startswith("http://testserver/badges/classes/")


def test_revoked_assertion_json(client, assertion):
    badge_revoke(assertion_id=assertion.pk, reason="Duplicate award.")

    response = client.get(f"/badges/assertions/{assertion.public_id}/")

    document = response.json()
    assert response.status_code == 410
    assert document["revoked"] is True
    assert document["revocationReason"] == "Duplicate award."


def test_badge_class_json_names_issuer(client, assertion):
    badge_class = assertion.badge_class

    document = client.get(f"/badges/classes/{badge_class.public_id}/").json()

    college_id = badge_class.course.college_id
    assert document["type"] == "BadgeClass"
    assert document["issuer"] == f"http://testserver/badges/issuers/{college_id}/"


def test_issuer_json_is_college(client, assertion):
    college = assertion.badge_class.course.college

    document = client.get(f"/badges/issuers/{college.pk}/").json()

    assert document["type"] == "Issuer"
    assert document["name"] == college.name


def test_revocation_list_names_revoked(client, assertion):
    badge_revoke(assertion_id=assertion.pk, reason="Duplicate award.")
    college_id = assertion.badge_class.course.college_id

    document = client.get(f"/badges/issuers/{college_id}/revocations/").json()

    assert document["revokedAssertions"] == [
        {
            "id": f"http://testserver/badges/assertions/{assertion.public_id}/",
            "revocationReason": "Duplicate award.",
        }
    ]


def test_badge_png_download(client, assertion):
    response = client.get(f"/badges/assertions/{assertion.public_id}/badge.png")

    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_badge_class_image_is_png(client, assertion):
    public_id = assertion.badge_class.public_id

    response = client.get(f"/badges/classes/{public_id}/image.png")

    assert response.content.startswith(b"\x89PNG")


def test_certificate_is_pdf(client, assertion):
    response = client.get(f"/badges/assertions/{assertion.public_id}/certificate.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_linkedin_link_names_certification(assertion):
    from urllib.parse import parse_qs, urlparse

    from badges.views import linkedin_url

    query = parse_qs(urlparse(linkedin_url(assertion)).query)

    assert query["name"] == [assertion.badge_class.name]
    assert query["certUrl"] == [
        f"http://testserver/badges/verify/{assertion.public_id}/"
    ]


def test_verify_tool_accepts_png(client, assertion):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.badges.helpers import stored_png

    upload = SimpleUploadedFile("badge.png", stored_png(assertion), "image/png")

    response = client.post("/badges/verify/", {"image": upload})

    assert 'data-result="valid"' in response.text


def test_verify_tool_flags_revoked_jwt(client, assertion):
    badge_revoke(assertion_id=assertion.pk, reason="Duplicate award.")

    response = client.post("/badges/verify/", {"text": assertion.credential_jwt})

    assert 'data-result="invalid"' in response.text
    assert "Duplicate award." in response.text


def test_verify_tool_needs_input(client):
    response = client.post("/badges/verify/", {})

    assert "Upload a badge image or paste" in response.text


def test_old_badges_url_redirects_permanently(client, assertion):
    client.force_login(assertion.recipient.user)

    response = client.get("/badges/mine/?from=bookmark")
    page = client.get(response["Location"])

    assert response.status_code == 301
    assert response["Location"] == "/me/badges/?from=bookmark"
    assert assertion.badge_class.name in page.text


def test_portfolio_switch_returns_to_badges(client, assertion):
    client.force_login(assertion.recipient.user)

    response = client.post("/badges/mine/portfolio/", {"public": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/me/badges/"


@pytest.mark.parametrize("value", ["on", "yes", ""])
def test_portfolio_switch_rejects_other_values(client, assertion, value):
    # given: a public portfolio
    client.force_login(assertion.recipient.user)
    client.post("/badges/mine/portfolio/", {"public": "1"})

    # when
    response = client.post("/badges/mine/portfolio/", {"public": value}, follow=True)

    # then
    assert f"{value!r} is neither 1 nor 0" in response.text.replace("&#x27;", "'")
    assert assertion.recipient.badge_portfolio.is_public


def test_portfolio_public_after_opt_in(client, assertion):
    # given
    client.force_login(assertion.recipient.user)
    client.post("/badges/mine/portfolio/", {"public": "1"})
    portfolio = assertion.recipient.badge_portfolio
    client.logout()

    # when
    response = client.get(f"/badges/portfolios/{portfolio.public_id}/")

    # then
    assert response.status_code == 200
    assert assertion.badge_class.name in response.text
