import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization
from badges.csv_files import parse_award_csv
from badges.models import Assertion
from badges.services import BulkAwardError, badge_bulk_award, badge_issue
from tests.colleges.factories import (
    ApplicantFactory,
    CollegeFactory,
    CompletedEnrolmentFactory,
    CourseFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def college_staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    return membership


def _issue_for(course):
    return badge_issue(enrolment_id=CompletedEnrolmentFactory(course=course).pk)


def test_csv_lists_own_badges_only(client, college_staff):
    # given
    own = _issue_for(CourseFactory(college=college_staff.organization))
    other = _issue_for(CourseFactory())

    # when
    response = client.get("/badges/college/badges.csv")

    # then
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["badge_id"] for row in rows] == [str(own.public_id)]
    assert str(other.public_id) not in response.content.decode()


def test_csv_needs_college(client):
    client.force_login(UserFactory())

    response = client.get("/badges/college/badges.csv")

    assert response.status_code == 404


def test_csv_of_employer_is_404(client):
    employer = CollegeFactory(kind=Organization.Kind.EMPLOYER)
    membership = MembershipFactory(organization=employer)
    client.force_login(membership.user)

    response = client.get("/badges/college/badges.csv")

    assert response.status_code == 404


def test_revoke_other_college_badge_is_404(client, college_staff):
    other = _issue_for(CourseFactory())

    response = client.post(
        f"/badges/college/{other.public_id}/revoke/", {"reason": "Mine now."}
    )

    other.refresh_from_db()
    assert response.status_code == 404
    assert not other.revoked


def test_revoke_own_badge(client, college_staff):
    own = _issue_for(CourseFactory(college=college_staff.organization))

    response = client.post(
        f"/badges/college/{own.public_id}/revoke/", {"reason": "Issued in error."}
    )

    own.refresh_from_db()
    assert response.status_code == 302
    assert own.revocation_reason == "Issued in error."


def test_bulk_award_awards_every_row(client, college_staff):
    # given
    course = CourseFactory(college=college_staff.organization)
    ApplicantFactory(user__email="zoe@example.org")
    ApplicantFactory(user__email="bo@example.org")
    upload = SimpleUploadedFile(
        "award.csv",
        b"email;evidence_url;narrative\r\n"
        b"ZOE@example.org;https://e.org/zoe;Passed the practicum\r\n"
        b"bo@example.org;;\r\n",
    )

    # when
    response = client.post(
        "/badges/college/award/", {"course": course.pk, "file": upload}
    )

    # then
    assertions = Assertion.objects.filter(badge_class__course=course)
    zoe = assertions.get(recipient__user__email="zoe@example.org")
    assert response.status_code == 302
    assert assertions.count() == 2
    assert zoe.evidence_url == "https://e.org/zoe"
    assert zoe.narrative == "Passed the practicum"


def test_bulk_award_rejects_overlong_evidence_url(client, college_staff):
    course = CourseFactory(college=college_staff.organization)
    ApplicantFactory(user__email="zoe@example.org")
    long_url = "https://e.org/" + "a" * 300
    upload = SimpleUploadedFile(
        "award.csv", f"email,evidence_url\nzoe@example.org,{long_url}\n".encode()
    )

    response = client.post(
        "/badges/college/award/", {"course": course.pk, "file": upload}
    )

    errors = response.context["row_errors"]
    assert response.status_code == 400
    assert [error.line for error in errors] == [2]
    assert "314 characters" in errors[0].message
    assert not Assertion.objects.exists()


def test_bulk_award_of_other_college_course_rejected(client, college_staff):
    course = CourseFactory()
    ApplicantFactory(user__email="zoe@example.org")
    upload = SimpleUploadedFile("award.csv", b"email\nzoe@example.org\n")

    client.post("/badges/college/award/", {"course": course.pk, "file": upload})

    assert not Assertion.objects.exists()


def test_bulk_award_with_bad_row_awards_none():
    # given
    course = CourseFactory()
    ApplicantFactory(user__email="zoe@example.org")
    holder = CompletedEnrolmentFactory(
        course=course, applicant__user__email="held@example.org"
    )
    badge_issue(enrolment_id=holder.pk)
    rows, row_errors = parse_award_csv(
        b"email\nzoe@example.org\nnobody@example.org\nheld@example.org\nbad\n"
    )

    # when
    with pytest.raises(BulkAwardError) as raised:
        badge_bulk_award(course_id=course.pk, rows=rows, row_errors=row_errors)

    # then
    errors = {error.line: error.message for error in raised.value.row_errors}
    assert sorted(errors) == [3, 4, 5]
    assert "No MEX applicant has the email nobody@example.org" in errors[3]
    assert "already holds this badge" in errors[4]
    assert Assertion.objects.count() == 1


def test_bulk_award_row_errors_in_french(client, college_staff):
    course = CourseFactory(college=college_staff.organization)
    upload = SimpleUploadedFile(
        "award.csv",
        b"email,evidence_url,narrative\n"
        b"nobody@example.org,,\n"
        b"not-an-address,,\n"
        b"zoe@example.org,ftp://e.org/zoe,\n",
    )

    response = client.post(
        "/badges/college/award/",
        {"course": course.pk, "file": upload},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    messages = [error.message for error in response.context["row_errors"]]
    assert "Aucun candidat MEX n'a le courriel nobody@example.org" in messages[0]
    assert "n'est pas une adresse courriel valide" in messages[1]
    assert "n'est pas une URL de preuve valide" in messages[2]
