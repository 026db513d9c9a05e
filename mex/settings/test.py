"""Settings for the test suite.

SQLite and in-process tasks by default. Set DATABASE_URL and CELERY_BROKER_URL
to run the same tests on PostgreSQL and Redis; tests that need a real worker
read CELERY_BROKER_URL themselves.
"""

from mex.settings.base import *  # noqa: F403
from mex.settings.base import BASE_DIR
from mex.settings.env import env_str

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEX_SITE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Most tests run tasks in-process; the worker tests start a real worker and
# switch this off for their own duration.
CELERY_TASK_ALWAYS_EAGER = True

# Each test empties the cache (tests/conftest.py). On the broker's Redis
# database that would drop queued tasks, so tests keep a per-process cache
# unless MEX_CACHE_URL names one for them.
if not env_str("MEX_CACHE_URL", ""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
