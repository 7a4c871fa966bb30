"""Django settings for Shelter, configured from the environment.

``SHELTER_HOME``          directory for the SQLite database, secret key and evidence files (default ``./var``)
``SHELTER_DATABASE_URL``  e.g. ``postgres://user:pass@host:5432/shelter``; SQLite in ``SHELTER_HOME`` when unset
``SHELTER_DEBUG``         ``1`` for development diagnostics (never in production)
``SHELTER_SECRET_KEY``    overrides the key generated in ``SHELTER_HOME/secret_key``
``SHELTER_ALLOWED_HOSTS`` comma-separated host names (default: localhost names)
``SHELTER_HTTPS``         ``1`` when served behind TLS: secure cookies, HSTS, HTTPS redirect
``SHELTER_MAX_UPLOAD_MB`` largest accepted upload in MiB (default 25)
``SHELTER_MAX_UNPACKED_MB`` most an uploaded XLSX workbook may unpack to, in MiB (default 100)
``SHELTER_MAX_SHARED_STRINGS`` most distinct texts (shared strings) an uploaded XLSX workbook may hold (default 1000000)
``SHELTER_TRUSTED_PROXY`` proxy address whose X-Forwarded-* headers `shelter serve` trusts (default 127.0.0.1)
``SHELTER_REQUIRE_2FA``   ``1``: admins and editors must set up two-factor authentication before they reach anything
``SHELTER_LOGIN_FAILURE_LIMIT`` failed sign-ins allowed per address and per username within an hour (default 5)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url

from shelter.config import env_flag, secret_key, shelter_home

BASE_DIR = Path(__file__).resolve().parent
if "pytest" in sys.modules and "SHELTER_HOME" not in os.environ:
    # A test run never touches a real workspace: without an explicit SHELTER_HOME it gets a throwaway one.
    os.environ["SHELTER_HOME"] = tempfile.mkdtemp(prefix="shelter-test-")
SHELTER_HOME = shelter_home()
EVIDENCE_DIR = SHELTER_HOME / "evidence"

DEBUG = env_flag("SHELTER_DEBUG")
SECRET_KEY = secret_key(SHELTER_HOME)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SHELTER_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SHELTER_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "ninja",
    "shelter.access",
    "shelter.registry",
    "shelter.incidents",
    "shelter.notices",
    "shelter.threats",
    "shelter.analytics",
    "shelter.web",
    "shelter.site",
    "shelter.search",
    "shelter.network",
    "shelter.watchlists",
    "shelter.monitoring",
    "shelter.surveillance",
    "django_tasks",
    "django_tasks_db",
    "shelter.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shelter.access.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "shelter.web.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Flash messages keep their message id and parameters and are said in the language of the page that shows them.
MESSAGE_STORAGE = "shelter.flash.SaidStorage"

ROOT_URLCONF = "shelter.urls"
WSGI_APPLICATION = "shelter.wsgi.application"
ASGI_APPLICATION = "shelter.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shelter.web.context.shelter_context",
            ],
        },
    },
]

_database_url = os.environ.get("SHELTER_DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    # WAL: readers see the last commit while a writer (an import) holds the write lock; writers wait up to
    # `timeout` seconds for it (then the API answers 503). The serving threads keep their connections (no new
    # connection and PRAGMAs per request); the WAL file shrinks back to 64 MiB once a large import is checkpointed.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SHELTER_HOME / "shelter.sqlite3"),
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                "PRAGMA journal_size_limit=67108864;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups (dumpdata/loaddata) keep timestamps to the microsecond.
SERIALIZATION_MODULES = {"jsonl": "shelter.connectors.exact_jsonl"}

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Login throttling: after SHELTER_LOGIN_FAILURE_LIMIT failures within an hour, sign-in is refused for an hour to
# that address (whatever usernames it tries) and to that username (from whatever address).
AXES_FAILURE_LIMIT = int(os.environ.get("SHELTER_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# The address is the connection's (REMOTE_ADDR), which `shelter serve` takes from X-Forwarded-For only when it
# comes from SHELTER_TRUSTED_PROXY: a header a client sends itself never changes the address counted.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication (TOTP apps, with single-use recovery codes); see docs/security.md.
SHELTER_REQUIRE_2FA = env_flag("SHELTER_REQUIRE_2FA")
OTP_TOTP_ISSUER = "Shelter"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = SHELTER_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG

MAX_UPLOAD_BYTES = int(float(os.environ.get("SHELTER_MAX_UPLOAD_MB", "25")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
# A ZIP container (an XLSX workbook) is refused when it would unpack to more than this (shelter.archives).
MAX_UNPACKED_BYTES = int(float(os.environ.get("SHELTER_MAX_UNPACKED_MB", "100")) * 1024 * 1024)
MAX_SHARED_STRINGS = int(os.environ.get("SHELTER_MAX_SHARED_STRINGS", "1000000"))

# Security headers; HTTPS-only settings switch on with SHELTER_HTTPS behind a TLS proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_https = env_flag("SHELTER_HTTPS")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if _https:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background jobs (shelter.jobs): the database is the queue; `shelter worker` (or `shelter serve`) runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SHELTER_JOB_STALE_SECONDS = float(os.environ.get("SHELTER_JOB_STALE_SECONDS", "20"))
SHELTER_BACKGROUND_IMPORT_BYTES = int(os.environ.get("SHELTER_BACKGROUND_IMPORT_BYTES", str(256 * 1024)))
SHELTER_SCREEN_IN_REQUEST = int(os.environ.get("SHELTER_SCREEN_IN_REQUEST", "200"))
# The worker's schedule (see docs/deployment.md): hourly checks on; the daily uses of the network off until the
# operator switches them on.
SHELTER_SCHEDULE_CHECKS = env_flag("SHELTER_SCHEDULE_CHECKS", default=True)
SHELTER_SCHEDULE_FEEDS = env_flag("SHELTER_SCHEDULE_FEEDS")
SHELTER_SCHEDULE_NOTICE_FETCH = env_flag("SHELTER_SCHEDULE_NOTICE_FETCH")
SHELTER_NOTICE_FETCH_NATIONALITY = os.environ.get("SHELTER_NOTICE_FETCH_NATIONALITY", "")
SHELTER_NOTICE_FETCH_DELAY = max(0.5, float(os.environ.get("SHELTER_NOTICE_FETCH_DELAY", "1.5")))
# Files made by jobs (exports) are removed after this many days.
SHELTER_JOB_RESULT_DAYS = int(os.environ.get("SHELTER_JOB_RESULT_DAYS", "7"))
# Modules that register kinds of job besides each installed app's own jobs module: the records import and export
# (shelter.connectors is not an app), so that every worker, started on its own or inside `shelter serve`, runs them.
SHELTER_JOB_MODULES = ["shelter.connectors.jobs"]
