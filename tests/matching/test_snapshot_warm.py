"""A new process of a matching worker reads the copies before its first task.

Most tests call the handler of Celery's worker_process_init signal as a pool
process would, with the queues of the worker selected the way
``celery worker --queues`` selects them. One starts a real prefork worker.
"""

import logging

import pytest
from django.db import connection

from matching import snapshot
from matching.snapshot import forget_snapshots, skill_snapshot
from mex.celery import app, warm_matching_copies
from tests.matching.factories import ApplicantFactory, SkillFactory, hold
from tests.services import require_broker, require_postgresql
from tests.worker import running_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

JOIN_TIMEOUT_SECONDS = 60
WARMED = "read the matching copies at worker start"
WARMING_FAILED = "Process %s failed to read the matching copies at worker start"
READ_ALL = "Read all %s scoring inputs into memory in %.0f ms"


@pytest.fixture(autouse=True)
def _fresh_copies(settings):
    require_postgresql()
    settings.MATCHING_SNAPSHOT_MAX_AGE = 3600
    settings.MATCHING_SNAPSHOT_WARM = True
    forget_snapshots()
    yield
    forget_snapshots()


@pytest.fixture
def worker_queues():
    """Select the queues this process consumes, as ``--queues`` does."""
    queues = app.amqp.queues

    yield queues.select

    # Every queue again, as for a worker started without --queues.
    queues.select(list(queues))


def _kinds_read(caplog) -> list[str]:
    return [record.args[0] for record in caplog.records if record.msg == READ_ALL]


def _start_pool_process() -> object:
    """Send worker_process_init to the handler; return the thread it started."""
    thread = warm_matching_copies(sender="worker@127.0.0.1")
    if thread is not None:
        thread.join(timeout=JOIN_TIMEOUT_SECONDS)
        assert not thread.is_alive()
    return thread


@pytest.mark.parametrize("queues", [["matching"], ["default", "matching", "email"]])
def test_matching_worker_reads_copies_at_start(caplog, worker_queues, queues):
    # given: a worker that consumes the matching queue
    skill = SkillFactory()
    profile = ApplicantFactory()
    hold(profile, skill, 4)
    worker_queues(queues)
    caplog.set_level(logging.INFO, logger="matching.snapshot")

    # when: one of its pool processes starts
    thread = _start_pool_process()

    # then: it has read every copy before any task ran
    assert thread is not None
    assert sorted(_kinds_read(caplog)) == ["applicant", "skill", "vacancy"]

    # and the copy a first task gets contains the applicant's skill. Whether
    # that task reads logged changes again depends on the transactions
    # running on the server (see matching.snapshot), so it is not checked.
    assert skill_snapshot().levels[profile.pk, skill.pk] == 4


@pytest.mark.parametrize("queues", [["badges"], ["email"], ["default", "badges"]])
def test_other_workers_read_no_copy(caplog, worker_queues, queues):
    # given: a worker that does not consume the matching queue
    worker_queues(queues)
    caplog.set_level(logging.INFO, logger="matching.snapshot")

    # when
    thread = _start_pool_process()

    # then
    assert thread is None
    assert _kinds_read(caplog) == []


def test_warming_switched_off(caplog, settings, worker_queues):
    settings.MATCHING_SNAPSHOT_WARM = False
    worker_queues(["matching"])
    caplog.set_level(logging.INFO, logger="matching.snapshot")

    thread = _start_pool_process()

    assert thread is None
    assert _kinds_read(caplog) == []


def test_no_warming_when_copies_are_off(caplog, settings, worker_queues):
    settings.MATCHING_SNAPSHOT_MAX_AGE = 0
    worker_queues(["matching"])
    caplog.set_level(logging.INFO, logger="matching.snapshot")

    thread = _start_pool_process()

    assert thread is None
    assert _kinds_read(caplog) == []


def test_no_warming_on_other_databases(caplog, monkeypatch, worker_queues):
    # given: a database other than PostgreSQL, where the copies are not used
    monkeypatch.setattr(connection, "vendor", "sqlite")
    worker_queues(["matching"])
    caplog.set_level(logging.INFO, logger="matching.snapshot")

    # when
    thread = _start_pool_process()

    # then
    assert thread is None
    assert _kinds_read(caplog) == []


def test_failed_warming_is_logged_not_raised(caplog, monkeypatch, worker_queues):
    # given: a read that fails
    def fail():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(snapshot, "skill_snapshot", fail)
    worker_queues(["matching"])

    # when: the pool process starts anyway
    thread = _start_pool_process()

    # then: the error is logged with its traceback
    failures = [record for record in caplog.records if record.msg == WARMING_FAILED]
    assert thread is not None
    assert len(failures) == 1
    assert failures[0].levelno == logging.ERROR
    assert failures[0].exc_info[0] is RuntimeError


def test_prefork_matching_worker_warms_its_process(tmp_path):
    # given: the committed skills of one applicant
    hold(ApplicantFactory(), SkillFactory(), 3)
    broker_url = require_broker()

    # when: a prefork worker on the matching queue starts one pool process
    with running_worker(
        broker_url, tmp_path, queues=["matching"], with_database=True
    ) as worker:
        log = worker.wait_for_log(WARMED, timeout=JOIN_TIMEOUT_SECONDS)

    # then: the process read the copies and was not killed for starting late
    assert WARMED in log
    assert "Timed out waiting for UP message" not in log
    assert "failed to read the matching copies" not in log
