"""Celery settings, read by mex/celery.py under the ``CELERY_`` prefix.

Every task in MEX takes ids, loads its rows and is safe to run twice, so the
settings below favour running a task again over losing it.
"""

from kombu import Queue

from mex.settings.env import env_int, env_str

# Without a broker URL, tasks run in-process so that a fresh checkout needs no
# Redis. Setting CELERY_BROKER_URL switches to real workers.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == ""
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks still pass through a producer to serialize their
    # arguments; the in-memory transport gives it one without a Redis host.
    CELERY_BROKER_URL = "memory://localhost/"
# In-process tasks raise their errors in the caller, as a worker would log them.
CELERY_TASK_EAGER_PROPAGATES = True

# JSON only: pickle lets anyone who can write to Redis run code in the worker,
# and JSON keeps task arguments to the ids and plain values tasks should take.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
# Results are kept a day for admin and debugging, then Redis drops them.
CELERY_RESULT_EXPIRES = 24 * 3600

# Default limits for a task that sets none: the soft limit raises
# SoftTimeLimitExceeded inside the task so it can roll back, and the hard limit
# kills the worker child a minute later. A task may set its own with
# time_limit= and soft_time_limit=; otherwise mex.tasks.mex_task gives it the
# limits of its queue (TIME_LIMITS_BY_QUEUE), and these apply to the rest.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)

# Acknowledge a message after the task has run, not when the worker takes it,
# and put it back in the queue when the worker child dies (killed by the hard
# time limit, out of memory, deploy). Safe because every task is idempotent;
# mex.tasks.MexTask rejects a message redelivered more than
# MEX_TASK_MAX_REDELIVERIES times, so a task that kills its worker cannot loop.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
MEX_TASK_MAX_REDELIVERIES = env_int("MEX_TASK_MAX_REDELIVERIES", 3)
# With late acknowledgement a worker keeps every message it prefetched, so it
# takes one at a time and a long matching run does not hold back short tasks.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Redis redelivers a message that was taken but not acknowledged within the
# visibility timeout. It must exceed the longest countdown or ETA a task is
# scheduled with (retries back off to at most mex.tasks.RETRY_BACKOFF_MAX, 10
# minutes) and the longest hard time limit, or Redis hands a waiting or
# running task to a second worker. Two hours leaves room for both.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 3600),
}
# A worker that starts before Redis keeps trying instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# One queue per kind of work, so that a long matching run never delays a badge
# or a sign-up email, and each can get its own workers. The first matching
# pattern wins: "*.tasks.send_*" comes first so that an app's email task goes
# to the email queue whatever app it is in.
MEX_TASK_QUEUES = ("default", "matching", "badges", "email")
# A worker started without --queues consumes all of them.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in MEX_TASK_QUEUES]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "*.tasks.send_*": {"queue": "email"},
    "notifications.tasks.*": {"queue": "email"},
    "matching.tasks.*": {"queue": "matching"},
    "badges.tasks.*": {"queue": "badges"},
}
# Worker children are replaced after this many tasks, which bounds the memory
# that numpy and scipy arrays from matching runs can leave behind.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200)
# The worker logs through Django's LOGGING (JSON in production) rather than
# replacing the root logger's handlers with its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Task events let `celery events` and Flower show live progress.
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
