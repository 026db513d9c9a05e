"""The Makefile picks a Python 3.12 or newer, or stops with a clear message."""

import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not found")


def _fake_python(tmp_path, version: str, new_enough: bool):
    """Write a script that answers like a python of the given version."""
    script = tmp_path / "python"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\n'
        f"exit {0 if new_enough else 1}\n"
    )
    script.chmod(0o755)
    return script


def _make(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-s", *arguments],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_old_python_rejected(tmp_path):
    python = _fake_python(tmp_path, "3.11.2", new_enough=False)

    result = _make("check-python", f"PYTHON={python}")

    assert result.returncode != 0
    assert "MEX needs Python 3.12 or newer" in result.stderr
    assert "Python 3.11.2" in result.stderr


def test_new_python_accepted(tmp_path):
    python = _fake_python(tmp_path, "3.13.1", new_enough=True)

    result = _make("check-python", f"PYTHON={python}")

    assert result.returncode == 0
    assert result.stderr == ""


def test_test_target_runs_pytest():
    result = _make("-n", "test")

    assert ".venv/bin/python -m pytest" in result.stdout
