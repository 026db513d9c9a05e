"""Start a real Celery worker on the Redis broker for a test.

The worker consumes a queue of its own, named per test, so that it never takes
tasks meant for another worker on the same Redis database. Tasks for it are
sent with ``apply_async(queue=worker.queue)``.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from mex.celery import app

# Seconds to wait for the worker to reply to a ping after it starts. Importing
# Django and the apps takes a few seconds on a busy 2-core machine.
STARTUP_TIMEOUT = 60


@dataclass
class RunningWorker:
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, timeout: float = 10) -> str:
        """Return the log once it contains text, or all of it after timeout.

        A task's result can reach the backend before the worker has written
        the log lines that follow it (the task_failure handler, for one).
        """
        deadline = time.monotonic() + timeout
        while text not in self.log() and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.log()


@contextmanager
def running_worker(
    broker_url: str,
    log_dir: Path,
    include: str,
    env: dict[str, str] | None = None,
) -> Iterator[RunningWorker]:
    """Run ``celery -A mex worker`` with one child process until the block ends."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    worker = RunningWorker(queue=name, log_path=log_dir / f"{name}.log")
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mex.settings.test",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mex",
        "worker",
        f"--hostname={name}@%h",
        f"--queues={name}",
        f"--include={include}",
        "--concurrency=1",
        "--pool=prefork",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with worker.log_path.open("w") as log_file:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=worker_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_until_ready(process, name, broker_url, worker)
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_ready(process, name, broker_url, worker) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    with app.connection_for_write(broker_url) as connection:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"Celery worker exited with {process.returncode}:\n{worker.log()}"
                )
            replies = app.control.ping(
                destination=[f"{name}@{os.uname().nodename}"],
                timeout=1,
                connection=connection,
            )
            if replies:
                return
    raise TimeoutError(
        f"Celery worker did not answer within {STARTUP_TIMEOUT} s:\n{worker.log()}"
    )
