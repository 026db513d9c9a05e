"""Two issues of one badge that race on PostgreSQL leave one assertion."""

import threading

import pytest
from django.db import connection

from badges.models import Assertion, BadgeClass, LogEntry
from badges.services import badge_issue
from badges.transparency import verify_log
from tests.colleges.factories import CompletedEnrolmentFactory, CourseFactory
from tests.services import require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(enrolment_ids: list[int]) -> list[BaseException]:
    """Issue badges for ``enrolment_ids`` from one thread each, all at once."""
    barrier = threading.Barrier(len(enrolment_ids))
    errors: list[BaseException] = []

    def issue(enrolment_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            badge_issue(enrolment_id=enrolment_id)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(pk,)) for pk in enrolment_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_racing_issues_leave_one_assertion():
    require_postgresql()
    enrolment = CompletedEnrolmentFactory()

    errors = _race([enrolment.pk] * 4)

    assert errors == []
    assert Assertion.objects.filter(enrolment=enrolment).count() == 1
    assert LogEntry.objects.count() == 1


def test_racing_first_awards_share_badge_class():
    require_postgresql()
    course = CourseFactory()
    enrolments = [CompletedEnrolmentFactory(course=course) for _ in range(3)]

    errors = _race([enrolment.pk for enrolment in enrolments])

    assert errors == []
    assert BadgeClass.objects.filter(course=course).count() == 1
    assert Assertion.objects.count() == 3
    assert verify_log() == []
