"""Production settings: every secret from the environment, HTTPS only.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and a Redis
URL for the shared cache (MEX_CACHE_URL, or CELERY_BROKER_URL as a fallback).
MEX expects one reverse proxy in front of it that terminates TLS and appends
the client address to X-Forwarded-For. Set ALLAUTH_TRUSTED_PROXY_COUNT to the
number of such proxies when there are more, or to 0 when clients reach Django
directly.
"""

from django.core.exceptions import ImproperlyConfigured

from mex.settings.base import *  # noqa: F403
from mex.settings.base import CELERY_BROKER_URL, SECRET_KEY
from mex.settings.env import env_bool, env_int, env_str
from mex.settings.logging import MEX_LOG_LEVEL, logging_config
from mex.settings.storage import media_storage

DEBUG = False
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is missing or short: set it to a random string of at "
        "least 50 characters."
    )

ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 1)
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
CSRF_COOKIE_HTTPONLY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

# allauth counts failed sign-ins in the cache, so every web process must share
# one: a per-process memory cache would multiply the allowed attempts.
_CACHE_URL = env_str("MEX_CACHE_URL", "") or CELERY_BROKER_URL
if not _CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "MEX_CACHE_URL is missing: set it (or CELERY_BROKER_URL) to a Redis URL "
        "such as redis://127.0.0.1:6379/1."
    )
CACHES = {
    "default": {
        "BACKEND": "mex.cache.SharedClientRedisCache",
        "LOCATION": _CACHE_URL,
    }
}

# Email leaves through SMTP; the development backends print or keep messages.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
        ),
        "OPTIONS": {
            "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
            "port": env_int("DJANGO_EMAIL_PORT", 587),
            "username": env_str("DJANGO_EMAIL_HOST_USER", ""),
            "password": env_str("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
        },
    }
}

STORAGES = {
    "default": media_storage(env_str("MEX_MEDIA_STORAGE", "filesystem")),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One JSON object per line, for a log collector to parse.
LOGGING = logging_config(env_str("MEX_LOG_FORMAT", "json"), MEX_LOG_LEVEL)
