import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mex.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-check-only-" + "y" * 30,
    "DJANGO_ALLOWED_HOSTS": "mex.example.test",
    "DATABASE_URL": "sqlite:///:memory:",
    "MEX_CACHE_URL": "redis://127.0.0.1:6379/15",
}


def _manage(*arguments, env):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_passes_deploy_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_SECRET_KEY"]

    result = _manage("check", env=env)

    assert "DJANGO_SECRET_KEY is missing" in result.stderr


def test_production_refuses_a_per_process_cache():
    env = {**PRODUCTION_ENV}
    del env["MEX_CACHE_URL"]

    result = _manage("check", env=env)

    assert "MEX_CACHE_URL is missing" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_templates_have_no_inline_scripts():
    inline = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            is_data = 'type="application/json"' in tag
            if "src=" not in tag and not is_data:
                inline.append(f"{template.relative_to(BASE_DIR)}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            inline.append(f"{template.relative_to(BASE_DIR)}: inline event handler")

    assert inline == []


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only(client):
    from tests.factories import PASSWORD, UserFactory

    UserFactory(email="ada@example.test")

    client.get(reverse("account_login"))
    client.post(
        reverse("account_login"), {"login": "ada@example.test", "password": PASSWORD}
    )

    assert client.cookies[settings.SESSION_COOKIE_NAME]["httponly"] is True
    assert client.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True


def test_forwarded_for_is_ignored_without_a_trusted_proxy():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0


def test_production_trusts_one_proxy():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        env=PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1] == "1", result.stderr
