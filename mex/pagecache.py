"""Rendered pages kept in the shared cache until MEX's data changes.

A view decorated with ``cached_page`` stores its rendered HTML with the data
version (``mex.dataversion``) read before rendering, and serves it again only
while that version is current, so a change to any row shows on the next
request. The key holds the view, scheme, host, full path, language and
release (``release_fingerprint``), and either "anonymous" or, for a
signed-in session, the session key. A page stored for a session also records
the session's user, password hash and active organization, and it is served
only while the session still contains the same ones.

Pages are also kept in the process's memory and served from there without
asking Redis while ``LOCAL_VERSION`` trusts their data version as current.
A signed-in session's page is kept no longer than the session has left in
Redis.

The stored copy holds no CSRF token. The page is rendered with a placeholder,
and each response replaces it with a fresh token for its own request. The
placeholder is derived from ``SECRET_KEY``, so text that users write (a
vacancy description, a name) cannot contain it and so never receives the
reader's token.

A page is rendered without the cache when the request has messages waiting
or query parameters that the view does not list. It is not stored when the
view set a cookie or a header, changed the session, added a message, used a
real CSRF token or a CSP nonce, answered other than 200, ran inside a
transaction (which may yet roll back) or called ``do_not_store``. Nor is it
stored when Django's authentication did not confirm the session's user, or
when the path is not the one ``reverse`` gives the view.
"""

import functools
import hashlib
import hmac
import importlib.metadata
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from accounts.tenancy import ACTIVE_ORGANIZATION_SESSION_KEY
from mex.dataversion import DATA_VERSION_KEY, LOCAL_VERSION, current_data_version

logger = logging.getLogger(__name__)

PAGE_KEY_PREFIX = "mex:page:"
ANONYMOUS = "anonymous"
_RENDERING_ATTRIBUTE = "_mex_page_cache_rendering"
_FRESH_UNTIL_ATTRIBUTE = "_mex_page_fresh_until"
_DO_NOT_STORE_ATTRIBUTE = "_mex_page_do_not_store"
_CACHED_DB_SESSIONS = frozenset(
    {"django.contrib.sessions.backends.cached_db", "mex.sessions"}
)
# The engine that sets a new data version once a session change reaches the
# cache. With any other engine, a session's page is not kept in memory.
_VERSIONED_SESSIONS = "mex.sessions"


def cached_page(
    view: Callable | None = None,
    *,
    query_params: tuple[str, ...] = (),
    headers_added_outside: tuple[str, ...] = (),
) -> Callable:
    """Serve a view's page from the shared cache while MEX's data is unchanged.

    ``query_params`` lists the query parameters the view reads. A request
    with any other parameter is rendered without the cache, so that made-up
    query strings cannot fill it. ``headers_added_outside`` names headers
    that the view sets and that a decorator outside this one sets again on
    every response, such as ``never_cache``'s: they do not prevent storing.
    Put this decorator outside ``login_required``: it serves a signed-in page
    only to the session whose sign-in Django confirmed when rendering it.
    """
    if view is None:
        return functools.partial(
            cached_page,
            query_params=query_params,
            headers_added_outside=headers_added_outside,
        )
    allowed = frozenset(query_params)
    storable_headers = frozenset({"Content-Type", *headers_added_outside})
    name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request, allowed):
            return view(request, *args, **kwargs)
        lookup = _Lookup(request, name)
        version, ticket = LOCAL_VERSION.get()
        entry = _local_pages.get(lookup.local_key)
        if entry is not None and _current_in_memory(entry, version):
            if lookup.session_page_key is not None:
                # As on a page from Redis: SessionMiddleware adds "Vary: Cookie".
                request.session.accessed = True
            return _response_from(request, entry)
        try:
            found = lookup.read()
        except Exception as error:
            _log_cache_unavailable(name, error)
            return view(request, *args, **kwargs)
        LOCAL_VERSION.read(lookup.version, ticket)
        entry = lookup.current_entry(found)
        if entry is not None:
            _keep_local(lookup, entry)
            return _response_from(request, entry)
        return _render_and_store(
            request, view, (args, kwargs), lookup, storable_headers
        )

    return wrapper


