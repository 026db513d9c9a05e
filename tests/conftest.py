import pytest

# Browser fixtures (browser, page) for every test module.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep files written by a test inside that test's temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _badge_key_dir(settings, tmp_path):
    """Give each test its own badge signing keys."""
    settings.MEX_BADGE_KEY_DIR = tmp_path / "badge-keys"


@pytest.fixture(autouse=True)
def _default_language():
    """Start and end each test in the default language.

    LocaleMiddleware activates a request's language in the thread and leaves
    it active, so without this a French request made by one test would turn
    the messages of the next test's direct service calls French.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _task_results_joinable():
    """End each test with task results joinable again.

    Celery keeps "inside a task, never wait for a result" in one flag per
    process. Each eager task sets it while it runs and then puts back the
    value it found, so two eager tasks overlapping in the live server's
    threads can leave it set, and every later ``result.get()`` then raises.
    """
    from celery._state import _set_task_join_will_block

    yield
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with no rate-limit counts left by another test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def applicant(db):
    """A job seeker with a profile."""
    from tests.factories import ApplicantFactory

    return ApplicantFactory()


@pytest.fixture
def employer_member(db):
    """The owner's membership in an approved employer."""
    from tests.factories import MembershipFactory, OrganizationFactory

    return MembershipFactory(organization=OrganizationFactory())


@pytest.fixture
def college_member(db):
    """The owner's membership in an approved college."""
    from tests.factories import CollegeFactory, MembershipFactory

    return MembershipFactory(organization=CollegeFactory())


@pytest.fixture
def administrator(db):
    """A MEX administrator (staff and superuser) without a second factor yet."""
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def administrator_with_mfa(administrator):
    """The administrator, with an authenticator app set up."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(administrator, generate_totp_secret())
    return administrator


@pytest.fixture
def admin_client_with_mfa(client, administrator_with_mfa):
    """A client signed in as the administrator, past the second factor."""
    client.force_login(administrator_with_mfa)
    return client


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Keep private uploads written by a test inside its temporary folder."""
    settings.MEX_PRIVATE_MEDIA_ROOT = tmp_path / "private"
