"""Settings for a developer machine: debug on, email printed to the console."""

from mex.settings.base import *  # noqa: F403
from mex.settings.env import env_bool, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
# Local sign-ups are confirmed from the console email; set this to "none" to
# skip confirmation while trying MEX out.
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")

# Without a Redis cache each process keeps its own memory cache, so the data
# version that a write sets reaches only the process that wrote. A command
# run beside `make run` (run_matching, import_postings, shell) would then
# leave the server's stored pages stale for MEX_PAGE_CACHE_SECONDS, so the
# page cache is on only with a shared cache unless MEX_PAGE_CACHE is set.
MEX_PAGE_CACHE = env_bool(
    "MEX_PAGE_CACHE",
    CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache",  # noqa: F405
)
