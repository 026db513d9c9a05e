"""Real Celery worker processes for tests that need them.

Two ways in, one implementation:

- the ``celery_worker`` fixture, for a test marked
  ``@pytest.mark.django_db(transaction=True)``: one worker on every MEX queue
  of the broker from CELERY_BROKER_URL, pointed at the PostgreSQL test
  database, with eager tasks off for the test;
- the ``running_worker`` context manager, for tests that choose the broker,
  pool, concurrency, queues, extra task modules or environment, start several
  workers, or kill and restart one.

SQLite test databases live in memory where no other process can see them, so a
worker that touches the database needs PostgreSQL.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from mex.celery import app
from tests.services import require_broker, require_postgresql

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Importing Django and the apps takes a few seconds on a busy 2-core machine.
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30


class Worker:
    """One ``celery -A mex worker`` process, its log, and ways to hurt it."""

    def __init__(
        self, *, command: list[str], env: dict[str, str], hostname: str, log_path
    ) -> None:
        self.command = command
        self.env = env
        self.hostname = hostname
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None
        self.queue = hostname.split("@")[0]

    def start(self) -> None:
        """Start the process and wait until it answers a ping."""
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._wait_until_ready()

    def stop(self) -> None:
        """Ask for a warm shutdown (running tasks finish); kill after a while."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def restart(self) -> None:
        self.stop()
        self.start()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pool_pids(self) -> list[int]:
        """Return the pids of the worker's pool processes (prefork children)."""
        if not self.alive():
            return []
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            return [int(child) for child in children.read_text().split()]
        except FileNotFoundError:
            return []

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
            if not self.alive():
                pytest.fail(f"The Celery worker exited early:\n{self.log()}")
            time.sleep(interval)
        pytest.fail(f"Condition not met within {timeout} s. Worker log:\n{self.log()}")

    def wait_for_log(self, text: str, timeout: float = 10) -> str:
        """Return the log once it contains text, or all of it after timeout.

        A task's result can reach the backend before the worker has written
        the log lines that follow it (the task_failure handler, for one).
        """
        deadline = time.monotonic() + timeout
        while text not in self.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.log()

    def _wait_until_ready(self) -> None:
        broker_url = self.env["CELERY_BROKER_URL"]
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with app.connection_for_write(broker_url) as broker:
            while time.monotonic() < deadline:
                if not self.alive():
                    pytest.fail(f"The Celery worker failed to start:\n{self.log()}")
                replies = app.control.ping(
                    destination=[self.hostname], timeout=1.0, connection=broker
                )
                if replies:
                    return
        self.stop()
        pytest.fail(
            f"The Celery worker did not answer a ping within "
            f"{START_TIMEOUT_SECONDS} s:\n{self.log()}"
        )


def database_url() -> str:
    """Return a DATABASE_URL for the test database this process uses."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@contextmanager
def running_worker(
    broker_url: str,
    log_dir: Path,
    *,
    include: str = "",
    queues: list[str] | None = None,
    pool: str = "prefork",
    concurrency: int = 1,
    with_database: bool = False,
    env: dict[str, str] | None = None,
) -> Iterator[Worker]:
    """Run ``celery -A mex worker`` until the block ends.

    Without ``queues`` the worker consumes a queue of its own, named after it
    (``worker.queue``), so it never takes tasks meant for another worker on the
    same Redis database; send to it with ``apply_async(queue=worker.queue)``.
    ``with_database`` points it at this process's PostgreSQL test database and
    media folder.
    """
    name = f"mex-test-{uuid.uuid4().hex[:8]}"
    hostname = f"{name}@127.0.0.1"
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "MEX_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MEX_BADGE_KEY_DIR": str(settings.MEX_BADGE_KEY_DIR),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "PYTHONUNBUFFERED": "1",
    }
    if with_database:
        worker_env["DATABASE_URL"] = database_url()
    worker_env.update(env or {})
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mex",
        "worker",
        f"--hostname={hostname}",
        f"--queues={','.join(queues or [name])}",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if include:
        command.append(f"--include={include}")
    worker = Worker(
        command=command,
        env=worker_env,
        hostname=hostname,
        log_path=Path(log_dir) / f"{name}.log",
    )
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()


@contextmanager
def tasks_sent_to(broker_url: str) -> Iterator[None]:
    """Send tasks of this process to a broker, not run them in-process.

    Celery reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the
    environment before its settings, so both change for the block too.
    """
    previous_conf = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
    }
    names = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    previous_env = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, broker_url))
    app.conf.update(
        task_always_eager=False, broker_url=broker_url, result_backend=broker_url
    )
    _forget_connections()
    try:
        yield
    finally:
        for name, value in previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        app.conf.update(previous_conf)
        _forget_connections()


def _forget_connections() -> None:
    """Drop the app's cached broker connections and result backend."""
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start a real Celery worker on every MEX queue; stop it afterwards."""
    require_postgresql()
    broker_url = require_broker()

    with (
        tasks_sent_to(broker_url),
        running_worker(
            broker_url,
            tmp_path,
            queues=list(settings.MEX_TASK_QUEUES),
            pool="solo",
            with_database=True,
        ) as worker,
    ):
        yield worker
