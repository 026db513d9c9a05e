"""A base class for MEX tasks: retries on transient errors, capped redelivery.

App tasks use it through the decorator::

    from mex.tasks import mex_task

    @mex_task(time_limit=120, soft_time_limit=90)
    def badge_bake(assertion_id: int) -> None: ...

A task must be safe to run twice: a message is acknowledged only after the task
ran, so a worker that dies mid-task means the task runs again elsewhere.
"""

import fnmatch
import logging
import smtplib
from functools import lru_cache

import redis
from celery import Task, shared_task
from celery.exceptions import Reject
from django.conf import settings
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


class TransientError(Exception):
    """Raise from a task for a failure that a later try may not meet."""


# Errors that a later try can get past: a database restart, a serialization
# failure or deadlock (psycopg raises those as OperationalError), Redis or SMTP
# briefly down, a network time-out. Anything else is a bug or bad data, and a
# retry would fail the same way.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    TransientError,
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)

# Retries wait 1, 2, 4, ... seconds, at most RETRY_BACKOFF_MAX, each drawn at
# random below that bound ("full jitter") so that tasks that failed together
# do not all retry together. Five retries span about half a minute of outage
# at most before the task is recorded as failed. RETRY_BACKOFF_MAX must stay below the
# broker's visibility timeout (mex/settings/celery.py).
RETRY_BACKOFF_MAX = 600
MAX_RETRIES = 5

# Seconds a redelivery count is kept: longer than any redelivery cycle.
_REDELIVERY_COUNT_TTL = 24 * 3600


@lru_cache(maxsize=1)
def _broker_redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


class MexTask(Task):
    """Base class of every MEX task; see the module docstring."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = True
    retry_backoff_max = RETRY_BACKOFF_MAX
    retry_jitter = True
    max_retries = MAX_RETRIES
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args, **kwargs):
        if self.request.delivery_info and self.request.delivery_info.get("redelivered"):
            self._reject_if_redelivered_too_often()

        return super().__call__(*args, **kwargs)

    def _reject_if_redelivered_too_often(self) -> None:
        """Count this redelivery and reject the message past the cap.

        Redis marks a redelivered message but does not count redeliveries, so
        the count is kept in the broker's Redis under the task id and retry
        number (a retry is a new message with the same task id).
        """
        broker_url = self.app.conf.broker_url or ""
        if not broker_url.startswith(("redis://", "rediss://")):
            return
        key = f"mex:redeliveries:{self.request.id}:{self.request.retries}"
        client = _broker_redis(broker_url)
        count = client.incr(key)
        client.expire(key, _REDELIVERY_COUNT_TTL)
        limit = settings.MEX_TASK_MAX_REDELIVERIES
        if count > limit:
            logger.error(
                "Task %s id=%s redelivered %s times, over the limit of %s; "
                "rejecting it",
                self.name,
                self.request.id,
                count,
                limit,
            )
            raise Reject(f"redelivered {count} times", requeue=False)
        logger.warning(
            "Task %s id=%s redelivered (%s of %s)",
            self.name,
            self.request.id,
            count,
            limit,
        )


# (soft, hard) time limits in seconds for a task in each queue that sets none
# itself. Matching scores every open vacancy against every applicant in one
# run; a badge is one PNG and one PDF; an email is one SMTP exchange.
TIME_LIMITS_BY_QUEUE = {
    "matching": (840, 900),
    "badges": (90, 120),
    "email": (45, 60),
}


def queue_for(task_name: str) -> str:
    """Return the queue CELERY_TASK_ROUTES sends a task of this name to."""
    for pattern, route in settings.CELERY_TASK_ROUTES.items():
        if fnmatch.fnmatchcase(task_name, pattern):
            return route["queue"]

    return settings.CELERY_TASK_DEFAULT_QUEUE


def mex_task(*args, **options):
    """Declare a task on MexTask: ``@mex_task`` or ``@mex_task(time_limit=60)``.

    A task that sets neither time limit gets those of its queue from
    TIME_LIMITS_BY_QUEUE, or the CELERY_TASK_*TIME_LIMIT defaults on the
    default queue.
    """
    options.setdefault("base", MexTask)

    def decorate(function):
        name = options.get("name") or f"{function.__module__}.{function.__name__}"
        limits = TIME_LIMITS_BY_QUEUE.get(queue_for(name))
        sets_own_limits = "time_limit" in options or "soft_time_limit" in options
        if limits is not None and not sets_own_limits:
            options["soft_time_limit"], options["time_limit"] = limits

        return shared_task(**options)(function)

    if len(args) == 1 and callable(args[0]) and not options.get("name"):
        return decorate(args[0])

    return decorate
