"""One version of MEX's data, changed by every write to the database.

``mex.pagecache`` stores each page with the version it read before
rendering and serves it only while the version is unchanged. The version
lives in the shared cache, so that a write made by any web process or worker
reaches every process on its next request.

``install_write_watcher`` wraps every database connection: an INSERT,
UPDATE, DELETE, TRUNCATE, COPY or schema change that Django sends (bulk,
``QuerySet.update`` and raw SQL through ``connection.cursor`` included) sets a
new version, after its transaction commits. Writes to the session table are
left out, because pages read nothing from a session but what the page key
holds. Writes made outside Django, such as SQL typed into psql, set no
version: such pages are served until ``MEX_PAGE_CACHE_SECONDS`` pass.
"""

import logging
import re
import uuid

from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

DATA_VERSION_KEY = "mex:data-version"
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
        cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # The write is kept, but pages stored before it stay served until
        # they expire (MEX_PAGE_CACHE_SECONDS).
        logger.exception("Failed to store a new data version in the cache")


def current_data_version(found: dict) -> str:
    """Return the data version from a ``cache.get_many`` result, or make one."""
    version = found.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


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