def data_free_page(
    view: Callable | None = None, *, headers_added_outside: tuple[str, ...] = ()
) -> Callable:
    """Keep a page that reads no data in this process's memory.

    For a page that only the path, host, language and release decide, such
    as the blank sign-in form. With no data version to compare, serving it
    takes no round trip to the shared cache. A render is kept only if it ran
    no SQL at all, so a page that comes to read data is rendered every time,
    with a warning in the log, instead of going stale. A page is kept for at
    most ``MEX_PAGE_CACHE_SECONDS``, as in the shared cache. Only requests
    without a session and without query parameters are served from memory;
    others go to the view. ``headers_added_outside`` is as for
    ``cached_page``.
    """
    if view is None:
        return functools.partial(
            data_free_page, headers_added_outside=headers_added_outside
        )
    storable_headers = frozenset({"Content-Type", *headers_added_outside})
    name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.session.session_key or not _cacheable_request(request, frozenset()):
            return view(request, *args, **kwargs)
        key = _page_description(request, name)
        entry = _data_free_pages.get(key)
        if entry is not None and entry["fresh_until"] > time.time():
            return _response_from(request, entry)
        with _SqlCounter() as counter:
            response, content, storable = _render(
                request, view, (args, kwargs), storable_headers
            )
        expires = getattr(request, _FRESH_UNTIL_ATTRIBUTE, None) is not None
        if counter.statements:
            logger.warning(
                "%s ran %d SQL statements while rendering, so it is not kept "
                "in memory; serve it with cached_page instead",
                name,
                counter.statements,
            )
        elif storable and not expires and _identity_confirmed(request, ANONYMOUS):
            entry = {
                "fresh_until": time.time() + settings.MEX_PAGE_CACHE_SECONDS,
                "content": content,
                "content_type": response["Content-Type"],
            }
            _keep_data_free_page(key, entry)
        return response

    return wrapper


# While Redis is down every request fails to read it, so one traceback per
# this many seconds is logged, with a count, instead of one per request.
UNAVAILABLE_LOG_SECONDS = 60
_unavailable_logged_at = float("-inf")
_unavailable_since_log = 0


def _log_cache_unavailable(name: str, error: Exception) -> None:
    global _unavailable_logged_at, _unavailable_since_log
    _unavailable_since_log += 1
    now = time.monotonic()
    if now - _unavailable_logged_at < UNAVAILABLE_LOG_SECONDS:
        return
    logger.error(
        "Page cache unavailable; rendering %s uncached (%d requests rendered "
        "uncached in this process since the last such message)",
        name,
        _unavailable_since_log,
        exc_info=error,
    )
    _unavailable_logged_at = now
    _unavailable_since_log = 0


def fresh_until(request: HttpRequest, moment) -> None:
    """Keep the page being rendered no later than ``moment`` (a datetime).

    For content that changes with time rather than with data, such as a
    badge that expires.
    """
    current = getattr(request, _FRESH_UNTIL_ATTRIBUTE, None)
    timestamp = moment.timestamp()
    if current is None or timestamp < current:
        setattr(request, _FRESH_UNTIL_ATTRIBUTE, timestamp)


def do_not_store(request: HttpRequest) -> None:
    """Render the page being rendered without storing it.

    For a request that a view serves, but under an address of its own that
    no link gives, such as an invalid page number: stored, each such address
    would take a page of its own in the cache.
    """
    setattr(request, _DO_NOT_STORE_ATTRIBUTE, True)


def csrf_placeholder(request: HttpRequest) -> dict:
    """Template context processor: the placeholder in place of the CSRF token.

    Only while ``cached_page`` renders a page; Django's own ``csrf_token``
    stays in every other render.
    """
    if getattr(request, _RENDERING_ATTRIBUTE, False):
        return {"csrf_token": csrf_placeholder_text()}
    return {}


