"""Settings of `make run`, read in a fresh process as the server reads them."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_PAGE_CACHE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.MEX_PAGE_CACHE)"
)


def _local_setting(**environment) -> str:
    base = {
        name: value
        for name, value in os.environ.items()
        if name not in {"CELERY_BROKER_URL", "MEX_CACHE_URL", "MEX_PAGE_CACHE"}
    }
    finished = subprocess.run(
        [sys.executable, "-c", PRINT_PAGE_CACHE],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "mex.settings.local", **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return finished.stdout.strip()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "False"),
        ({"MEX_CACHE_URL": "redis://127.0.0.1:6379/9"}, "True"),
        ({"MEX_PAGE_CACHE": "true"}, "True"),
    ],
)
def test_page_cache_needs_a_shared_cache(environment, expected):
    assert _local_setting(**environment) == expected
