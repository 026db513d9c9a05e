"""Request ids and JSON log lines.

The request id of the HTTP request or Celery task being handled lives in a
context variable. RequestIdMiddleware sets it for a request, mex.celery copies
it into the headers of every task enqueued meanwhile and sets it again in the
worker, and LogContextFilter adds it to every log record.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from a client or proxy is kept only if it is a short token of
# letters, digits and ``-._:``, because anything else could forge log lines.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

request_id_var: ContextVar[str] = ContextVar("mex_request_id", default="-")
task_id_var: ContextVar[str] = ContextVar("mex_task_id", default="")
task_name_var: ContextVar[str] = ContextVar("mex_task_name", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(raw: str | None) -> str:
    """Return ``raw`` if it is a safe request id, else a new one."""
    if raw and SAFE_REQUEST_ID.fullmatch(raw):
        return raw
    return new_request_id()


def current_request_id() -> str:
    """Return the request id of the current request or task, or "" outside one."""
    value = request_id_var.get()
    return "" if value == "-" else value


class LogContextFilter(logging.Filter):
    """Add request_id, task_id and task_name to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        record.task_name = task_name_var.get()
        return True


# Attributes every LogRecord has; anything else on a record came from
# ``extra=`` and goes into the JSON object as its own key.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "task_id",
    "task_name",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        task_id = getattr(record, "task_id", "")
        if task_id:
            entry["task_id"] = task_id
            entry["task_name"] = getattr(record, "task_name", "")
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)

        return json.dumps(entry, default=str)
