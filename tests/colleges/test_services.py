from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from badges.models import Assertion
from colleges.models import Course, Enrolment
from colleges.services import enrolment_complete, enrolment_enrol, enrolment_withdraw
from tests.colleges.factories import (
    ApplicantFactory,
    CollegeFactory,
    CourseFactory,
    EnrolmentFactory,
    UserFactory,
)
from tests.colleges.helpers import complete_then_fail

pytestmark = pytest.mark.django_db


def test_enrol_creates_enrolment():
    course = CourseFactory()
    applicant = ApplicantFactory()

    enrolment = enrolment_enrol(applicant_id=applicant.pk, course_id=course.pk)

    assert enrolment.status == Enrolment.Status.ENROLLED


def test_enrol_rejects_draft_course():
    course = CourseFactory(status=Course.Status.DRAFT)

    with pytest.raises(ValidationError, match="only published courses"):
        enrolment_enrol(applicant_id=ApplicantFactory().pk, course_id=course.pk)


def test_enrol_rejects_unapproved_college():
    course = CourseFactory(college=CollegeFactory(approval_status="pending"))

    with pytest.raises(ValidationError, match="not approved"):
        enrolment_enrol(applicant_id=ApplicantFactory().pk, course_id=course.pk)


def test_enrol_rejects_second_enrolment():
    enrolment = EnrolmentFactory()

    with pytest.raises(ValidationError, match="already enrolled"):
        enrolment_enrol(
            applicant_id=enrolment.applicant_id, course_id=enrolment.course_id
        )


def test_enrol_rejects_full_course():
    course = CourseFactory(capacity=1)
    EnrolmentFactory(course=course)

    with pytest.raises(ValidationError, match="is full"):
        enrolment_enrol(applicant_id=ApplicantFactory().pk, course_id=course.pk)


def test_enrol_reopens_withdrawn_enrolment():
    enrolment = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN)

    reopened = enrolment_enrol(
        applicant_id=enrolment.applicant_id, course_id=enrolment.course_id
    )

    assert reopened.pk == enrolment.pk
    assert reopened.status == Enrolment.Status.ENROLLED


def test_withdraw_marks_withdrawn():
    enrolment = EnrolmentFactory()

    enrolment_withdraw(enrolment_id=enrolment.pk)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN


def test_withdraw_rejects_completed():
    enrolment = EnrolmentFactory()
    enrolment_complete(enrolment_id=enrolment.pk)

    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        enrolment_withdraw(enrolment_id=enrolment.pk)


def test_complete_sets_status_and_date():
    enrolment = EnrolmentFactory()
    when = timezone.now() - timedelta(days=2)

    enrolment_complete(enrolment_id=enrolment.pk, completed_at=when)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at == when


def test_complete_twice_changes_nothing(django_capture_on_commit_callbacks):
    # given
    enrolment = EnrolmentFactory()
    first = timezone.now() - timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_complete(enrolment_id=enrolment.pk, completed_at=first)

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrolment_complete(enrolment_id=enrolment.pk)

    # then
    enrolment.refresh_from_db()
    assert enrolment.completed_at == first
    assert callbacks == []
    assert Assertion.objects.filter(enrolment=enrolment).count() == 1


def test_complete_rejects_future_date():
    enrolment = EnrolmentFactory()

    with pytest.raises(ValidationError, match="in the future"):
        enrolment_complete(
            enrolment_id=enrolment.pk,
            completed_at=timezone.now() + timedelta(days=1),
        )


def test_complete_rejects_withdrawn():
    enrolment = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN)

    with pytest.raises(ValidationError, match="was withdrawn"):
        enrolment_complete(enrolment_id=enrolment.pk)


def test_complete_rejects_outsider():
    enrolment = EnrolmentFactory()

    with pytest.raises(PermissionDenied):
        enrolment_complete(enrolment_id=enrolment.pk, by=UserFactory())


def test_complete_issues_badge_eagerly(django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_complete(enrolment_id=enrolment.pk)

    assert Assertion.objects.filter(enrolment=enrolment).exists()


def test_complete_enqueues_on_commit(django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        enrolment_complete(enrolment_id=enrolment.pk)

    assert len(callbacks) == 1


def test_complete_rolled_back_enqueues_nothing(django_capture_on_commit_callbacks):
    # given
    enrolment = EnrolmentFactory()

    # when
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        complete_then_fail(enrolment.pk)

    # then
    enrolment.refresh_from_db()
    assert callbacks == []
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert not Assertion.objects.exists()
