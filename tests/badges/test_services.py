import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from badges.identity import hash_identity
from badges.models import Assertion, BadgeClass
from badges.services import BadgeIssueError, badge_issue, badge_revoke
from badges.tasks import issue_badge
from tests.badges.helpers import decode_qr, stored_png, unbake_json
from tests.colleges.factories import (
    CompletedEnrolmentFactory,
    EnrolmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_issue_creates_one_assertion():
    enrolment = CompletedEnrolmentFactory()

    assertion = badge_issue(enrolment_id=enrolment.pk)

    assert assertion.enrolment == enrolment
    assert assertion.recipient == enrolment.applicant


def test_issue_twice_returns_same_assertion():
    enrolment = CompletedEnrolmentFactory()

    first = badge_issue(enrolment_id=enrolment.pk)
    second = badge_issue(enrolment_id=enrolment.pk)

    assert first.pk == second.pk
    assert Assertion.objects.count() == 1


def test_task_twice_leaves_one_assertion():
    enrolment = CompletedEnrolmentFactory()

    first = issue_badge.delay(enrolment.pk).get()
    second = issue_badge.delay(enrolment.pk).get()

    assert first == second
    assert Assertion.objects.count() == 1


def test_issue_reads_each_row_once(django_assert_num_queries):
    # given: a course whose badge class exists
    first = CompletedEnrolmentFactory()
    badge_issue(enrolment_id=first.pk)
    second = CompletedEnrolmentFactory(course=first.course)

    # then: one query each for the enrolment lock (which also reads the
    # course, college, badge class and user), the assertion check, the course
    # skills and the assertion insert. The notification insert runs in a
    # savepoint. The log takes its lock (on PostgreSQL), the head query and
    # two inserts. The test's own transaction turns the service's
    # transaction into one more savepoint.
    log_lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(12 + log_lock):
        badge_issue(enrolment_id=second.pk)


def test_issue_creates_badge_class_once():
    first = CompletedEnrolmentFactory()
    second = CompletedEnrolmentFactory(course=first.course)

    badge_issue(enrolment_id=first.pk)
    badge_issue(enrolment_id=second.pk)

    assert BadgeClass.objects.filter(course=first.course).count() == 1


def test_issue_rejects_open_enrolment():
    enrolment = EnrolmentFactory()

    with pytest.raises(BadgeIssueError, match="only a completed enrolment"):
        badge_issue(enrolment_id=enrolment.pk)


def test_task_drops_open_enrolment():
    enrolment = EnrolmentFactory()

    assert issue_badge.delay(enrolment.pk).get() is None


def test_recipient_is_hashed_not_plain():
    user = UserFactory(email="Zoe.Nandu@Example.org")
    enrolment = CompletedEnrolmentFactory(applicant__user=user)

    assertion = badge_issue(enrolment_id=enrolment.pk)

    expected = hash_identity("zoe.nandu@example.org", assertion.recipient_salt)
    assert assertion.recipient_hash == expected
    assert "zoe.nandu" not in stored_png(assertion).decode("latin-1").lower()


def test_baked_json_matches_hosted(client):
    enrolment = CompletedEnrolmentFactory()
    assertion = badge_issue(enrolment_id=enrolment.pk)

    hosted = client.get(f"/badges/assertions/{assertion.public_id}/")

    assert unbake_json(stored_png(assertion)) == hosted.json()


def test_baked_png_bytes_match_hosted_bytes(client):
    enrolment = CompletedEnrolmentFactory()
    assertion = badge_issue(enrolment_id=enrolment.pk)

    hosted = client.get(f"/badges/assertions/{assertion.public_id}/")

    baked = unbake_json(stored_png(assertion))
    assert baked["id"] == f"http://testserver/badges/assertions/{assertion.public_id}/"
    assert hosted.content.decode("utf-8") == _dumps(baked)


def _dumps(document):
    from badges.openbadges2 import dumps

    return dumps(document).decode("utf-8")


def test_qr_encodes_verify_url():
    enrolment = CompletedEnrolmentFactory()

    assertion = badge_issue(enrolment_id=enrolment.pk)

    expected = f"http://testserver/badges/verify/{assertion.public_id}/"
    assert decode_qr(stored_png(assertion)) == [expected]


def test_unicode_course_title_draws():
    enrolment = CompletedEnrolmentFactory(
        course__title="Soins palliatifs — Ωμέγα 山田 🎓", course__college__name="Cégep"
    )

    assertion = badge_issue(enrolment_id=enrolment.pk)

    assert unbake_json(stored_png(assertion))["type"] == "Assertion"


def test_revoke_marks_revoked():
    assertion = badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)

    badge_revoke(assertion_id=assertion.pk, reason="Issued to the wrong person.")

    assertion.refresh_from_db()
    assert assertion.revoked
    assert assertion.revocation_reason == "Issued to the wrong person."


def test_revoke_needs_reason():
    assertion = badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)

    with pytest.raises(ValidationError, match="needs a reason"):
        badge_revoke(assertion_id=assertion.pk, reason="  ")
