"""MEX tasks on a real Celery worker and Redis broker."""

import pytest
from celery.exceptions import Reject
from celery.result import AsyncResult
from django.http import HttpResponse
from django.test import RequestFactory

from mex.ops.middleware import RequestIdMiddleware
from tests.mex.worker_tasks import echo_request_id, exit_child
from tests.services import require_broker
from tests.worker import running_worker, tasks_sent_to

pytestmark = pytest.mark.services

RESULT_TIMEOUT = 60
INCLUDE = "tests.mex.worker_tasks"


@pytest.fixture
def broker_url():
    url = require_broker()
    with tasks_sent_to(url):
        yield url


def test_request_id_reaches_task(broker_url, tmp_path):
    # given: a view that enqueues a task, behind the request id middleware
    sent = {}

    def view(request):
        sent["result"] = echo_request_id.apply_async(queue=worker.queue)
        return HttpResponse()

    request = RequestFactory().get("/", headers={"X-Request-ID": "trace-77"})

    with running_worker(broker_url, tmp_path, include=INCLUDE) as worker:
        # when
        RequestIdMiddleware(view)(request)
        seen = sent["result"].get(timeout=RESULT_TIMEOUT)

        # then
        assert seen == "trace-77"
        assert "[trace-77] Echo task running" in worker.wait_for_log("Echo task")


def test_task_outside_request_gets_id(broker_url, tmp_path):
    with running_worker(broker_url, tmp_path, include=INCLUDE) as worker:
        seen = echo_request_id.apply_async(queue=worker.queue).get(
            timeout=RESULT_TIMEOUT
        )

    assert len(seen) == 32


def test_redelivery_capped(broker_url, tmp_path):
    # given: a worker that allows one redelivery
    env = {"MEX_TASK_MAX_REDELIVERIES": "1"}
    with running_worker(broker_url, tmp_path, include=INCLUDE, env=env) as worker:
        # when: the task kills its worker child each time it runs
        result: AsyncResult = exit_child.apply_async(queue=worker.queue)
        with pytest.raises(Reject, match="redelivered 2 times"):
            result.get(timeout=RESULT_TIMEOUT)
        failure_line = f"Task tests.worker.exit_child id={result.id} failed"
        log = worker.wait_for_log(failure_line)

    # then: it ran twice, then was rejected and recorded as failed
    assert result.state == "FAILURE"
    assert log.count("(1 of 1)") == 1
    assert "over the limit of 1" in log
    assert failure_line in log
