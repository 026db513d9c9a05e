"""docker-compose.yml and Dockerfile, read as Docker would read them.

No Docker engine runs where the tests run, so these tests parse the files and
check what a broken deployment would get wrong.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", *APP_SERVICES}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_reuses_image(compose, name):
    service = compose["services"][name]

    assert service["image"] == "mex:latest"
    assert service["environment"]["DJANGO_SETTINGS_MODULE"] == (
        "mex.settings.production"
    )


@pytest.mark.parametrize("name", ["postgres", "redis"])
def test_backing_service_healthy_and_kept(compose, name):
    service = compose["services"][name]

    assert service["healthcheck"]["test"]
    assert service["volumes"]


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_waits_for_services(compose, name):
    depends_on = compose["services"][name]["depends_on"]

    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_web_runs_gunicorn(compose):
    assert compose["services"]["web"]["command"][0] == "gunicorn"


def test_worker_consumes_every_queue(compose):
    command = compose["services"]["worker"]["command"]

    assert f"--queues={','.join(settings.MEX_TASK_QUEUES)}" in command


def test_web_healthcheck_is_python(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]

    compile(test[-1], "healthcheck", "exec")


def test_named_volumes_declared(compose):
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }

    assert used <= set(compose["volumes"])


def test_media_on_volume(compose):
    web = compose["services"]["web"]
    media_root = web["environment"]["DJANGO_MEDIA_ROOT"]

    assert f"media:{media_root}" in web["volumes"]


def test_compose_variables_documented(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    readme = (ROOT / "README.md").read_text()
    variables = set(re.findall(r"\$\{([A-Z0-9_]+)", text))

    undocumented = sorted(v for v in variables if f"`{v}`" not in readme)

    assert undocumented == []


def test_image_python_matches_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    version = (ROOT / ".python-version").read_text().strip()

    assert re.findall(r"^FROM python:(\S+?)-", dockerfile, re.MULTILINE) == [
        version,
        version,
    ]


def test_image_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "\nUSER mex\n" in dockerfile


def test_dockerignore_keeps_secrets_out():
    ignored = (ROOT / ".dockerignore").read_text().split()

    assert ".env" in ignored
    assert ".git" in ignored


def test_production_passes_deploy_checks():
    # given: production settings as docker-compose.yml sets them
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mex.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "mex.example.org",
        "MEX_CACHE_URL": "redis://127.0.0.1:6379/1",
    }

    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level=WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # then
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["web", "worker"])
def test_badge_keys_shared(compose, name):
    service = compose["services"][name]
    key_dir = service["environment"]["MEX_BADGE_KEY_DIR"]

    assert f"badge-keys:{key_dir}" in service["volumes"]
