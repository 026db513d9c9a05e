"""Celery application for MEX.

Workers start with ``celery -A mex worker --queues=default,matching,badges,email``.
Configuration comes from the Django settings under the ``CELERY_`` prefix
(mex/settings/celery.py), so one set of environment variables drives the web
process and the worker alike.

The signal handlers below carry the request id of the web request into the
tasks it enqueues, log every task failure with its ids, and have a new
process of a matching worker read the matching copies before its first task.
"""

import logging
import os
import uuid

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mex.settings.local")

app = Celery("mex")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# Message header that carries the request id from the web process to a task.
REQUEST_ID_HEADER = "mex_request_id"
# A task whose queue (CELERY_TASK_ROUTES) is the one that matching workers
# consume.
MATCHING_TASK = "matching.tasks.rescore_applicant"


@signals.before_task_publish.connect
def add_request_id_header(headers=None, **kwargs):
    """Stamp the current request id on each task message sent."""
    from mex.ops.logs import current_request_id

    request_id = current_request_id()
    if headers is not None and request_id and REQUEST_ID_HEADER not in headers:
        headers[REQUEST_ID_HEADER] = request_id


# Context variable tokens set for each running task, reset when it ends.
_context_tokens: dict[str, list] = {}


@signals.task_prerun.connect
def enter_task_log_context(task_id=None, task=None, **kwargs):
    """Log the task's lines with its id, name and the request id it came with.

    A task run in-process (eager) has no message header and keeps the request
    id of the request that runs it.
    """
    from mex.ops.logs import request_id_var, task_id_var, task_name_var

    tokens = [task_id_var.set(task_id or ""), task_name_var.set(task.name)]
    request_id = task.request.get(REQUEST_ID_HEADER)
    if request_id:
        tokens.append(request_id_var.set(request_id))
    elif not task.request.is_eager:
        # A task enqueued outside a request (beat, shell) gets an id of its
        # own, so that the lines of one run can still be grouped.
        tokens.append(request_id_var.set(uuid.uuid4().hex))
    _context_tokens[task_id] = tokens


@signals.task_postrun.connect
def leave_task_log_context(task_id=None, **kwargs):
    tokens = _context_tokens.pop(task_id, [])
    for token in reversed(tokens):
        token.var.reset(token)


def _loggable_arguments(args, kwargs) -> str:
    """Render task arguments that are ids; anything else is shown by type only.

    Tasks take ids by convention, and a value of another kind may be personal
    data (an email address, a name) that must not reach the logs.
    """

    def render(value):
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, int | uuid.UUID):
            return str(value)
        if isinstance(value, str):
            try:
                return str(uuid.UUID(value))
            except ValueError:
                return "<str>"
        if isinstance(value, list | tuple):
            return "[" + ", ".join(render(item) for item in value) + "]"
        return f"<{type(value).__name__}>"

    parts = [render(value) for value in args or ()]
    parts += [f"{key}={render(value)}" for key, value in (kwargs or {}).items()]

    return ", ".join(parts)


@signals.worker_process_init.connect
def warm_matching_copies(**kwargs):
    """Start reading the matching copies in a new pool process of a matching worker.

    Only in a worker that consumes the queue the matching tasks are routed to,
    so a badges-only or email-only worker keeps no copies, and only while
    MATCHING_SNAPSHOT_WARM is true. The read runs in a thread because the
    prefork pool kills a process that has not started within
    worker_proc_alive_timeout (4 s by default in Celery 5.7). Returns the thread,
    or None when nothing was started. The solo and threads pools send no
    worker_process_init, so there the first matching task reads the copies.
    """
    from django.conf import settings

    from matching.snapshot import warm_in_background

    if not settings.MATCHING_SNAPSHOT_WARM:
        return None
    queue = app.amqp.router.route({}, MATCHING_TASK)["queue"]
    # NOTE: a forked pool process inherits the queues that --queues selected.
    # A process started fresh (billiard's spawn, macOS's default) has every
    # queue selected, so there a badges-only worker would read the copies too.
    if queue.name not in app.amqp.queues.consume_from:
        return None

    return warm_in_background()


@signals.task_failure.connect
def log_task_failure(
    sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra
):
    """Record every task failure (after its last retry) with its ids."""
    logger.error(
        "Task %s id=%s failed with %s: args=(%s)",
        getattr(sender, "name", sender),
        task_id,
        type(exception).__name__,
        _loggable_arguments(args, kwargs),
        exc_info=(type(exception), exception, exception.__traceback__)
        if exception is not None
        else None,
    )
