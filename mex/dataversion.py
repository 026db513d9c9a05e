"""One version of MEX's data, changed by every write to the database.

``mex.pagecache`` stores each page with the version it read before
rendering and serves it only while the version is unchanged. The version
lives in the shared cache, so that a write made by any web process or worker
reaches every process on its next request.

``install_write_watcher`` wraps every database connection: an INSERT,
UPDATE, DELETE, TRUNCATE, COPY or schema change that Django sends (bulk,
``QuerySet.update`` and raw SQL through ``connection.cursor`` included) sets a
new version, after its transaction commits. Writes to the session table are
left out: the session engine, ``mex.sessions``, sets the version for a
session change itself, once the change has reached the cache as well.
Writes made outside Django, such as SQL typed into psql, set no version:
such pages are served until ``MEX_PAGE_CACHE_SECONDS`` pass.

With Redis as the cache, each new version is also announced on a Redis
channel. ``LOCAL_VERSION`` listens to it, so that a process can serve pages
kept in its own memory without reading the version from Redis on every
request (see ``LocalVersion``).
"""

import logging
import os
import re
import threading
import time
import uuid

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from mex.cache import SharedClientRedisCache

logger = logging.getLogger(__name__)

DATA_VERSION_KEY = "mex:data-version"
# A version read from Redis is trusted for at most this long, even while
# the channel brings no news, in case the connection died without a sign.
LOCAL_VERSION_SECONDS = 1.0
# How long to wait before listening again after the channel failed.
LISTEN_RETRY_SECONDS = 1.0
SUBSCRIBE_TIMEOUT_SECONDS = 0.5
IGNORED_TABLES = frozenset({"django_session"})

_ROW_WRITE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?P<table>[\w.]+)"?', re.IGNORECASE
)
_OTHER_WRITE = re.compile(
    r"\s*(?:TRUNCATE|COPY|MERGE|ALTER|CREATE|DROP)\b", re.IGNORECASE
)
_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def new_data_version() -> None:
    """Store a new data version, so that every stored page is rendered again."""
    try:
        cache.set(DATA_VERSION_KEY, _make_version(), timeout=None)
        channel = _change_channel()
        if channel is not None:
            client, name = channel
            client.publish(name, b"")
            # Redis writes the announcement to subscribers in the same pass
            # of its event loop as its reply to PUBLISH, and reads PING in a
            # later pass. So once PING is replied to, every listener has it.
            client.ping()
        LOCAL_VERSION.forget()
    except Exception:
        # The write is kept, but pages stored before it stay served until
        # they expire (MEX_PAGE_CACHE_SECONDS).
        logger.exception("Failed to store a new data version in the cache")


def current_data_version(found: dict) -> str:
    """Return the data version from a ``cache.get_many`` result, or make one.

    A version set before the Redis server last started is replaced. Redis
    reloads such a version from its append-only file, with the pages stored
    under it, and writes made while Redis was down (or in its last unsaved
    second) could not replace it.
    """
    version = found.get(DATA_VERSION_KEY)
    run_id = _server_run_id()
    if version is None:
        cache.add(DATA_VERSION_KEY, _make_version(), timeout=None)
    elif run_id and not version.startswith(f"{run_id}-"):
        logger.info(
            "Data version %s was set before Redis server run %s started, "
            "so a new one is set",
            version,
            run_id,
        )
        new_data_version()
    else:
        return version
    return cache.get(DATA_VERSION_KEY)


def _make_version() -> str:
    """Return a new data version: the Redis server's run id and a random part."""
    return f"{_server_run_id()}-{uuid.uuid4().hex}"


def _server_run_id() -> str:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, SharedClientRedisCache):
        return backend.server_run_id()
    return ""


def is_data_write(sql) -> bool:
    """Return whether a statement can change rows that a page shows."""
    if not isinstance(sql, str):
        return True
    if sql.lstrip()[:4].upper() == "WITH":
        return bool(_WRITE_IN_CTE.search(sql))
    match = _ROW_WRITE.match(sql)
    if match is not None:
        return match.group("table").split(".")[-1] not in IGNORED_TABLES
    return _OTHER_WRITE.match(sql) is not None


