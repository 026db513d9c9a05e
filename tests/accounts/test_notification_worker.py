"""A real Celery worker on Redis emails notifications from the PostgreSQL DB."""

import pytest

from accounts import notifications
from accounts.models import Notification
from matching.models import Match
from tests.factories import MatchFactory
from tests.worker import celery_worker  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_emails_each_notification_once(celery_worker):  # noqa: F811
    # given
    match = MatchFactory(status=Match.Status.APPROVED)

    # when: outside a test transaction, so on_commit fires at once
    created = notifications.notify_match_approved(match_id=match.pk)
    notifications.notify_match_approved(match_id=match.pk)
    celery_worker.wait_for(
        lambda: not Notification.objects.filter(email_sent_at__isnull=True).exists()
    )

    # then
    assert len(created) == 1
    assert Notification.objects.count() == 1
    assert celery_worker.log().count("Emailing notification") == 1
