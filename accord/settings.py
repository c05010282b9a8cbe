"""Accord's one settings file. Every knob is an environment variable (see README)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("ACCORD_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in the data directory."""
    if key := env("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL if SITE_URL.startswith("https://") else "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "accord.core",
    "accord.accounts",
    "accord.partnerships",
    "accord.assessments",
    "accord.charters",
    "accord.rituals",
    "accord.tensions",
    "accord.alignment",
    "accord.insights",
    "accord.orgs",
    "accord.exchange",  # export and import, above the domain apps
    "accord.demo",  # demo data and the seed, above the domain apps
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "accord.core.middleware.api_json_errors",
    "accord.core.middleware.body_size_limit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accord.core.middleware.OutOfRangeIds",
    "accord.partnerships.middleware.PartnershipTimeZone",
]

ROOT_URLCONF = "accord.urls"
WSGI_APPLICATION = "accord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "accord" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "accord.core.context_processors.navigation",
            ],
            # `{% load accord %}`: the project's filters live on the ground floor, beside what they render.
            "libraries": {"accord": "accord.lib.templatetags"},
        },
    },
]

# Database: embedded SQLite under the data directory, or whatever DATABASE_URL names.
if database_url := env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "accord.sqlite3"),
            "OPTIONS": {
                # Writers queue instead of failing; WAL lets readers run beside a writer.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a file too, not shared-cache memory, so they see SQLite's real locking.
            "TEST": {"NAME": str(DATA_DIR / "test-accord.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accord.accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Accord] "
ACCOUNT_ADAPTER = "accord.accounts.adapter.AccountAdapter"
# Failed logins: 5 per account from one address in 15 minutes (the key is account and address,
# see the adapter), 10 a minute from any one address. Sign-ups: 10 an hour from one address, on the
# page and through the API alike.
# Failed logins follow Accord's own rule, shared with the token endpoint (accord.accounts.adapter).
ACCOUNT_RATE_LIMITS = {"login_failed": False, "signup": "10/h/ip"}
# An optional second factor: a TOTP app, with recovery codes for when the phone is lost.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Accord"

# Email: printed to the console unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Accord <accord@localhost>")
if smtp_host := env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# `accord serve --prod` collects static files and sets ACCORD_STATIC_MANIFEST=1 for its workers:
# hashed, compressed, cached forever. Otherwise files are served straight from the apps.
STATIC_MANIFEST = env_bool("ACCORD_STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Security. Served over HTTPS (SITE_URL starts with https://): secure cookies, HSTS, redirects.
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and not DEBUG
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind one reverse proxy (the default over HTTPS): it says the scheme, and the client's address is
# the last one X-Forwarded-For names (accord.lib.http.client_address, allauth's limits alike).
BEHIND_PROXY = HTTPS and env_bool("ACCORD_BEHIND_PROXY", True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Background work (accord.lib.tasks): queued in the database and run by `accord worker`, which
# `accord serve` starts beside the web server. A broker-backed backend can take its place here.
tasks_backend = env("ACCORD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": tasks_backend, "QUEUES": ["default"]}}
if tasks_backend.startswith("django_tasks_fennel."):  # Celery, through its broker
    INSTALLED_APPS.append("django_tasks_fennel")
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
    CELERY_RESULT_EXTENDED = True

# Cache: Redis when REDIS_URL is set, shared by several app servers (sessions, cached pages, sign-up
# limits), else files under the data directory, shared by every worker of one machine.
CACHES: dict[str, dict[str, object]]
if redis_url := env("REDIS_URL"):
    shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    CACHES = {"default": {**shared, "KEY_PREFIX": "accord"}, "pages": {**shared, "KEY_PREFIX": "accord-pages"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        },
        # Cached pages (accord.lib.pagecache), shared by the workers: a page one worker rendered,
        # the others serve. Every write lists the directory to cull it, so it is kept small.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }
# Sessions are read from the cache, written through to the database: one query less per page. With
# REDIS_URL every app server reads the same cache, so a session (and its end, at logout) holds on all.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Accord's own knobs.
ACCORD_INVITATION_DAYS = int(env("ACCORD_INVITATION_DAYS", "14"))
ACCORD_MAX_MEMBERS = 4
# Failed /auth/token attempts in the window: per account from one address, 4× that per address,
# and 20× per account from everywhere together.
ACCORD_TOKEN_FAILURE_LIMIT = 5
ACCORD_TOKEN_FAILURE_WINDOW_MINUTES = 15
