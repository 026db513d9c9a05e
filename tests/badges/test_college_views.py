import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization
from badges.csv_files import parse_award_csv
from badges.models import Assertion
from badges.services import BulkAwardError, badge_bulk_award, badge_issue
from colleges.models import Enrolment
from tests.colleges.factories import (
    ApplicantFactory,
    CollegeFactory,
    CompletedEnrolmentFactory,
    CourseFactory,
    EnrolmentFactory,
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
    EnrolmentFactory(course=course, applicant__user__email="zoe@example.org")
    EnrolmentFactory(course=course, applicant__user__email="bo@example.org")
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
    EnrolmentFactory(course=course, applicant__user__email="zoe@example.org")
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


def test_bulk_award_page_lists_unenrolled_rows(client, college_staff):
    # given: one enrolled student, and a job seeker on MEX who is not enrolled
    course = CourseFactory(college=college_staff.organization, title="Lifts")
    EnrolmentFactory(course=course, applicant__user__email="zoe@example.org")
    ApplicantFactory(user__email="seeker@example.org")
    upload = SimpleUploadedFile(
        "award.csv", b"email\nzoe@example.org\nseeker@example.org\n"
    )

    # when
    response = client.post(
        "/badges/college/award/", {"course": course.pk, "file": upload}
    )

    # then
    assert response.status_code == 400
    assert (
        "seeker@example.org is not enrolled in Lifts: enrol them in the course "
        "first, then upload the row again."
    ) in response.content.decode()
    assert not Assertion.objects.exists()
    assert not Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).exists()


def test_bulk_award_of_other_college_course_rejected(client, college_staff):
    course = CourseFactory()
    ApplicantFactory(user__email="zoe@example.org")
    upload = SimpleUploadedFile("award.csv", b"email\nzoe@example.org\n")

    client.post("/badges/college/award/", {"course": course.pk, "file": upload})

    assert not Assertion.objects.exists()


def test_bulk_award_with_bad_row_awards_none():
    # given
    course = CourseFactory(title="Dementia Care Essentials")
    enrolment = EnrolmentFactory(
        course=course, applicant__user__email="zoe@example.org"
    )
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
    enrolment.refresh_from_db()
    assert sorted(errors) == [3, 4, 5]
    assert errors[3] == (
        "nobody@example.org is not enrolled in Dementia Care Essentials: enrol "
        "them in the course first, then upload the row again."
    )
    assert "already holds this badge" in errors[4]
    assert Assertion.objects.count() == 1
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_bulk_award_hides_who_is_on_mex():
    # given: people the college has not enrolled in the course, some on MEX
    college = CollegeFactory()
    course = CourseFactory(college=college, title="Dementia Care Essentials")
    ApplicantFactory(user__email="seeker@example.org")
    UserFactory(email="staff@example.org")
    EnrolmentFactory(
        course=CourseFactory(college=college),
        applicant__user__email="other-course@example.org",
    )
    EnrolmentFactory(applicant__user__email="other-college@example.org")
    emails = [
        "nobody@example.org",
        "seeker@example.org",
        "staff@example.org",
        "other-course@example.org",
        "other-college@example.org",
    ]
    rows, row_errors = parse_award_csv(("email\n" + "\n".join(emails)).encode())

    # when
    with pytest.raises(BulkAwardError) as raised:
        badge_bulk_award(course_id=course.pk, rows=rows, row_errors=row_errors)

    # then: every row gets the same error, on MEX or not
    messages = [error.message for error in raised.value.row_errors]
    expected = [
        f"{email} is not enrolled in Dementia Care Essentials: enrol them in the "
        "course first, then upload the row again."
        for email in emails
    ]
    assert messages == expected
    assert not Assertion.objects.exists()


def test_bulk_award_reopens_withdrawn_enrolment():
    course = CourseFactory()
    withdrawn = EnrolmentFactory(
        course=course,
        applicant__user__email="zoe@example.org",
        status=Enrolment.Status.WITHDRAWN,
    )
    rows, row_errors = parse_award_csv(b"email\nzoe@example.org\n")

    badge_bulk_award(course_id=course.pk, rows=rows, row_errors=row_errors)

    withdrawn.refresh_from_db()
    assert withdrawn.status == Enrolment.Status.COMPLETED
    assert Assertion.objects.get().enrolment == withdrawn


def test_bulk_award_by_outsider_reads_no_row():
    # given: staff of another college, and a row with a bad email
    course = CourseFactory()
    outsider = MembershipFactory().user
    rows, row_errors = parse_award_csv(b"email\nnobody@example.org\n")

    # when / then: the permission error comes before any row is checked
    with pytest.raises(PermissionDenied):
        badge_bulk_award(
            course_id=course.pk, rows=rows, row_errors=row_errors, by=outsider
        )


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
    assert "nobody@example.org n'est pas inscrit(e) à" in messages[0]
    assert "n'est pas une adresse courriel valide" in messages[1]
    assert "n'est pas une URL de preuve valide" in messages[2]
