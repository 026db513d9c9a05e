"""Settings shared by every environment.

Every value can be set from the environment; the defaults are safe for a
developer machine (SQLite, tasks run in-process, console email).
"""

from pathlib import Path

import dj_database_url

from mex.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Core -----------------------------------------------------------------

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Absolute base URL of the public site, used in badge JSON and QR codes, which
# leave the site and must point back to it without a request at hand.
MEX_SITE_URL = env_str("MEX_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "accounts",
    "vacancies",
    "applicants",
    "colleges",
    "matching",
    "badges",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mex.urls"
WSGI_APPLICATION = "mex.wsgi.application"
ASGI_APPLICATION = "mex.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False

# --- Internationalization ---------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# --- Forms ------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ------------------------------------------------------------------

MAILERS = {
    "default": {
        "BACKEND": env_str(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "MEX <noreply@mex.local>")

# --- Celery -----------------------------------------------------------------

# Without a broker URL, tasks run in-process so that a fresh checkout needs no
# Redis. Setting CELERY_BROKER_URL switches to real workers.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == ""
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("MEX_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Matching ---------------------------------------------------------------

from celery.schedules import crontab  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402


def _env_float(name: str, default: float) -> float:
    raw = env_str(name, "").strip()
    if raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a number: set it to a decimal such as 0.5."
        ) from None


# Weights and limits of the matching score, explained in
# docs/decisions/0002-matching-score.md. A required skill weighs MATCHING_REQUIRED_WEIGHT, a preferred
# one MATCHING_PREFERRED_WEIGHT. A skill held below the vacancy's minimum
# level earns MATCHING_LEVEL_BELOW_CREDIT * level / minimum, and a skill
# missing but related to one held earns MATCHING_RELATED_SKILL_CREDIT of what
# the related skill would earn.
MATCHING_REQUIRED_WEIGHT = _env_float("MATCHING_REQUIRED_WEIGHT", 2.0)
MATCHING_PREFERRED_WEIGHT = _env_float("MATCHING_PREFERRED_WEIGHT", 1.0)
MATCHING_LEVEL_BELOW_CREDIT = _env_float("MATCHING_LEVEL_BELOW_CREDIT", 0.75)
MATCHING_RELATED_SKILL_CREDIT = _env_float("MATCHING_RELATED_SKILL_CREDIT", 0.5)
# Matches scoring below this share (0 to 1) are not proposed.
MATCHING_MIN_SCORE = _env_float("MATCHING_MIN_SCORE", 0.5)
# Gap and demand pages treat a vacancy as close for an applicant from this
# score, below the proposal threshold.
MATCHING_NEAR_MIN_SCORE = _env_float("MATCHING_NEAR_MIN_SCORE", 0.3)
# At most this many proposed matches per vacancy, best first.
MATCHING_TOP_K = env_int("MATCHING_TOP_K", 25)
# When true, a match needs every required skill at its minimum level.
MATCHING_STRICT = env_bool("MATCHING_STRICT", False)
# Hour (in TIME_ZONE) of the nightly full re-match.
MATCHING_NIGHTLY_HOUR = env_int("MATCHING_NIGHTLY_HOUR", 2)

CELERY_BEAT_SCHEDULE = {
    "matching-nightly-full-rematch": {
        "task": "matching.tasks.run_nightly_matching",
        "schedule": crontab(hour=MATCHING_NIGHTLY_HOUR, minute=15),
    },
}