def csrf_placeholder_text() -> str:
    """Return the text rendered where the CSRF token goes while caching a page.

    Every response replaces it, so it never reaches a browser. It is a keyed
    digest of ``SECRET_KEY``: a fixed text could be typed into a vacancy
    description, and each reader's token would then be written into it.
    """
    return _placeholder_for(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _placeholder_for(secret_key: str) -> str:
    digest = hmac.new(
        secret_key.encode(), b"mex.pagecache.csrf-placeholder", hashlib.sha256
    )
    return f"mex-csrf-{digest.hexdigest()[:32]}"


def _cacheable_request(request: HttpRequest, allowed: frozenset[str]) -> bool:
    if not settings.MEX_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    query = request.META.get("QUERY_STRING")
    if query and any(parameter not in allowed for parameter in request.GET):
        return False
    # Counting the messages without iterating leaves them waiting for the
    # page that will show them.
    return not len(messages.get_messages(request))


class _Lookup:
    """The keys of one request's page, and what the cache holds for them."""

    def __init__(self, request: HttpRequest, name: str):
        self.request = request
        session_key = request.session.session_key
        page = _page_description(request, name)
        self.anonymous_key = _page_key(page, ANONYMOUS)
        self.session_page_key = (
            _page_key(page, f"session:{session_key}") if session_key else None
        )
        # With sessions read through this same cache, the session comes in
        # the same round trip as the page.
        self.session_cache_key = None
        if session_key and _sessions_in_page_cache():
            self.session_cache_key = cached_db.KEY_PREFIX + session_key
        self.identity = ANONYMOUS
        self.version = ""
        # When the session read with the page expires (None when Redis
        # returned no expiry for it).
        self.session_expires_at = None

    @property
    def key(self) -> str:
        return (
            self.anonymous_key if self.identity == ANONYMOUS else self.session_page_key
        )

    @property
    def local_key(self) -> str:
        """Return the key of this requester's page in process memory."""
        return self.session_page_key or self.anonymous_key

    def read(self) -> dict:
        """Read the pages, the data version and the session in one round trip.

        With the session comes the time it has left in Redis, which bounds
        how long its page may be kept in process memory.
        """
        keys = [self.anonymous_key, DATA_VERSION_KEY]
        keys += [key for key in (self.session_page_key, self.session_cache_key) if key]
        if self.session_cache_key and hasattr(cache, "get_many_with_ttl"):
            found, seconds = cache.get_many_with_ttl(keys, self.session_cache_key)
            if seconds is not None:
                self.session_expires_at = time.time() + seconds
        else:
            found = cache.get_many(keys)
        self.version = current_data_version(found)
        return found

    def current_entry(self, found: dict) -> dict | None:
        """Return the stored page if it is current and for this requester."""
        session = self.request.session
        if self.session_cache_key in found:
            self.identity = _identity(found[self.session_cache_key])
            # As if the session had been read: SessionMiddleware then adds
            # "Vary: Cookie", as it does to the page rendered afresh.
            session.accessed = True
        else:
            self.identity = _identity(session)
        entry = found.get(self.key)
        if entry is not None and _current(entry, self.version, self.identity):
            return entry
        return None


def _current(entry: dict, version: str | None, identity: str) -> bool:
    return (
        version is not None
        and entry["version"] == version
        and entry["identity"] == identity
        and entry["fresh_until"] > time.time()
    )


def _sessions_in_page_cache() -> bool:
    return (
        settings.SESSION_ENGINE in _CACHED_DB_SESSIONS
        and settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS
    )


def _identity(session) -> str:
    """Return the user a session names, without loading the user.

    The user's id and authentication backend, the hash that ties the session
    to their password, and the active organization.
    """
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return ANONYMOUS
    parts = (
        user_id,
        session.get(BACKEND_SESSION_KEY, ""),
        session.get(HASH_SESSION_KEY, ""),
        session.get(ACTIVE_ORGANIZATION_SESSION_KEY, ""),
    )
    return ":".join(str(part) for part in parts)


def _identity_confirmed(request: HttpRequest, identity: str) -> bool:
    """Return whether Django's authentication found the user the session names.

    A stored page is then served to this session only while the data version
    is unchanged, so while the user row is as Django checked it.
    """
    user = request.user
    if identity == ANONYMOUS:
        return not user.is_authenticated
    return user.is_authenticated and identity.startswith(f"{user.pk}:")


def _page_description(request: HttpRequest, name: str) -> str:
    """Return what, besides the requester, decides how a page renders."""
    parts = (
        name,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        release_fingerprint(),
    )
    return "\n".join(parts)


def _page_key(page: str, requester: str) -> str:
    digest = hashlib.blake2b(f"{page}\n{requester}".encode(), digest_size=20)
    return PAGE_KEY_PREFIX + digest.hexdigest()


def _response_from(request: HttpRequest, entry: dict) -> HttpResponse:
    return HttpResponse(
        _with_csrf_token(request, entry["content"]),
        content_type=entry["content_type"],
    )


def _with_csrf_token(request: HttpRequest, content: bytes) -> bytes:
    placeholder = csrf_placeholder_text().encode("ascii")
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def _render_and_store(
    request, view, arguments, lookup: _Lookup, storable_headers: frozenset[str]
) -> HttpResponse:
    response, content, storable = _render(request, view, arguments, storable_headers)
    if storable and _identity_confirmed(request, lookup.identity):
        _store(request, lookup, content, response["Content-Type"])
    return response


def _render(
    request, view, arguments, storable_headers: frozenset[str]
) -> tuple[HttpResponse, bytes | None, bool]:
    """Render the view with the CSRF placeholder.

    Return the response, which carries the request's own token, the content
    with the placeholder, and whether that content may be kept.
    """
    args, kwargs = arguments
    token_used_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    setattr(request, _RENDERING_ATTRIBUTE, True)
    try:
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):
            response.render()
    finally:
        delattr(request, _RENDERING_ATTRIBUTE)
    if response.streaming:
        return response, None, False
    content = response.content
    storable = _storable(request, response, token_used_before, storable_headers)
    response.content = _with_csrf_token(request, content)
    return response, content, storable


