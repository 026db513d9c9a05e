"""Access to the real services and data that some tests need.

A test that needs PostgreSQL, Redis or the shared data folder calls one of
these helpers. Without the service the test is skipped, except when
MEX_REQUIRE_SERVICES=1 (as in CI), where a missing service fails the test.
"""

import os
from pathlib import Path

import pytest
from django.db import connection


def services_required() -> bool:
    return os.environ.get("MEX_REQUIRE_SERVICES", "") == "1"


def _skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason}, but MEX_REQUIRE_SERVICES=1 requires it.")
    pytest.skip(reason)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        _skip_or_fail("DATABASE_URL does not point at PostgreSQL")


def require_broker() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        _skip_or_fail("CELERY_BROKER_URL does not point at Redis")
    return url


def data_dir() -> Path:
    """Return the folder of real public data named by MEX_DATA_DIR."""
    raw = os.environ.get("MEX_DATA_DIR", "")
    if not raw:
        pytest.skip("MEX_DATA_DIR is not set")
    path = Path(raw)
    if not path.is_dir():
        pytest.fail(f"MEX_DATA_DIR={raw!r} is not a folder.")
    return path
