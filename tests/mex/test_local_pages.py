"""Anonymous pages served from process memory while Redis announces no change.

Each process listens on a Redis channel where every new data version is
announced, so it can serve a page it keeps in memory without asking Redis,
and still show every change on the next request. These stories use Redis,
as production does, and commit their writes.
"""

import time
import uuid
from collections.abc import Callable
from importlib import import_module
from unittest.mock import Mock

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from accounts.tenancy import ACTIVE_ORGANIZATION_SESSION_KEY
from mex import cache as mex_cache
from mex import dataversion, pagecache
from mex.dataversion import DATA_VERSION_KEY, LOCAL_VERSION
from tests.factories import (
    ApplicantFactory,
    MatchFactory,
    MembershipFactory,
    UserFactory,
    VacancyFactory,
)
from tests.services import require_broker
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """Use Redis under a key prefix of this story's own."""
    settings.MEX_PAGE_CACHE = True
    url = require_broker()
    prefix = f"mex-test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "mex.cache.SharedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield redis.Redis.from_url(url)
    server = redis.Redis.from_url(url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def _set_version_unannounced() -> None:
    cache.set(DATA_VERSION_KEY, dataversion._make_version(), timeout=None)


def _list_page(client=None):
    return (client or Client()).get(reverse("vacancies:list"))


def test_second_visit_served_from_memory(django_assert_num_queries, monkeypatch):
    VacancyFactory(title="Night shift PSW")
    _list_page()
    monkeypatch.setattr(pagecache, "cache", Mock(spec=[]))

    with django_assert_num_queries(0):
        response = _list_page()

    assert response.status_code == 200
    assert b"Night shift PSW" in response.content


def test_change_shows_on_next_visit():
    vacancy = VacancyFactory(title="Night shift PSW")
    _list_page()
    _list_page()

    Vacancy.objects.filter(pk=vacancy.pk).update(title="Weekend PSW")
    response = _list_page()

    assert b"Weekend PSW" in response.content
    assert b"Night shift PSW" not in response.content


def test_change_waits_for_its_announcement(redis_cache, monkeypatch):
    vacancy = VacancyFactory(title="Night shift PSW")
    _list_page()
    _list_page()
    monkeypatch.setattr(dataversion, "LOCAL_VERSION_SECONDS", 60)
    _client, channel = dataversion._change_channel()

    # As if another process wrote and set a new version, and its announcement
    # were still on its way.
    with monkeypatch.context() as patch:
        patch.setattr(dataversion, "new_data_version", _set_version_unannounced)
        Vacancy.objects.filter(pk=vacancy.pk).update(title="Weekend PSW")
    before = _list_page()
    redis_cache.publish(channel, b"")
    redis_cache.ping()
    after = _list_page()

    assert b"Night shift PSW" in before.content
    assert b"Weekend PSW" in after.content


def test_lost_channel_falls_back_to_redis(redis_cache):
    vacancy = VacancyFactory(title="Night shift PSW")
    _list_page()
    _list_page()
    host, port = LOCAL_VERSION._pubsub.connection._sock.getsockname()[:2]
    redis_cache.client_kill_filter(addr=f"{host}:{port}")

    # The announcement of this write reaches no listener of this process.
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Weekend PSW")
    response = _list_page()

    assert b"Weekend PSW" in response.content


def test_silent_channel_trust_expires(redis_cache, monkeypatch):
    vacancy = VacancyFactory(title="Night shift PSW")
    _list_page()
    _list_page()
    monkeypatch.setattr(dataversion, "LOCAL_VERSION_SECONDS", 0.05)
    # The channel stays open but brings nothing, as over a dead network path.
    monkeypatch.setattr(LOCAL_VERSION._pubsub, "get_message", lambda timeout: None)

    Vacancy.objects.filter(pk=vacancy.pk).update(title="Weekend PSW")
    time.sleep(0.1)
    response = _list_page()

    assert b"Weekend PSW" in response.content


def _matches_client() -> Client:
    applicant = ApplicantFactory()
    MatchFactory(applicant=applicant)
    client = Client()
    client.force_login(applicant.user)
    client.get(reverse("applicants:matches"))
    client.get(reverse("applicants:matches"))
    return client


def test_signed_in_page_served_from_memory(django_assert_num_queries, monkeypatch):
    client = _matches_client()
    monkeypatch.setattr(pagecache, "cache", Mock(spec=[]))

    with django_assert_num_queries(0):
        response = client.get(reverse("applicants:matches"))

    assert response.status_code == 200
    assert "Cookie" in response["Vary"]


def test_signed_in_page_kept_for_its_session_only():
    _matches_client()
    other = Client()
    other.force_login(UserFactory())

    response = other.get(reverse("applicants:matches"))

    assert response.status_code != 200


def test_sign_out_ends_page_in_memory():
    client = _matches_client()
    session_key = client.cookies["sessionid"].value

    # Signing out in another process deletes the session.
    _session_store(session_key).delete()
    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def _session_store(session_key: str):
    """Return the session store of the configured engine, as a view gets it."""
    return import_module(django_settings.SESSION_ENGINE).SessionStore(session_key)


class _CacheWithRequestBetween:
    """The session store's cache, with another request run before one call.

    As when a request of the same session reaches another worker after the
    session's database row has changed but before its copy in Redis has.
    """

    def __init__(self, store, method: str, request: Callable[[], object]):
        self._cache = store._cache
        self._method = method
        self._request = request

    def __getattr__(self, name):
        call = getattr(self._cache, name)
        if name != self._method:
            return call

        def with_request_first(*args, **kwargs):
            self._request()
            return call(*args, **kwargs)

        return with_request_first


def test_sign_out_ends_page_rendered_meanwhile():
    client = _matches_client()
    store = _session_store(client.cookies["sessionid"].value)

    # A request of the session renders the page after the row is deleted
    # and before the session leaves Redis.
    store._cache = _CacheWithRequestBetween(
        store, "delete", lambda: client.get(reverse("applicants:matches"))
    )
    store.delete()
    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 302


def test_sign_out_of_session_only_in_redis():
    client = _matches_client()
    session_key = client.cookies["sessionid"].value
    # The row is gone, as after a database restore, but Redis still has the
    # session, so the page is rendered and kept again.
    Session.objects.filter(session_key=session_key).delete()
    client.get(reverse("applicants:matches"))
    client.get(reverse("applicants:matches"))

    _session_store(session_key).delete()
    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 302


def test_organization_switch_ends_page_rendered_meanwhile():
    first = MembershipFactory(organization__name="Harbour Care")
    second = MembershipFactory(user=first.user, organization__name="Lakeside Home")
    client = Client()
    client.force_login(first.user)
    _list_page(client)
    _list_page(client)
    store = _session_store(client.cookies["sessionid"].value)

    store._cache = _CacheWithRequestBetween(store, "set", lambda: _list_page(client))
    store[ACTIVE_ORGANIZATION_SESSION_KEY] = second.organization_id
    store.save()
    response = _list_page(client)

    # The menu lists both organizations and links the active one.
    link = f'href="{reverse("accounts:organization")}">Lakeside Home</a>'
    assert link.encode() in response.content


def test_plain_cached_db_sessions_keep_no_page(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

    _matches_client()

    identities = {entry["identity"] for entry in pagecache._local_pages.values()}
    assert identities <= {pagecache.ANONYMOUS}


def test_page_in_memory_ends_with_session(settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 1
    monkeypatch.setattr(dataversion, "LOCAL_VERSION_SECONDS", 60)
    client = _matches_client()

    # The session runs out, which writes nothing.
    time.sleep(1.2)
    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 302


def test_announcement_drops_local_version(redis_cache):
    VacancyFactory()
    _list_page()
    _list_page()
    before, _ticket = LOCAL_VERSION.get()

    dataversion.new_data_version()
    after, _ticket = LOCAL_VERSION.get()

    assert before is not None
    assert after is None
    assert redis_cache.exists(pagecache.cache.make_key(DATA_VERSION_KEY))


def _restart_redis(redis_cache, monkeypatch, restored: dict[bytes, tuple]) -> None:
    """Restart Redis as far as this process can tell, from an older saved state.

    The server comes back with a new run id and the keys of ``restored``, as
    when it reloads its append-only file, and every connection to it is gone.
    """
    for key, (ttl, value) in restored.items():
        redis_cache.restore(key, max(ttl, 0), value, replace=True)
    monkeypatch.setattr(mex_cache, "_run_id_from_info", lambda info: "restarted")
    for pool in pagecache.cache._cache._pools.values():
        connections = [*pool._available_connections, *pool._in_use_connections]
        for connection in connections:
            if connection._sock is not None:
                host, port = connection._sock.getsockname()[:2]
                redis_cache.client_kill_filter(addr=f"{host}:{port}")


def _saved_state(redis_cache) -> dict[bytes, tuple]:
    pattern = pagecache.cache.make_key("*")
    return {
        key: (redis_cache.pttl(key), redis_cache.dump(key))
        for key in redis_cache.scan_iter(pattern)
    }


def test_restored_version_not_trusted_after_restart(redis_cache, monkeypatch):
    vacancy = VacancyFactory(title="Night shift PSW")
    _list_page()
    _list_page()
    saved = _saved_state(redis_cache)

    # Redis restarts while the change is being made, and its append-only file
    # brings back the version and the pages from before it.
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Weekend PSW")
    _restart_redis(redis_cache, monkeypatch, saved)
    responses = [_list_page() for _ in range(3)]

    for response in responses:
        assert b"Weekend PSW" in response.content
