"""A real Celery worker on Redis issues badges into the PostgreSQL test DB."""

import pytest

from badges.models import Assertion
from badges.tasks import issue_badge
from colleges.services import enrolment_complete
from tests.badges.helpers import decode_qr, stored_png, unbake_json
from tests.colleges.factories import EnrolmentFactory
from tests.colleges.helpers import complete_then_fail
from tests.worker import celery_worker  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _issued(enrolment_id: int):
    def condition() -> bool:
        return Assertion.objects.filter(
            enrolment_id=enrolment_id, image__gt=""
        ).exists()

    return condition


def test_worker_issues_badge_on_completion(celery_worker, client):  # noqa: F811
    # given
    enrolment = EnrolmentFactory(applicant__user__first_name="Zoë")

    # when
    enrolment_complete(enrolment_id=enrolment.pk)
    celery_worker.wait_for(_issued(enrolment.pk))

    # then
    assertion = Assertion.objects.get(enrolment=enrolment)
    png = stored_png(assertion)
    hosted = client.get(f"/badges/assertions/{assertion.public_id}/")
    assert unbake_json(png) == hosted.json()
    assert decode_qr(png) == [f"http://testserver/badges/verify/{assertion.public_id}/"]
    assert "Issuing badge for enrolment" in celery_worker.log()


def test_worker_twice_leaves_one_assertion(celery_worker):  # noqa: F811
    # given
    enrolment = EnrolmentFactory()
    enrolment_complete(enrolment_id=enrolment.pk)
    celery_worker.wait_for(_issued(enrolment.pk))

    # when
    enrolment_complete(enrolment_id=enrolment.pk)
    results = [issue_badge.delay(enrolment.pk) for _ in range(3)]
    celery_worker.wait_for(
        lambda: celery_worker.log().count("succeeded in") >= 1 + len(results)
    )

    # then
    assert Assertion.objects.filter(enrolment=enrolment).count() == 1


def test_rolled_back_completion_enqueues_nothing(celery_worker):  # noqa: F811
    # given
    enrolment = EnrolmentFactory()
    witness = EnrolmentFactory()

    # when
    with pytest.raises(RuntimeError):
        complete_then_fail(enrolment.pk)
    enrolment_complete(enrolment_id=witness.pk)
    celery_worker.wait_for(_issued(witness.pk))

    # then
    assert not Assertion.objects.filter(enrolment=enrolment).exists()
    assert f"Issuing badge for enrolment {enrolment.pk} " not in celery_worker.log()