def _storable(
    request, response, token_used_before: bool, storable_headers: frozenset[str]
) -> bool:
    in_transaction = any(
        connection.in_atomic_block
        for connection in connections.all(initialized_only=True)
    )
    token_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    # The response's Content-Security-Policy names the nonce only when the
    # render used it, and a hit would carry the nonce of another response.
    nonce_used = bool(get_nonce(request))
    # A message added while rendering would not be added again on a hit.
    message_added = getattr(messages.get_messages(request), "added_new", False)
    return (
        response.status_code == 200
        and not response.cookies
        and set(response.headers) <= storable_headers
        and not (token_used_before or token_used)
        and not nonce_used
        and not request.session.modified
        and not message_added
        and not in_transaction
        and not getattr(request, _DO_NOT_STORE_ATTRIBUTE, False)
        and _at_canonical_path(request)
    )


def _at_canonical_path(request) -> bool:
    """Return whether the request's path is the one ``reverse`` gives its view.

    Path converters accept other spellings (the int converter matches "0004"
    too), and each spelling would be a page of its own in the cache.
    """
    match = request.resolver_match
    if match is None:
        return True
    try:
        canonical = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return False
    return canonical == request.path


def _store(request, lookup: _Lookup, content: bytes, content_type: str) -> None:
    lifetime = settings.MEX_PAGE_CACHE_SECONDS
    expires_at = time.time() + lifetime
    limit = getattr(request, _FRESH_UNTIL_ATTRIBUTE, None)
    if limit is not None:
        expires_at = min(expires_at, limit)
        lifetime = int(expires_at - time.time())
        if lifetime <= 0:
            return
    entry = {
        "version": lookup.version,
        "identity": lookup.identity,
        "fresh_until": expires_at,
        "content": content,
        "content_type": content_type,
    }
    try:
        cache.set(lookup.key, entry, timeout=lifetime)
    except Exception:
        logger.exception("Failed to store page %s in the cache", lookup.key)
        return
    _keep_local(lookup, entry)


