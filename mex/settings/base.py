"""Settings shared by every environment.

Every value can be set from the environment; the defaults are safe for a
developer machine (SQLite, tasks run in-process, console email).
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from mex.settings.env import env_bool, env_float, env_int, env_list, env_str

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
    "mex.ops",
]

MIDDLEWARE = [
    # First, so that every response carries X-Request-ID and every log line
    # of the request its id.
    "mex.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AdministratorMFAMiddleware",
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
                "django.template.context_processors.csp",
                "accounts.context_processors.tenancy",
                # After Django's csrf processor, so that it can replace the
                # token while mex.pagecache renders a page to store.
                "mex.pagecache.csrf_placeholder",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # PostgreSQL compiles a query with LLVM once its estimated cost passes
    # jit_above_cost. MEX's queries are short lookups and scans, for which
    # the compilation alone took 10 to 40 ms of a 50 ms query, so JIT is off
    # unless DATABASE_JIT=1.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development server runs each request in a thread. SQLite's default
    # deferred transactions fail at once with "database is locked" when two
    # of them that have read both try to write, as a double-clicked form
    # does. Taking the write lock at BEGIN makes the second one wait, for up
    # to timeout seconds, instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
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
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGIN_URL = "account_login"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MEX] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# Failed sign-ins are counted per client IP and per account: after five
# failures for one email address in five minutes, that address is locked for
# the rest of the window, whatever the case of its letters.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# The number of reverse proxies in front of MEX that append the client's
# address to X-Forwarded-For. With 0 the header is ignored and REMOTE_ADDR is
# the client, because anyone can send the header; with 1 allauth takes the
# address that the one trusted proxy appended (the last entry).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)

# Multi-factor authentication: TOTP apps and recovery codes. Organization
# staff may turn it on; MEX administrators must (accounts.middleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MEX"

# Days an organization invitation link stays valid.
MEX_INVITATION_MAX_AGE_DAYS = env_int("MEX_INVITATION_MAX_AGE_DAYS", 7)

# --- Security -----------------------------------------------------------------

# Content Security Policy through Django's own middleware: scripts, styles and
# fonts only from this site, no inline scripts, no framing. Images may also be
# data: URIs because allauth renders the TOTP QR code as one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Sessions are stored in the database and read through the cache, so that a
# signed-in request usually reads its session from Redis. Every change is
# written to both, and a session missing from the cache is read from the
# database. mex.sessions is Django's cached_db engine that also sets a new
# data version once a change reaches the cache, for mex/pagecache.py.
SESSION_ENGINE = "mex.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Scripts never read the CSRF cookie: htmx sends the token from a header set
# in base.html.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sign-in rate limits count attempts in this cache, and mex/pagecache.py
# keeps rendered pages in it. Every process must share it once tasks run in a
# worker, because a page cache that a worker's writes cannot reach would serve
# stale pages: so without MEX_CACHE_URL the broker's Redis is used, as in
# production. With neither, one process does everything and a per-process
# memory cache is enough.
_CACHE_URL = env_str("MEX_CACHE_URL", "")
if not _CACHE_URL and env_str("CELERY_BROKER_URL", "").startswith(
    ("redis://", "rediss://")
):
    _CACHE_URL = env_str("CELERY_BROKER_URL", "")
if _CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "mex.cache.SharedClientRedisCache",
            "LOCATION": _CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole rendered pages of the busiest views are kept in this cache until MEX's
# data changes (mex/pagecache.py), for at most this many seconds.
MEX_PAGE_CACHE = env_bool("MEX_PAGE_CACHE", True)
MEX_PAGE_CACHE_SECONDS = env_int("MEX_PAGE_CACHE_SECONDS", 600)

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

from mex.settings.celery import *  # noqa: E402, F403

CELERY_TIMEZONE = TIME_ZONE

# --- Logging ----------------------------------------------------------------

from mex.settings.logging import *  # noqa: E402, F403

# --- Badges -----------------------------------------------------------------

# The platform that signs and hosts badges on behalf of colleges. Each college
# is the issuer of its own badges; this name and URL identify the service.
MEX_BADGE_PLATFORM_NAME = env_str(
    "MEX_BADGE_PLATFORM_NAME", "MEX Micro-learning Employment Xchange"
)
MEX_BADGE_PLATFORM_URL = env_str("MEX_BADGE_PLATFORM_URL", MEX_SITE_URL)
# Ed25519 signing keys live in files here, never in the database. A missing
# folder gets a development key on first use; production mounts a secret.
MEX_BADGE_KEY_DIR = Path(
    env_str("MEX_BADGE_KEY_DIR", str(BASE_DIR / "var" / "badge-keys"))
)
# Limits for uploaded badge designs: bytes on the wire and decoded pixels.
MEX_BADGE_IMAGE_MAX_BYTES = env_int("MEX_BADGE_IMAGE_MAX_BYTES", 2 * 1024 * 1024)
MEX_BADGE_IMAGE_MAX_PIXELS = env_int("MEX_BADGE_IMAGE_MAX_PIXELS", 4096 * 4096)

# --- Matching ---------------------------------------------------------------

# Weights and limits of the matching score, explained in
# docs/decisions/0002-matching-score.md. A required skill weighs
# MATCHING_REQUIRED_WEIGHT and a preferred one MATCHING_PREFERRED_WEIGHT. A
# skill held below the vacancy's minimum level earns
# MATCHING_LEVEL_BELOW_CREDIT * level / minimum. A missing skill related to one
# held earns MATCHING_RELATED_SKILL_CREDIT of what the related skill would earn.
MATCHING_REQUIRED_WEIGHT = env_float("MATCHING_REQUIRED_WEIGHT", 2.0)
MATCHING_PREFERRED_WEIGHT = env_float("MATCHING_PREFERRED_WEIGHT", 1.0)
MATCHING_LEVEL_BELOW_CREDIT = env_float("MATCHING_LEVEL_BELOW_CREDIT", 0.75)
MATCHING_RELATED_SKILL_CREDIT = env_float("MATCHING_RELATED_SKILL_CREDIT", 0.5)
# Matches scoring below this share (0 to 1) are not proposed.
MATCHING_MIN_SCORE = env_float("MATCHING_MIN_SCORE", 0.5)
# Gap and demand pages treat a vacancy as close for an applicant from this
# score, below the proposal threshold.
MATCHING_NEAR_MIN_SCORE = env_float("MATCHING_NEAR_MIN_SCORE", 0.3)
# At most this many proposed matches per vacancy, best first.
MATCHING_TOP_K = env_int("MATCHING_TOP_K", 25)
# When true, a match needs every required skill at its minimum level.
MATCHING_STRICT = env_bool("MATCHING_STRICT", False)
# Hour (in TIME_ZONE) of the nightly full re-match.
MATCHING_NIGHTLY_HOUR = env_int("MATCHING_NIGHTLY_HOUR", 2)
# Seconds a worker keeps its in-memory copy of applicants' skills before it
# reads them all again; between reloads it applies only the logged changes.
# 0 turns the copy off, so every task reads the skills it needs from the
# database. PostgreSQL only.
MATCHING_SNAPSHOT_MAX_AGE = env_int("MATCHING_SNAPSHOT_MAX_AGE", 3600)
# When true, each new process of a worker that consumes the matching queue
# starts reading those copies at once instead of on its first task.
MATCHING_SNAPSHOT_WARM = env_bool("MATCHING_SNAPSHOT_WARM", True)
# Days the log of applicant skill changes is kept; the nightly run prunes it.
MATCHING_CHANGE_LOG_DAYS = env_int("MATCHING_CHANGE_LOG_DAYS", 1)

CELERY_BEAT_SCHEDULE = {
    # A vacancy takes applications through its closing date.
    "vacancies-close-past-closing-date": {
        "task": "vacancies.tasks.close_vacancies_past_closing_date",
        "schedule": crontab(hour=0, minute=5),
    },
    "matching-nightly-full-rematch": {
        "task": "matching.tasks.run_nightly_matching",
        "schedule": crontab(hour=MATCHING_NIGHTLY_HOUR, minute=15),
    },
}

# --- Learning: enrolments and résumés -----------------------------------------

# Days an emailed enrolment invitation for a student new to MEX stays valid.
MEX_ENROLMENT_INVITATION_MAX_AGE_DAYS = env_int(
    "MEX_ENROLMENT_INVITATION_MAX_AGE_DAYS", 14
)
# Largest enrolment CSV accepted, in bytes.
MEX_ENROLMENT_CSV_MAX_BYTES = env_int("MEX_ENROLMENT_CSV_MAX_BYTES", 1024 * 1024)
# Largest résumé PDF accepted, in bytes.
MEX_RESUME_MAX_BYTES = env_int("MEX_RESUME_MAX_BYTES", 5 * 1024 * 1024)
# Private uploads such as résumés: outside MEDIA_ROOT, never served by URL.
MEX_PRIVATE_MEDIA_ROOT = Path(
    env_str("MEX_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private"))
)
