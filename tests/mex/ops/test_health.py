import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db.utils import ConnectionHandler

from tests.services import require_broker

# Nothing listens on port 1 of the loopback address, so a connection there is
# refused at once: a real unreachable service, not a stand-in.
CLOSED_PORT = 1


@pytest.fixture
def unreachable_database(monkeypatch):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": CLOSED_PORT,
                "NAME": "mex",
                "USER": "postgres",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr("mex.ops.health.connections", handler)
    yield
    handler.close_all()


@pytest.fixture
def real_broker(settings):
    """Let /readyz check the Redis broker named by CELERY_BROKER_URL."""
    url = require_broker()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    return url


def test_healthz_needs_no_database(client):
    # pytest-django blocks database access in tests without the django_db mark.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_not_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_ok(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_database")
def test_readyz_names_failed_database(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed"
    assert response.json()["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_readyz_names_failed_cache(client, monkeypatch):
    # given: a Redis cache on a port nothing listens on
    cache = RedisCache(f"redis://127.0.0.1:{CLOSED_PORT}/0", {})
    monkeypatch.setattr("mex.ops.health.cache", cache)

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
@pytest.mark.usefixtures("real_broker")
def test_readyz_checks_real_broker(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
@pytest.mark.usefixtures("real_broker")
def test_readyz_names_failed_broker(client, settings):
    # given
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{CLOSED_PORT}/0"

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed"


@pytest.mark.django_db
def test_readyz_hides_error_details(client, monkeypatch, caplog):
    # given
    cache = RedisCache(f"redis://127.0.0.1:{CLOSED_PORT}/0", {})
    monkeypatch.setattr("mex.ops.health.cache", cache)

    # when
    response = client.get("/readyz")

    # then: the reason is logged, not returned
    assert "127.0.0.1" not in response.content.decode()
    assert "Readiness check cache failed" in caplog.text


def test_probes_skip_https_redirect():
    # given: production settings, in a process of their own
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mex.settings.production",
        "DJANGO_SECRET_KEY": "production-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "MEX_CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "print(client.get('/healthz').status_code)\n"
        "print(client.get('/vacancies/').status_code)\n"
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    # then: the probe answers over HTTP while pages redirect to HTTPS
    assert result.stdout.split() == ["200", "301"]
