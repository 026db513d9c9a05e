import logging

import pytest
from django.db import OperationalError

from mex.celery import _loggable_arguments, app
from mex.tasks import MAX_RETRIES, MexTask, TransientError, mex_task

calls: list[int] = []


@mex_task(name="matching.tasks.example_score")
def example_score(vacancy_id: int) -> int:
    return vacancy_id * 2


@mex_task(name="badges.tasks.example_bake", time_limit=30)
def example_bake(assertion_id: int) -> None:
    calls.append(assertion_id)
    raise TransientError("storage briefly unavailable")


@mex_task(name="colleges.tasks.example_import")
def example_import(course_id: int) -> None:
    raise ValueError(f"course {course_id} has no title")


@mex_task
def example_database_blip(row_id: int) -> None:
    raise OperationalError("server closed the connection unexpectedly")


def test_task_uses_mex_base():
    assert isinstance(example_score, MexTask)


def test_queue_time_limits_applied():
    assert example_score.soft_time_limit == 840
    assert example_score.time_limit == 900


def test_own_time_limit_kept():
    assert example_bake.time_limit == 30


def test_eager_task_returns_value():
    assert example_score.delay(21).get() == 42


@pytest.fixture
def errors_kept_in_result():
    """Keep a failed in-process task's error in its result instead of raising."""
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.mark.usefixtures("errors_kept_in_result")
def test_transient_error_retried():
    # given: a task run in-process retries in-process, without the countdown
    calls.clear()

    # when
    result = example_bake.apply(args=[7], throw=False)

    # then: the first attempt and every retry ran, and the last error stays
    assert calls == [7] * (1 + MAX_RETRIES)
    assert result.state == "FAILURE"
    assert isinstance(result.result, TransientError)


def test_retry_uses_backoff_with_jitter():
    assert example_bake.retry_backoff is True
    assert example_bake.retry_jitter is True
    assert example_bake.retry_backoff_max <= 600


def test_database_error_is_transient():
    assert OperationalError in example_database_blip.autoretry_for


def test_bad_data_not_retried():
    result = example_import.apply(args=[5], throw=False)

    assert isinstance(result.result, ValueError)
    assert result.state == "FAILURE"


def test_failure_logged_with_ids(caplog):
    # when
    with caplog.at_level(logging.ERROR, logger="mex.celery"):
        example_import.apply(args=[5], throw=False)

    # then
    [record] = [r for r in caplog.records if r.name == "mex.celery"]
    assert "colleges.tasks.example_import" in record.getMessage()
    assert "args=(5)" in record.getMessage()
    assert record.exc_info is not None


def test_failure_log_hides_other_values():
    rendered = _loggable_arguments(
        [12, "jane@example.com", "0b8c9d2e-3c1f-4f7e-9a55-2f0e4b1c7d11"],
        {"note": "Jane Doe", "ids": [1, 2]},
    )

    assert rendered == (
        "12, <str>, 0b8c9d2e-3c1f-4f7e-9a55-2f0e4b1c7d11, note=<str>, ids=[1, 2]"
    )
