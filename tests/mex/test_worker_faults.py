"""Badge issuance survives killed workers, duplicate deliveries and Redis restarts.

Real components only: prefork Celery workers on Redis, writing to the
PostgreSQL test database.
"""

import os
import random
import signal
import time

import pytest
import redis
from django.conf import settings

from badges.models import Assertion
from badges.tasks import issue_badge
from badges.transparency import verify_log
from colleges.services import enrolment_complete
from mex.tasks import MexTask
from tests.colleges.factories import CourseFactory, EnrolmentFactory
from tests.redis_server import redis_server
from tests.services import require_broker, require_postgresql
from tests.worker import running_worker, tasks_sent_to

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

COMPLETIONS = 200
KILLS = 4
# Seconds to wait for every badge once the faults stop: 200 badges take about
# 10 s on two cores, restarts and redeliveries add a few more.
DRAIN_TIMEOUT = 90
# Seconds before Redis hands back an unacknowledged message in the restart test.
VISIBILITY_TIMEOUT = 5


@pytest.fixture
def broker_url():
    require_postgresql()
    url = require_broker()
    client = redis.Redis.from_url(url)
    _forget_queued(client)
    with tasks_sent_to(url):
        yield url
    _forget_queued(client)


def _forget_queued(client: redis.Redis) -> None:
    """Drop messages of MEX queues left on this test run's Redis database."""
    client.delete(*settings.MEX_TASK_QUEUES, "unacked", "unacked_index")


def _enrolments(count: int) -> list[int]:
    course = CourseFactory()
    return [EnrolmentFactory(course=course).pk for _ in range(count)]


def _issued_count() -> int:
    return Assertion.objects.exclude(image="").count()


def _drained(client: redis.Redis) -> bool:
    queued = sum(client.llen(queue) for queue in settings.MEX_TASK_QUEUES)
    return queued == 0 and client.hlen("unacked") == 0


def _wait(condition, *, timeout: float, workers) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    logs = "\n".join(worker.log()[-4000:] for worker in workers)
    pytest.fail(f"Condition not met within {timeout} s. Worker logs:\n{logs}")


def test_badge_task_survives_worker_loss():
    assert isinstance(issue_badge, MexTask)
    assert issue_badge.acks_late is True
    assert issue_badge.reject_on_worker_lost is True


def test_killed_children_lose_no_badge(broker_url, tmp_path):
    # given: a prefork worker with two children on every MEX queue
    enrolment_ids = _enrolments(COMPLETIONS)
    client = redis.Redis.from_url(broker_url)
    chance = random.Random(COMPLETIONS)
    with running_worker(
        broker_url,
        tmp_path,
        queues=list(settings.MEX_TASK_QUEUES),
        concurrency=2,
        with_database=True,
    ) as worker:
        # when: 200 completions, while children are killed at random moments
        for enrolment_id in enrolment_ids:
            enrolment_complete(enrolment_id=enrolment_id)
        killed = 0
        for _ in range(KILLS):
            time.sleep(chance.uniform(0.5, 2.0))
            if not worker.alive():
                worker.start()
            children = worker.pool_pids()
            if children:
                os.kill(chance.choice(children), signal.SIGKILL)
                killed += 1
        if not worker.alive():
            worker.start()
        _wait(
            lambda: _issued_count() == COMPLETIONS and _drained(client),
            timeout=DRAIN_TIMEOUT,
            workers=[worker],
        )
        log = worker.log()

    # then: every enrolment has exactly one badge, and the log still verifies
    assert killed == KILLS
    assert "SIGKILL" in log
    assert Assertion.objects.count() == COMPLETIONS
    assert Assertion.objects.values("enrolment").distinct().count() == COMPLETIONS
    assert verify_log() == []


def test_duplicate_deliveries_issue_one_badge(broker_url, tmp_path):
    # given: two workers consuming the same queues
    enrolment_ids = _enrolments(20)
    client = redis.Redis.from_url(broker_url)
    queues = list(settings.MEX_TASK_QUEUES)
    with (
        running_worker(
            broker_url, tmp_path, queues=queues, concurrency=1, with_database=True
        ) as first,
        running_worker(
            broker_url, tmp_path, queues=queues, concurrency=1, with_database=True
        ) as second,
    ):
        # when: each completion's task is also published twice more, once
        # under a repeated task id, as a redelivery would
        for enrolment_id in enrolment_ids:
            enrolment_complete(enrolment_id=enrolment_id)
            repeated = f"issue-badge-{enrolment_id}"
            issue_badge.apply_async((enrolment_id,), task_id=repeated)
            issue_badge.apply_async((enrolment_id,), task_id=repeated)
        _wait(
            lambda: _issued_count() == len(enrolment_ids) and _drained(client),
            timeout=DRAIN_TIMEOUT,
            workers=[first, second],
        )
        logs = [first.log(), second.log()]

    # then: both workers took a share, and each enrolment has one badge
    assert all("Issuing badge for enrolment" in log for log in logs)
    assert Assertion.objects.count() == len(enrolment_ids)
    assert verify_log() == []


def test_worker_reconnects_after_redis_restart(tmp_path):
    # given: a private Redis with an append-only file, as in production, and a
    # worker on it
    require_postgresql()
    enrolment_ids = _enrolments(40)
    with (
        redis_server(tmp_path / "redis") as server,
        tasks_sent_to(server.url),
        running_worker(
            server.url,
            tmp_path,
            queues=list(settings.MEX_TASK_QUEUES),
            concurrency=1,
            with_database=True,
            # A message the worker had reserved when Redis died stays in the
            # unacked set until the visibility timeout hands it back.
            # Production waits two hours; this test waits seconds.
            env={"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)},
        ) as worker,
    ):
        for enrolment_id in enrolment_ids:
            enrolment_complete(enrolment_id=enrolment_id)

        # when: Redis dies mid-run and comes back on the same port
        _wait(lambda: _issued_count() >= 3, timeout=60, workers=[worker])
        server.kill()
        issued_before_restart = _issued_count()
        time.sleep(2)
        server.start()

        # then: the worker reconnects and finishes the pending work
        _wait(
            lambda: _issued_count() == len(enrolment_ids),
            timeout=DRAIN_TIMEOUT,
            workers=[worker],
        )
        log = worker.wait_for_log("Connection to broker lost")

    assert issued_before_restart < len(enrolment_ids)
    assert "Connection to broker lost" in log
    assert Assertion.objects.count() == len(enrolment_ids)