# --- Pages kept in process memory ---------------------------------------------

DATA_FREE_PAGES_KEPT = 64
_data_free_pages: OrderedDict[str, dict] = OrderedDict()


def _keep_data_free_page(key: str, entry: dict) -> None:
    _keep(_data_free_pages, key, entry, DATA_FREE_PAGES_KEPT)


# Pages of the shared cache also kept here, served while their version is
# the one LOCAL_VERSION trusts.
LOCAL_PAGES_KEPT = 256
LOCAL_PAGE_MAX_BYTES = 256 * 1024
_local_pages: OrderedDict[str, dict] = OrderedDict()


def _keep_local(lookup: _Lookup, entry: dict) -> None:
    """Keep a page, just read from Redis or rendered, in process memory.

    A page of a session is kept under the session's key, and only until the
    session expires in Redis. Any other change to the session (signing out,
    a new password, another organization) sets a new data version once it
    reaches Redis (``mex.sessions``), so it ends the page anyway.
    """
    if len(entry["content"]) > LOCAL_PAGE_MAX_BYTES:
        return
    until = entry["fresh_until"]
    if lookup.session_page_key is None:
        if entry["identity"] != ANONYMOUS:
            return
    elif (
        settings.SESSION_ENGINE != _VERSIONED_SESSIONS
        or lookup.session_expires_at is None
        or entry["identity"] != lookup.identity
    ):
        return
    else:
        until = min(until, lookup.session_expires_at)
    kept = {**entry, "kept_until": until}
    _keep(_local_pages, lookup.local_key, kept, LOCAL_PAGES_KEPT)


def _current_in_memory(entry: dict, version: str | None) -> bool:
    return (
        version is not None
        and entry["version"] == version
        and entry["kept_until"] > time.time()
    )


_memory_lock = threading.Lock()


def _keep(pages: OrderedDict, key: str, entry: dict, limit: int) -> None:
    """Keep a page in memory, dropping the least recently kept beyond ``limit``."""
    with _memory_lock:
        pages[key] = entry
        pages.move_to_end(key)
        while len(pages) > limit:
            pages.popitem(last=False)


@receiver(setting_changed)
def _forget_pages_in_memory(**kwargs) -> None:
    # Pages rendered under the old settings get keys of their own in the
    # shared cache too.
    release_fingerprint.cache_clear()
    _data_free_pages.clear()
    _local_pages.clear()


class _SqlCounter:
    """Count the SQL statements run on any database connection while open."""

    def __init__(self):
        self.statements = 0
        self._stack = ExitStack()

    def __enter__(self) -> "_SqlCounter":
        for alias in connections:
            self._stack.enter_context(connections[alias].execute_wrapper(self))
        return self

    def __exit__(self, *exc_info) -> None:
        self._stack.close()

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


# --- Release fingerprint --------------------------------------------------------

_SOURCE_FOLDERS = (
    "accounts",
    "applicants",
    "badges",
    "colleges",
    "matching",
    "mex",
    "vacancies",
    "templates",
    "locale",
)
_SOURCE_SUFFIXES = {".py", ".html", ".txt", ".mo"}


@functools.cache
def release_fingerprint() -> str:
    """Return a digest of the code, templates, translations and settings.

    Pages stored by another release (older templates, other settings) get
    other keys, so a deployment never serves them. Settings values enter only
    this one-way digest. A change of settings (``override_settings`` in
    tests) computes it again.
    """
    digest = hashlib.blake2b(digest_size=12)
    digest.update(_code_fingerprint().encode())
    values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
    digest.update(json.dumps(values, sort_keys=True, default=str).encode())
    return digest.hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """Return a digest of the source files and installed packages.

    Computed once per process, because it reads every source file.
    """
    digest = hashlib.blake2b(digest_size=12)
    base = Path(settings.BASE_DIR)
    for folder in _SOURCE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in _SOURCE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()
