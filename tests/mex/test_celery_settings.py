import pytest
from django.conf import settings

from mex.celery import app
from mex.tasks import RETRY_BACKOFF_MAX, TIME_LIMITS_BY_QUEUE


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_only_json_is_accepted():
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"


def test_messages_acknowledged_after_run():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_visibility_timeout_exceeds_waits():
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    longest_hard_limit = max(hard for _, hard in TIME_LIMITS_BY_QUEUE.values())

    assert timeout > RETRY_BACKOFF_MAX
    assert timeout > longest_hard_limit
    assert timeout > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("matching.tasks.match_vacancy", "matching"),
        ("badges.tasks.badge_bake", "badges"),
        ("badges.tasks.send_badge_email", "email"),
        ("accounts.tasks.send_welcome", "email"),
        ("notifications.tasks.notify_employer", "email"),
        ("colleges.tasks.import_courses", "default"),
    ],
)
def test_task_routed_to_queue(task_name, queue):
    assert _queue(task_name) == queue


def test_every_routed_queue_is_declared():
    declared = {queue.name for queue in app.conf.task_queues}
    routed = {route["queue"] for route in app.conf.task_routes.values()}

    assert routed <= declared
    assert app.conf.task_default_queue in declared


def test_worker_commands_consume_every_queue():
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    queues = ",".join(settings.MEX_TASK_QUEUES)
    for name in ("Makefile", "docker-compose.yml", "README.md"):
        text = (root / name).read_text()
        assert queues in text, f"{name} does not name the queues {queues}"


def test_soft_limit_below_hard_limit():
    for queue, (soft, hard) in TIME_LIMITS_BY_QUEUE.items():
        assert soft < hard, queue
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT


def test_worker_keeps_django_logging():
    assert app.conf.worker_hijack_root_logger is False
