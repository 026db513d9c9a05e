"""Cached pages show every change on the next request and only to their owner.

The tests commit their writes (transactional database), as requests in
production do, because a page rendered inside a transaction is never stored.
Each story runs once with the per-process memory cache and once with Redis,
the cache production uses.
"""

import re
import time
import uuid
from datetime import timedelta
from unittest.mock import Mock

import pytest
import redis
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import LazyNonce

from accounts.models import Membership
from badges.services import badge_issue, badge_revoke
from colleges.models import Course
from matching.models import Match
from mex import pagecache
from mex.pagecache import (
    PAGE_KEY_PREFIX,
    cached_page,
    csrf_placeholder_text,
    data_free_page,
)
from tests.colleges.factories import CompletedEnrolmentFactory, CourseFactory
from tests.factories import (
    PASSWORD,
    ApplicantFactory,
    MatchFactory,
    MembershipFactory,
    OrganizationFactory,
    SkillFactory,
    UserFactory,
    VacancyFactory,
    VacancySkillFactory,
)
from tests.services import require_broker
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(params=["memory", "redis"], autouse=True)
def page_cache(request, settings):
    """Run each story with the memory cache, then with Redis under a key prefix.

    The Redis cache is swapped back before tests/conftest.py empties the
    cache, because emptying a Redis cache empties its whole database.
    """
    settings.MEX_PAGE_CACHE = True
    if request.param == "memory":
        yield
        return
    url = require_broker()
    prefix = f"mex-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "mex.cache.SharedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=redis_cache):
        yield
    server = redis.Redis.from_url(url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def _get(client, url, **extra):
    """Return the response and the number of SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Vacancy list and vacancy page -------------------------------------------


def test_vacancy_list_served_from_cache():
    VacancyFactory(title="Night shift PSW")
    client = Client()

    _first, first_queries = _get(client, reverse("vacancies:list"))
    second, second_queries = _get(client, reverse("vacancies:list"))

    assert first_queries > 0
    assert second_queries == 0
    assert second.status_code == 200
    assert b"Night shift PSW" in second.content


def test_vacancy_list_shows_renamed_vacancy():
    vacancy = VacancyFactory(title="Night shift PSW")
    client = Client()
    client.get(reverse("vacancies:list"))

    vacancy.title = "Weekend PSW"
    vacancy.save()
    response = client.get(reverse("vacancies:list"))

    assert b"Weekend PSW" in response.content
    assert b"Night shift PSW" not in response.content


def test_vacancy_list_drops_vacancy_closed_by_bulk_update():
    vacancy = VacancyFactory(title="Night shift PSW")
    client = Client()
    client.get(reverse("vacancies:list"))

    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED)
    response = client.get(reverse("vacancies:list"))

    assert b"Night shift PSW" not in response.content


def test_vacancy_list_search_not_cached():
    VacancyFactory(title="Night shift PSW")
    client = Client()
    client.get(reverse("vacancies:list"), {"q": "night"})

    _response, queries = _get(client, reverse("vacancies:list"), data={"q": "night"})

    assert queries > 0


def test_vacancy_page_spelled_otherwise_not_stored():
    vacancy = VacancyFactory(title="Night shift PSW")
    client = Client()

    # The int converter also matches leading zeros: each spelling would be a
    # page of its own in the cache.
    responses = [
        client.get(f"/vacancies/{'0' * zeros}{vacancy.pk}/") for zeros in (1, 2)
    ]

    for response in responses:
        assert b"Night shift PSW" in response.content
    assert _stored_pages() == []


def test_vacancy_list_invalid_page_not_stored():
    VacancyFactory(title="Night shift PSW")
    client = Client()

    responses = [
        client.get(reverse("vacancies:list") + query)
        for query in ("?page=x1", "?page=99999", "?page=1&page=1")
    ]

    for response in responses:
        assert b"Night shift PSW" in response.content
    assert _stored_pages() == []


def test_vacancy_list_page_number_stored():
    VacancyFactory(title="Night shift PSW")
    client = Client()
    client.get(reverse("vacancies:list"), {"page": "1"})

    _response, queries = _get(client, reverse("vacancies:list"), data={"page": "1"})

    assert queries == 0


def test_vacancy_page_follows_changed_setting(settings):
    vacancy = VacancyFactory()
    client = Client()
    client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    settings.MEX_SITE_URL = "https://jobs.example.test"
    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    assert b"https://jobs.example.test" in response.content


def test_vacancy_page_shows_new_skill():
    vacancy = VacancyFactory()
    client = Client()
    client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    VacancySkillFactory(vacancy=vacancy, skill=SkillFactory(name="Wound care"))
    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    assert b"Wound care" in response.content


def test_vacancy_page_gone_once_closed():
    vacancy = VacancyFactory()
    client = Client()
    client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    vacancy.status = Vacancy.Status.CLOSED
    vacancy.save()
    response = client.get(reverse("vacancies:detail", args=[vacancy.pk]))

    assert response.status_code == 404


def test_public_page_keeps_user_menu_private():
    vacancy = VacancyFactory()
    url = reverse("vacancies:detail", args=[vacancy.pk])
    # Both sign in first: a sign-in writes last_login, a new data version.
    amina = _signed_in(UserFactory(email="amina@example.test"))
    omar = _signed_in(UserFactory(email="omar@example.test"))
    amina.get(url)

    anonymous = Client().get(url)
    other = omar.get(url)

    assert b"amina@example.test" not in anonymous.content
    assert b"amina@example.test" not in other.content
    assert b"omar@example.test" in other.content


def test_vacancy_page_shows_own_match_only():
    vacancy = VacancyFactory()
    url = reverse("vacancies:detail", args=[vacancy.pk])
    matched = ApplicantFactory()
    MatchFactory(vacancy=vacancy, applicant=matched, score=0.83)
    matched_client = _signed_in(matched.user)
    other_client = _signed_in(ApplicantFactory().user)
    matched_client.get(url)

    other = other_client.get(url)

    assert b"How you match" not in other.content


# --- Applicant's matches -------------------------------------------------------


def test_matches_served_from_cache_without_queries():
    applicant = ApplicantFactory()
    MatchFactory(applicant=applicant)
    client = _signed_in(applicant.user)
    client.get(reverse("applicants:matches"))

    response, queries = _get(client, reverse("applicants:matches"))

    assert response.status_code == 200
    assert queries == 0


def test_matches_show_new_score():
    applicant = ApplicantFactory()
    match = MatchFactory(applicant=applicant, score=0.75)
    client = _signed_in(applicant.user)
    client.get(reverse("applicants:matches"))

    Match.objects.filter(pk=match.pk).update(score=0.91)
    response = client.get(reverse("applicants:matches"))

    assert "91&nbsp;% fit" in response.text


def test_matches_show_newly_published_course():
    applicant = ApplicantFactory()
    skill = SkillFactory(name="Dementia care")
    vacancy = VacancyFactory()
    VacancySkillFactory(vacancy=vacancy, skill=skill, min_level=3)
    MatchFactory(applicant=applicant, vacancy=vacancy)
    course = CourseFactory(title="Dementia Care Essentials", status=Course.Status.DRAFT)
    course.skills_taught.create(skill=skill, level=3)
    client = _signed_in(applicant.user)
    before = client.get(reverse("applicants:matches"))

    course.status = Course.Status.PUBLISHED
    course.save()
    after = client.get(reverse("applicants:matches"))

    assert b"Dementia Care Essentials" not in before.content
    assert b"Dementia Care Essentials" in after.content


def test_matches_never_served_to_another_user():
    amina = ApplicantFactory()
    MatchFactory(applicant=amina, vacancy=VacancyFactory(title="Amina's vacancy"))
    omar = ApplicantFactory()
    MatchFactory(applicant=omar, vacancy=VacancyFactory(title="Omar's vacancy"))
    amina_client = _signed_in(amina.user)
    omar_client = _signed_in(omar.user)
    amina_client.get(reverse("applicants:matches"))

    response, queries = _get(omar_client, reverse("applicants:matches"))

    assert queries > 0
    assert b"Omar&#x27;s vacancy" in response.content
    assert b"Amina&#x27;s vacancy" not in response.content


def test_matches_need_sign_in_after_logout():
    applicant = ApplicantFactory()
    MatchFactory(applicant=applicant)
    client = _signed_in(applicant.user)
    session_cookie = client.cookies["sessionid"].value
    client.get(reverse("applicants:matches"))

    client.post(reverse("account_logout"))
    stolen = Client()
    stolen.cookies["sessionid"] = session_cookie
    response = stolen.get(reverse("applicants:matches"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_matches_need_sign_in_after_password_change():
    applicant = ApplicantFactory()
    MatchFactory(applicant=applicant)
    client = _signed_in(applicant.user)
    client.get(reverse("applicants:matches"))

    applicant.user.set_password("a new passphrase for Amina")
    applicant.user.save()
    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 302


def test_matches_need_sign_in_once_deactivated():
    applicant = ApplicantFactory()
    MatchFactory(applicant=applicant)
    client = _signed_in(applicant.user)
    client.get(reverse("applicants:matches"))

    type(applicant.user).objects.filter(pk=applicant.user.pk).update(is_active=False)
    response = client.get(reverse("applicants:matches"))

    assert response.status_code == 302


def test_menu_follows_organization_switch():
    user = UserFactory()
    first = MembershipFactory(user=user, organization=OrganizationFactory(name="Maple"))
    second = OrganizationFactory(name="Birch")
    Membership.objects.create(user=user, organization=second, role="owner")
    client = _signed_in(user)
    url = reverse("vacancies:list")
    before = client.get(url)

    client.post(reverse("accounts:switch"), {"organization": second.pk})
    after = client.get(url)

    assert f'href="/organization/">{first.organization.name}<' in before.text
    assert 'href="/organization/">Birch<' in after.text


# --- Badge verification --------------------------------------------------------


@pytest.fixture
def assertion():
    return badge_issue(enrolment_id=CompletedEnrolmentFactory().pk)


def test_verification_shows_revocation(assertion):
    client = Client()
    url = reverse("badges:verify", args=[assertion.public_id])
    before = client.get(url)

    badge_revoke(assertion_id=assertion.pk, reason="Issued to the wrong person")
    after = client.get(url)

    assert b'data-status="valid"' in before.content
    assert b'data-status="revoked"' in after.content
    assert b"Issued to the wrong person" in after.content


def test_verification_turns_expired_on_time(assertion):
    expires_on = timezone.now() + timedelta(seconds=3)
    type(assertion).objects.filter(pk=assertion.pk).update(expires_on=expires_on)
    client = Client()
    url = reverse("badges:verify", args=[assertion.public_id])
    client.get(url)

    cached, queries = _get(client, url)
    time.sleep(max((expires_on - timezone.now()).total_seconds(), 0) + 0.2)
    expired = client.get(url)

    assert queries == 0
    assert b'data-status="valid"' in cached.content
    assert b'data-status="expired"' in expired.content


# --- Sign-in page, CSRF, messages and language ------------------------------------


def test_login_page_gets_fresh_token_per_response():
    first_client, second_client = Client(), Client()
    first = first_client.get(reverse("account_login"))
    second, queries = _get(second_client, reverse("account_login"))

    first_tokens = set(TOKEN_FIELD.findall(first.content))
    second_tokens = set(TOKEN_FIELD.findall(second.content))
    assert queries == 0
    assert len(first_tokens) == 1
    assert len(second_tokens) == 1
    assert first_tokens != second_tokens
    assert csrf_placeholder_text().encode() not in second.content
    assert "csrftoken" in second.cookies


def test_login_with_token_from_cached_page():
    UserFactory(email="amina@example.test")
    Client().get(reverse("account_login"))
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_login"))
    token = TOKEN_FIELD.search(page.content).group(1).decode()

    response = client.post(
        reverse("account_login"),
        {"login": "amina@example.test", "password": PASSWORD},
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_stored_page_holds_no_token():
    VacancyFactory()
    client = Client()
    response = client.get(reverse("vacancies:list"))
    token = TOKEN_FIELD.search(response.content).group(1)

    stored = [
        entry
        for entry in _stored_pages()
        if csrf_placeholder_text().encode() in entry["content"]
    ]

    assert stored
    assert all(token not in entry["content"] for entry in stored)


def test_description_never_receives_reader_token():
    # An employer cannot learn the placeholder, so text written into a
    # vacancy is shown as written and never carries the reader's token.
    written = (
        "Apply at https://example.test/?ref=mex-page-cache-csrf-placeholder-3d9b7c1e"
    )
    vacancy = VacancyFactory(description=written)
    url = reverse("vacancies:detail", args=[vacancy.pk])
    client = Client()

    fresh = client.get(url)
    cached, queries = _get(client, url)

    assert queries == 0
    assert written.encode() in fresh.content
    assert written.encode() in cached.content


def test_placeholder_follows_secret_key(settings):
    first = csrf_placeholder_text()
    settings.SECRET_KEY = "another-secret-key-for-this-story-0123456789"

    assert csrf_placeholder_text() != first


def test_cached_page_keeps_security_headers():
    VacancyFactory()
    fresh = Client().get(reverse("vacancies:list"))
    cached = Client().get(reverse("vacancies:list"))

    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary"):
        assert cached[header] == fresh[header], header


def test_waiting_message_shown_on_cached_page():
    VacancyFactory()
    Client().get(reverse("vacancies:list"))
    client = Client()
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Your profile was saved.")]
    )

    response = client.get(reverse("vacancies:list"))

    assert b"Your profile was saved." in response.content


def test_language_kept_apart():
    VacancyFactory()
    Client().get(reverse("vacancies:list"))

    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("vacancies:list"))

    assert 'lang="fr"' in french.text


# --- What is stored, and when the version changes -----------------------------


def _stored_pages() -> list[dict]:
    """Return every page entry in the cache (memory or Redis)."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):
        keys = [key.split(":", 2)[2] for key in backend]
    else:
        prefix = cache.key_prefix
        server = cache._cache.get_client()
        keys = [
            key.decode().split(":", 2)[2] for key in server.scan_iter(f"{prefix}:*")
        ]
    pages = cache.get_many([key for key in keys if key.startswith(PAGE_KEY_PREFIX)])
    return list(pages.values())


def test_page_rendered_when_cache_down():
    VacancyFactory(title="Night shift PSW")
    # Nothing listens on port 1 of the loopback address.
    unreachable = {
        "default": {
            "BACKEND": "mex.cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    with override_settings(CACHES=unreachable):
        response = Client().get(reverse("vacancies:list"))

    assert response.status_code == 200
    assert b"Night shift PSW" in response.content


def test_cache_down_logged_once_a_minute(caplog, monkeypatch):
    VacancyFactory()
    monkeypatch.setattr(pagecache, "_unavailable_logged_at", float("-inf"))
    unreachable = {
        "default": {
            "BACKEND": "mex.cache.SharedClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    with override_settings(CACHES=unreachable):
        statuses = [Client().get(reverse("vacancies:list")).status_code for _ in "abc"]

    logged = [r for r in caplog.records if "Page cache unavailable" in r.getMessage()]
    assert statuses == [200, 200, 200]
    assert len(logged) == 1
    assert logged[0].exc_info is not None


def test_page_rendered_in_transaction_not_stored():
    VacancyFactory()
    client = Client()
    with transaction.atomic():
        client.get(reverse("vacancies:list"))

    _response, queries = _get(client, reverse("vacancies:list"))

    assert queries > 0


def test_login_page_keeps_no_cache_headers():
    fresh = Client().get(reverse("account_login"))
    cached, queries = _get(Client(), reverse("account_login"))

    assert queries == 0
    assert "no-store" in fresh["Cache-Control"]
    assert cached["Cache-Control"] == fresh["Cache-Control"]
    assert "Expires" in cached


def test_login_page_served_from_process_memory(monkeypatch):
    Client().get(reverse("account_login"))
    # The blank form reads no data: no SQL and no trip to the shared cache.
    monkeypatch.setattr(pagecache, "cache", Mock(side_effect=AssertionError))

    response, queries = _get(Client(), reverse("account_login"))

    assert response.status_code == 200
    assert queries == 0
    assert len(set(TOKEN_FIELD.findall(response.content))) == 1
    assert csrf_placeholder_text().encode() not in response.content
    assert "csrftoken" in response.cookies


def test_login_page_kept_apart_per_language():
    Client().get(reverse("account_login"))

    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("account_login"))

    assert 'lang="fr"' in french.text


def test_login_page_with_next_rendered_for_its_request():
    Client().get(reverse("account_login"))

    response = Client().get(reverse("account_login") + "?next=/me/matches/")

    assert b'value="/me/matches/"' in response.content


def test_page_reading_data_never_kept_in_memory(caplog):
    calls = []

    @data_free_page
    def counts_vacancies(request):
        calls.append(request)
        return HttpResponse(str(Vacancy.objects.count()))

    VacancyFactory()
    first = counts_vacancies(_anonymous_request())
    VacancyFactory()
    second = counts_vacancies(_anonymous_request())

    assert (first.content, second.content) == (b"1", b"2")
    assert len(calls) == 2
    assert "counts_vacancies ran 1 SQL statements while rendering" in caplog.text


def test_data_free_page_kept_for_page_lifetime(settings, monkeypatch):
    calls = []

    @data_free_page
    def greeting(request):
        calls.append(request)
        return HttpResponse("Hello")

    greeting(_anonymous_request())
    greeting(_anonymous_request())
    later = time.time() + settings.MEX_PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    greeting(_anonymous_request())

    assert len(calls) == 2


def _anonymous_request():
    request = RequestFactory().get("/counted/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    request._csp_nonce = LazyNonce()
    return request


@pytest.mark.parametrize("decorator", [cached_page, data_free_page])
def test_page_with_csp_nonce_never_stored(decorator):
    # The Content-Security-Policy header of each response names a nonce of
    # its own, and a stored page would carry the nonce of its first render.
    @decorator
    def inline_script(request):
        return HttpResponse(f'<script nonce="{request._csp_nonce}"></script>')

    first = inline_script(_anonymous_request())
    second = inline_script(_anonymous_request())

    assert first.content != second.content


def test_login_page_redirects_signed_in_user():
    Client().get(reverse("account_login"))
    client = _signed_in(UserFactory())

    response = client.get(reverse("account_login"))

    assert response.status_code == 302


def test_login_page_resumes_second_factor():
    user = UserFactory(email="amina@example.test")
    TOTP.activate(user, generate_totp_secret())
    Client().get(reverse("account_login"))
    client = Client()
    client.post(
        reverse("account_login"), {"login": "amina@example.test", "password": PASSWORD}
    )

    response = client.get(reverse("account_login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
