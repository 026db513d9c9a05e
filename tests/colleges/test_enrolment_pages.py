"""College staff enrol their students, invite newcomers and mark completions."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from badges.models import Assertion
from colleges.invitations import token_digest
from colleges.models import Course, Enrolment, EnrolmentInvitation
from tests.colleges.factories import (
    ApplicantFactory,
    CourseFactory,
    EnrolmentFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    return membership


@pytest.fixture
def course(staff):
    return CourseFactory(college=staff.organization, capacity=10)


def _csv(text: str, name: str = "class.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _upload(client, course, text, name="class.csv"):
    return client.post(
        reverse("colleges:enrol_csv", args=[course.pk]), {"file": _csv(text, name)}
    )


def test_enrol_existing_applicant_by_email(
    client, course, django_capture_on_commit_callbacks
):
    applicant = ApplicantFactory(user=UserFactory(email="sam@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("colleges:enrol_student", args=[course.pk]),
            {"email": " Sam@Example.org "},
        )

    assert Enrolment.objects.filter(applicant=applicant, course=course).exists()
    assert mail.outbox == []


def test_enrol_newcomer_sends_invitation(
    client, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("colleges:enrol_student", args=[course.pk]),
            {"email": "new@example.org"},
        )

    invitation = EnrolmentInvitation.objects.get(course=course)
    assert invitation.email == "new@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "This field is required."),
        (
            "not-an-email",
            "not-an-email is not a valid email address: enter one such as "
            "name@example.org.",
        ),
        (
            "<script>@x",
            "<script>@x is not a valid email address: enter one such as "
            "name@example.org.",
        ),
        (
            "a" * 250 + "@example.org",
            "Ensure this value has at most 254 characters (it has 262).",
        ),
    ],
)
def test_enrol_rejects_bad_email(client, course, email, message):
    response = client.post(
        reverse("colleges:enrol_student", args=[course.pk]), {"email": email}
    )

    assert response.status_code == 400
    assert response.context["enrol_form"].errors["email"] == [message]
    assert not EnrolmentInvitation.objects.exists()


def test_enrol_twice_names_the_student(client, course):
    enrolment = EnrolmentFactory(course=course)

    response = client.post(
        reverse("colleges:enrol_student", args=[course.pk]),
        {"email": enrolment.applicant.user.email},
    )

    assert response.status_code == 400
    assert "already enrolled" in response.context["enrol_form"].errors["email"][0]


def test_enrol_in_draft_is_refused(client, staff):
    draft = CourseFactory(college=staff.organization, status=Course.Status.DRAFT)

    response = client.post(
        reverse("colleges:enrol_student", args=[draft.pk]), {"email": "a@example.org"}
    )

    assert response.status_code == 400
    assert b"is not published" in response.content
    assert not EnrolmentInvitation.objects.exists()


def test_csv_enrols_and_invites(client, course, django_capture_on_commit_callbacks):
    # given: a spreadsheet export with a BOM, CRLF, padded headers, ';' and
    # blank trailing lines
    ApplicantFactory(user=UserFactory(email="known@example.org"))
    text = (
        "\ufeff First_Name ; EMAIL \r\n"
        "Kim;known@example.org\r\n"
        "Lee;new@example.org\r\n"
        "\r\n\r\n"
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, course, text)

    # then
    assert response.status_code == 302
    assert course.enrolments.get().applicant.user.email == "known@example.org"
    assert EnrolmentInvitation.objects.get().email == "new@example.org"
    assert len(mail.outbox) == 1


def test_csv_with_bad_rows_enrols_nobody(client, course):
    ApplicantFactory(user=UserFactory(email="known@example.org"))
    text = (
        "email,first_name\n"
        "known@example.org,Kim\n"
        "not-an-email,Lee\n"
        "\n"
        "known@example.org,Kim\n"
        ",Ola\n"
    )

    response = _upload(client, course, text)

    lines = [(error.line, error.message) for error in response.context["row_errors"]]
    assert response.status_code == 400
    assert lines[0] == (3, "'not-an-email' is not a valid email address.")
    assert lines[1][0] == 5
    assert "repeated from line 2" in lines[1][1]
    assert lines[2][0] == 6
    assert "empty" in lines[2][1]
    assert not Enrolment.objects.exists()
    assert not EnrolmentInvitation.objects.exists()


def test_csv_rejects_overlong_email(client, course):
    long_email = "a" * 250 + "@example.org"

    response = _upload(client, course, f"email\n{long_email}\n")

    errors = response.context["row_errors"]
    assert response.status_code == 400
    assert [error.line for error in errors] == [2]
    assert "262 characters" in errors[0].message
    assert "at most 254" in errors[0].message
    assert not EnrolmentInvitation.objects.exists()


def test_csv_over_capacity_enrols_nobody(client, staff):
    small = CourseFactory(college=staff.organization, capacity=1)
    text = "email\na@example.org\nb@example.org\n"

    response = _upload(client, small, text)

    errors = response.context["row_errors"]
    assert [error.line for error in errors] == [3]
    assert "1 free place of 1" in errors[0].message
    assert not EnrolmentInvitation.objects.exists()


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("", "class.csv", "The submitted file is empty."),
        ("email\n", "class.csv", "has a header but no rows"),
        ("name,phone\nKim,555\n", "class.csv", "Unknown column 'phone'"),
        ("email\na@example.org\n", "class.png", "is not a CSV file"),
    ],
)
def test_csv_file_errors_show_on_field(client, course, text, name, message):
    response = _upload(client, course, text, name)

    assert response.status_code == 400
    assert message in response.context["csv_form"].errors["file"][0]
    assert not EnrolmentInvitation.objects.exists()


def test_csv_rejects_non_utf8(client, course):
    upload = SimpleUploadedFile(
        "class.csv", "email\nzoë@example.org\n".encode("latin-1")
    )

    response = client.post(
        reverse("colleges:enrol_csv", args=[course.pk]), {"file": upload}
    )

    assert "not UTF-8" in response.context["csv_form"].errors["file"][0]


def test_csv_rejects_oversized_file(client, course, settings):
    settings.MEX_ENROLMENT_CSV_MAX_BYTES = 20

    response = _upload(client, course, "email\nsomeone.long@example.org\n")

    assert "upload at most 20" in response.context["csv_form"].errors["file"][0]


def _invite(client, course, email, capture):
    with capture(execute=True):
        client.post(
            reverse("colleges:enrol_student", args=[course.pk]), {"email": email}
        )
    return re.search(r"/colleges/enrol/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_newcomer_accepts_and_becomes_applicant(
    client, course, django_capture_on_commit_callbacks
):
    # given
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )
    client.logout()
    newcomer = UserFactory(email="new@example.org")
    client.force_login(newcomer)

    # when
    response = client.post(reverse("colleges:invitation_accept", args=[token]))

    # then
    newcomer.refresh_from_db()
    invitation = EnrolmentInvitation.objects.get()
    assert response.status_code == 302
    assert newcomer.applicant.enrolments.get().course == course
    assert invitation.enrolment.applicant == newcomer.applicant
    assert invitation.accepted_at is not None


def test_invitation_stores_only_digest(
    client, course, django_capture_on_commit_callbacks
):
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )

    invitation = EnrolmentInvitation.objects.get()

    assert invitation.token_digest == token_digest(token)
    assert token not in invitation.token_digest


def test_invitation_works_once(client, course, django_capture_on_commit_callbacks):
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )
    client.force_login(UserFactory(email="new@example.org"))
    client.post(reverse("colleges:invitation_accept", args=[token]))

    response = client.post(reverse("colleges:invitation_accept", args=[token]))

    assert response.status_code == 410
    assert Enrolment.objects.count() == 1


def test_invitation_expires(client, course, django_capture_on_commit_callbacks):
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )
    EnrolmentInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory(email="new@example.org"))

    response = client.post(reverse("colleges:invitation_accept", args=[token]))

    assert response.status_code == 410
    assert b"expired" in response.content
    assert not Enrolment.objects.exists()


def test_invitation_for_someone_else_is_refused(
    client, course, django_capture_on_commit_callbacks
):
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )
    client.force_login(UserFactory(email="other@example.org"))

    response = client.post(reverse("colleges:invitation_accept", args=[token]))

    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_forged_token_is_404(client):
    response = client.get(reverse("colleges:invitation_accept", args=["forged"]))

    assert response.status_code == 404


def test_anonymous_sees_sign_up_link(
    client, course, django_capture_on_commit_callbacks
):
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )
    client.logout()

    response = client.get(reverse("colleges:invitation_accept", args=[token]))

    assert response.status_code == 200
    assert reverse("account_signup").encode() in response.content
    assert not User.objects.filter(email="new@example.org").exists()


def test_bulk_completion_issues_badges(
    client, course, django_capture_on_commit_callbacks
):
    # given
    first, second = EnrolmentFactory(course=course), EnrolmentFactory(course=course)
    left_out = EnrolmentFactory(course=course)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("colleges:enrolments_complete", args=[course.pk]),
            {"enrolments": [first.pk, second.pk]},
        )

    # then
    assert response.status_code == 302
    assert set(Assertion.objects.values_list("enrolment_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    left_out.refresh_from_db()
    assert left_out.status == Enrolment.Status.ENROLLED


def test_bulk_completion_rejects_foreign_enrolment(client, course):
    foreign = EnrolmentFactory()

    response = client.post(
        reverse("colleges:enrolments_complete", args=[course.pk]),
        {"enrolments": [foreign.pk]},
    )

    assert response.status_code == 400
    assert (
        "not an active enrolment"
        in response.context["completion_form"].errors["enrolments"][0]
    )
    foreign.refresh_from_db()
    assert foreign.status == Enrolment.Status.ENROLLED


def test_bulk_completion_rejects_oversized_id(client, course):
    enrolment = EnrolmentFactory(course=course)

    response = client.post(
        reverse("colleges:enrolments_complete", args=[course.pk]),
        {"enrolments": [enrolment.pk, "9" * 25]},
    )

    errors = response.context["completion_form"].errors["enrolments"]
    assert response.status_code == 400
    assert f"{'9' * 25} is not an active enrolment" in errors[0]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_bulk_completion_needs_a_tick(client, course):
    response = client.post(reverse("colleges:enrolments_complete", args=[course.pk]))

    assert response.status_code == 400
    assert (
        "Tick at least one"
        in response.context["completion_form"].errors["enrolments"][0]
    )


def test_bulk_completion_rejects_future_date(client, course):
    enrolment = EnrolmentFactory(course=course)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("colleges:enrolments_complete", args=[course.pk]),
        {"enrolments": [enrolment.pk], "completed_on": tomorrow.isoformat()},
    )

    assert response.status_code == 400
    assert (
        "in the future" in response.context["completion_form"].errors["completed_on"][0]
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_complete_one_issues_badge(client, course, django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory(course=course)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("colleges:enrolment_complete", args=[enrolment.pk]))

    assert Assertion.objects.get().enrolment == enrolment


def test_withdraw_one(client, course):
    enrolment = EnrolmentFactory(course=course)

    client.post(reverse("colleges:enrolment_withdraw", args=[enrolment.pk]))

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN


def test_page_links_issued_badges(client, course):
    response = client.get(reverse("colleges:course_enrolments", args=[course.pk]))

    assert reverse("badges:college_badges").encode() in response.content


def test_newcomer_signs_up_through_invitation(
    client, course, django_capture_on_commit_callbacks
):
    # given: the invited student opens the link and signs up from it
    token = _invite(
        client, course, "new@example.org", django_capture_on_commit_callbacks
    )
    client.logout()
    accept_path = reverse("colleges:invitation_accept", args=[token])
    client.post(
        f"{reverse('account_signup')}?next={accept_path}",
        {
            "email": "new@example.org",
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
            "first_name": "Noor",
            "last_name": "Haddad",
            "account_type": "job_seeker",
            "organization_name": "",
            "next": accept_path,
        },
    )
    confirm = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )[1]

    # when: they confirm their address and take the place
    confirmed = client.post(confirm)
    client.post(accept_path)

    # then
    student = User.objects.get(email="new@example.org")
    assert confirmed["Location"] == accept_path
    assert student.applicant.enrolments.get().course == course


def test_complete_one_twice_says_already_completed(
    client, course, django_capture_on_commit_callbacks
):
    # given a completion already recorded, as after a double submit
    enrolment = EnrolmentFactory(course=course)
    url = reverse("colleges:enrolment_complete", args=[enrolment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, follow=True)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    # then
    text = response.text
    assert "already completed the course" in text
    assert "the badge is being issued" not in text
    assert Assertion.objects.count() == 1


def test_enrol_one_says_student_singular(client, course):
    ApplicantFactory(user=UserFactory(email="sam@example.org"))

    response = client.post(
        reverse("colleges:enrol_student", args=[course.pk]),
        {"email": "sam@example.org"},
        follow=True,
    )

    assert "1 student enrolled." in response.text


def test_complete_one_ticked_says_enrolment_singular(client, course):
    enrolment = EnrolmentFactory(course=course)

    response = client.post(
        reverse("colleges:enrolments_complete", args=[course.pk]),
        {"enrolments": [enrolment.pk]},
        follow=True,
    )

    assert "1 enrolment completed; its badge is being issued." in response.text
