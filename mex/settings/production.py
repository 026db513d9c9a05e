"""Production settings: every secret from the environment, HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from mex.settings.base import *  # noqa: F403
from mex.settings.base import SECRET_KEY
from mex.settings.env import env_bool, env_int, env_str
from mex.settings.logging import MEX_LOG_LEVEL, logging_config
from mex.settings.storage import media_storage

DEBUG = False
if SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is missing: set it to a long random string."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Probes call these over plain HTTP from inside the network; a redirect to
# HTTPS would make them fail.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

STORAGES = {
    "default": media_storage(env_str("MEX_MEDIA_STORAGE", "filesystem")),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One JSON object per line, for a log collector to parse.
LOGGING = logging_config(env_str("MEX_LOG_FORMAT", "json"), MEX_LOG_LEVEL)