def _watch_writes(execute, sql, params, many, context):
    """Run a statement, then set a new data version if it wrote data."""
    result = execute(sql, params, many, context)
    if is_data_write(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            new_data_version()
        elif not any(
            callback is new_data_version
            for _savepoints, callback, _robust in connection.run_on_commit
        ):
            # One new version per transaction, once it commits: a page that
            # another request renders meanwhile reads the old rows and keeps
            # the old version, so it is not served after the commit.
            connection.on_commit(new_data_version)
    return result


def _add_watcher(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def install_write_watcher() -> None:
    """Watch every database connection, present and future, for writes."""
    connection_created.connect(_add_watcher, dispatch_uid="mex.dataversion")
    for connection in connections.all(initialized_only=True):
        _add_watcher(sender=None, connection=connection)


# --- The version as this process last read it ----------------------------------------


def _change_channel():
    """Return the Redis client and channel that announce new versions, or None.

    None unless the default cache is Redis. Channels are shared by all of a
    server's databases, so the name contains the database number.
    """
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None
    client = backend._cache.get_client(write=True)
    database = client.connection_pool.connection_kwargs.get("db", 0)
    return client, f"{backend.make_key(DATA_VERSION_KEY)}:changed:{database}"


class LocalVersion:
    """The data version this process last read, for as long as it is known current.

    The process subscribes to the channel on which ``new_data_version``
    announces every change, before it trusts any version it reads. It
    drops the version at each announcement, after
    ``LOCAL_VERSION_SECONDS``, and whenever the channel fails, and then
    reads it from Redis again. A writer answers its request only after
    Redis has answered its PING that follows PUBLISH, and by then every
    subscribed process has the announcement waiting on its socket, which
    the next request here reads first.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pid = None
        self._pubsub = None
        self._version = None
        self._read_at = 0.0
        self._retry_at = 0.0
        # Changes at every announcement and every new subscription, so that
        # a version read before either is never trusted.
        self._ticket = 0

    def get(self) -> tuple[str | None, int]:
        """Return the version known current (or None) and a ticket for ``read``."""
        with self._lock:
            if not self._listening():
                return None, 0
            try:
                while self._pubsub.get_message(timeout=0) is not None:
                    self._forget()
            except Exception as error:
                logger.warning(
                    "Data version channel failed: %r; reading the version from Redis "
                    "until it is back",
                    error,
                )
                self._stop()
                return None, 0
            if time.monotonic() - self._read_at > LOCAL_VERSION_SECONDS:
                self._version = None
            return self._version, self._ticket

    def read(self, version: str, ticket: int) -> None:
        """Record a version read from Redis after ``get`` returned ``ticket``."""
        with self._lock:
            if ticket and ticket == self._ticket and self._pubsub is not None:
                self._version = version
                self._read_at = time.monotonic()

    def forget(self) -> None:
        """Forget the version, as at an announcement of a new one."""
        with self._lock:
            self._forget()

    def reset(self) -> None:
        """Stop listening and forget the version."""
        with self._lock:
            self._stop()
            self._retry_at = 0.0

    def _forget(self) -> None:
        self._version = None
        self._ticket += 1

    def _listening(self) -> bool:
        if self._pid != os.getpid():
            # A forked process shares its parent's socket: never read it.
            self._pubsub = None
            self._pid = os.getpid()
            self._forget()
        if self._pubsub is not None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        try:
            self._subscribe()
        except Exception as error:
            logger.warning(
                "Failed to subscribe to data version changes: %r; reading the "
                "version from Redis, next attempt in %.0f s",
                error,
                LISTEN_RETRY_SECONDS,
            )
            self._stop()
            return False
        return self._pubsub is not None

    def _subscribe(self) -> None:
        channel = _change_channel()
        if channel is None:
            self._retry_at = float("inf")
            return
        client, name = channel
        pubsub = client.pubsub()
        self._pubsub = pubsub
        pubsub.subscribe(name)
        deadline = time.monotonic() + SUBSCRIBE_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT_SECONDS)
            if message is not None and message["type"] == "subscribe":
                self._forget()
                return
        raise TimeoutError(
            f"SUBSCRIBE {name} not confirmed within {SUBSCRIBE_TIMEOUT_SECONDS} s"
        )

    def _stop(self) -> None:
        if self._pubsub is not None:
            try:
                self._pubsub.close()
            except Exception:
                logger.debug("Closing the data version channel failed", exc_info=True)
        self._pubsub = None
        self._retry_at = time.monotonic() + LISTEN_RETRY_SECONDS
        self._forget()


LOCAL_VERSION = LocalVersion()


@receiver(setting_changed)
def _listen_afresh(setting, **kwargs) -> None:
    if setting == "CACHES":
        LOCAL_VERSION.reset()
