"""A real Celery worker process for tests that need one.

Use the ``celery_worker`` fixture in a test marked
``@pytest.mark.django_db(transaction=True)``: it starts
``celery -A mex worker`` on the broker from CELERY_BROKER_URL, pointed at the
test database, waits until the worker answers a ping, turns eager tasks off
for the test, and stops the worker afterwards. It needs PostgreSQL, because
SQLite test databases live in memory where no other process can see them.

    from tests.worker import celery_worker  # noqa: F401

    @pytest.mark.django_db(transaction=True)
    def test_something(celery_worker):
        ...
        celery_worker.wait_for(lambda: Assertion.objects.exists())
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from mex.celery import app
from tests.services import require_broker, require_postgresql

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 20


@dataclass
class Worker:
    """A running worker process and the log it writes."""

    process: subprocess.Popen
    hostname: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(
        self, condition: Callable[[], bool], timeout: float = 30, interval=0.2
    ) -> None:
        """Poll ``condition`` until it is true; fail with the worker log if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker exited early:\n{self.log()}")
            time.sleep(interval)
        pytest.fail(f"Condition not met within {timeout} s. Worker log:\n{self.log()}")


def database_url() -> str:
    """Return a DATABASE_URL for the test database this process uses."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _wait_until_ready(worker: Worker) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"The Celery worker failed to start:\n{worker.log()}")
        replies = app.control.ping(destination=[worker.hostname], timeout=1.0)
        if replies:
            return
    _stop(worker)
    pytest.fail(
        f"The Celery worker did not answer a ping within {START_TIMEOUT_SECONDS} s:"
        f"\n{worker.log()}"
    )


def _stop(worker: Worker) -> None:
    if worker.process.poll() is not None:
        return
    # SIGTERM asks for a warm shutdown: the current task finishes first.
    worker.process.send_signal(signal.SIGTERM)
    try:
        worker.process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait(timeout=STOP_TIMEOUT_SECONDS)


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start a real Celery worker for one test; stop it afterwards."""
    require_postgresql()
    broker_url = require_broker()

    hostname = f"mex-test-{uuid.uuid4().hex[:8]}@127.0.0.1"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "MEX_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "celery-worker.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mex",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        f"--hostname={hostname}",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    previous = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url

    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        worker = Worker(process=process, hostname=hostname, log_path=log_path)
        try:
            _wait_until_ready(worker)
            yield worker
        finally:
            _stop(worker)
            app.conf.update(previous)
