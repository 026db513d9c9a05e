"""Logging settings: plain lines on a developer machine, JSON in production.

Each line carries the request id of the HTTP request or task it came from
(mex.ops.logs), so that one request can be followed from the web process into
the tasks it enqueued.
"""

from mex.settings.env import env_str

__all__ = ["LOGGING", "MEX_LOG_FORMAT", "MEX_LOG_LEVEL"]

LOG_FORMATS = ("plain", "json")
MEX_LOG_LEVEL = env_str("MEX_LOG_LEVEL", "INFO").upper()
MEX_LOG_FORMAT = env_str("MEX_LOG_FORMAT", "plain")


def logging_config(log_format: str, level: str) -> dict:
    """Build the LOGGING dict for one of LOG_FORMATS at the given root level."""
    if log_format not in LOG_FORMATS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"MEX_LOG_FORMAT={log_format!r} is invalid: set it to plain or json."
        )

    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "mex.ops.logs.LogContextFilter"},
        },
        "formatters": {
            "plain": {
                "format": (
                    "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
                ),
            },
            "json": {"()": "mex.ops.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Celery's own loggers propagate to the root handler above.
            "celery": {"level": level},
        },
    }


LOGGING = logging_config(MEX_LOG_FORMAT, MEX_LOG_LEVEL)
