import json
import logging
import os
import subprocess
import sys

import pytest

from mex.ops.logs import (
    JsonFormatter,
    LogContextFilter,
    request_id_from,
    request_id_var,
)
from mex.settings.logging import logging_config


def _record(message: str = "Vacancy %s published", *args, **extra):
    record = logging.makeLogRecord(
        {
            "name": "vacancies.services",
            "levelname": "INFO",
            "levelno": logging.INFO,
            "msg": message,
            "args": args or (42,),
            **extra,
        }
    )
    LogContextFilter().filter(record)
    return record


@pytest.fixture
def request_id():
    token = request_id_var.set("req-123")
    yield "req-123"
    request_id_var.reset(token)


@pytest.mark.parametrize(
    "raw",
    ["abc123", "0b8c9d2e-3c1f-4f7e-9a55-2f0e4b1c7d11", "lb.7:trace_id-9"],
)
def test_safe_request_id_kept(raw):
    assert request_id_from(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [None, "", "has space", "line\nbreak", "x" * 129, "-leading-dash", '"quoted"'],
)
def test_unsafe_request_id_replaced(raw):
    replaced = request_id_from(raw)

    assert replaced != raw
    assert len(replaced) == 32


def test_json_line_has_fields(request_id):
    line = JsonFormatter().format(_record())

    entry = json.loads(line)
    assert entry["message"] == "Vacancy 42 published"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "vacancies.services"
    assert entry["request_id"] == "req-123"
    assert entry["time"].endswith("+00:00")


def test_json_line_keeps_extra():
    entry = json.loads(JsonFormatter().format(_record(vacancy_id=7)))

    assert entry["vacancy_id"] == 7


def test_json_line_has_exception():
    try:
        raise ValueError("bad skill code")
    except ValueError:
        record = _record(exc_info=sys.exc_info())

    entry = json.loads(JsonFormatter().format(record))

    assert "ValueError: bad skill code" in entry["exception"]


def test_json_line_is_one_line():
    line = JsonFormatter().format(_record("Title %s", "two\nlines"))

    assert "\n" not in line


def test_request_id_outside_request():
    record = _record()

    assert record.request_id == "-"


def test_unknown_log_format_rejected():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="MEX_LOG_FORMAT='xml'"):
        logging_config("xml", "INFO")


def test_production_logs_json():
    # given: production settings loaded in a process of their own
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mex.settings.production",
        "DJANGO_SECRET_KEY": "production-test-" + "k" * 50,
        "MEX_CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    env.pop("MEX_LOG_FORMAT", None)
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('mex').warning('Started %s', 1)"
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    # then
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["message"] == "Started 1"
    assert entry["request_id"] == "-"
