"""run_matching through a real Celery worker on Redis and PostgreSQL."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from matching.models import Match, MatchingRun
from mex.celery import app
from tests.matching.factories import (
    ApplicantFactory,
    SkillFactory,
    VacancyFactory,
    hold,
    require,
)
from tests.services import require_broker, require_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# A worker starts in a few seconds on a quiet machine; this leaves room for a
# busy one.
WORKER_START_SECONDS = 60


@pytest.fixture
def worker():
    """Start a solo-pool worker that uses this test's database and broker."""
    require_postgresql()
    broker = require_broker()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mex.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": broker,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mex",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not app.control.ping(timeout=1.0):
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("The Celery worker did not start.")
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


def test_run_matching_through_worker(worker, capsys):
    # given
    skill = SkillFactory()
    vacancy = VacancyFactory()
    require(vacancy, skill, 3)
    applicant = ApplicantFactory()
    hold(applicant, skill, 3)

    # when
    call_command("run_matching", timeout=120)

    # then
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.SUCCEEDED
    assert run.task_id
    assert Match.objects.filter(vacancy=vacancy, applicant=applicant).exists()
    assert "1 created" in capsys.readouterr().out
