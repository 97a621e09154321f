"""Dialogos settings: one module, every value read from the environment.

The embedded default (no variables set) is a complete instance: SQLite under ``var/``,
local-memory cache, console e-mail, database-backed background tasks.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from dialogos.conf import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("DIALOGOS_VAR", str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    # Embedded default: one random key per installation, kept beside the database.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "dialogos.core",
    "dialogos.people",
    "dialogos.dialogues",
    "dialogos.meetings",
    "dialogos.search",
    "dialogos.library",
    "dialogos.texts",
    "dialogos.plans",
    "dialogos.projects",
    "dialogos.news",
    "dialogos.demo",
    "ninja",
    "dialogos.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dialogos.core.middleware.RefuseNulMiddleware",
    "dialogos.core.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dialogos.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
FORMS_URLFIELD_ASSUME_HTTPS = True
WSGI_APPLICATION = "dialogos.wsgi.application"

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
                "dialogos.dialogues.context_processors.navigation",
            ],
            "builtins": ["dialogos.core.templatetags.dialogos"],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "dialogos.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["dialogos.people.auth.EmailBackend"]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "people:account"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14, minimum=1)
# Sign-in throttle: failed attempts allowed per e-mail address and per client address.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60, minimum=1)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Largest meeting document or letter of credentials, in bytes.
MEETING_FILE_MAX_BYTES = env_int("MEETING_FILE_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
# How long an e-mail claimed by a worker stays its own before another worker may take it over
# (the claimed worker died before marking it as being sent).
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 600, minimum=1)
# Multilingual sentence embeddings for "related" items, computed by the worker.
SEARCH_EMBEDDINGS = env_bool("SEARCH_EMBEDDINGS", True)
LIBRARY_FILE_MAX_BYTES = env_int("LIBRARY_FILE_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
# News: review e-mails per second per worker (0: no limit), claim lease, picture limits.
NEWS_SEND_RATE = env_int("NEWS_SEND_RATE", 20, minimum=0)
NEWS_SEND_LEASE_SECONDS = env_int("NEWS_SEND_LEASE_SECONDS", 300, minimum=10)
NEWS_IMAGE_MAX_BYTES = env_int("NEWS_IMAGE_MAX_BYTES", 15 * 1024 * 1024, minimum=1)
NEWS_IMAGE_MAX_PIXELS = env_int("NEWS_IMAGE_MAX_PIXELS", 40_000_000, minimum=1)
# Envelope sender for VERP bounce addresses (bounces+<signed id>@domain); empty: not used.
NEWS_BOUNCE_ADDRESS = env_str("NEWS_BOUNCE_ADDRESS", "")
# Rendered list entries of news and projects kept in the cache (0: off).
NEWS_FRAGMENT_CACHE_SECONDS = env_int("NEWS_FRAGMENT_CACHE_SECONDS", 24 * 3600, minimum=0)
PROJECTS_FRAGMENT_CACHE_SECONDS = env_int("PROJECTS_FRAGMENT_CACHE_SECONDS", 24 * 3600, minimum=0)
# Search: at most this many matches are counted exactly, faceted and ranked.
SEARCH_TOP_LIMIT = env_int("SEARCH_TOP_LIMIT", 1000, minimum=20)

# Seconds a public page or API read stays cached for visitors who are not signed in (0: off).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300, minimum=0)

REDIS_URL = env_redis("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

_email = env_email("EMAIL_URL", "console:")
EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dialogos <noreply@localhost>")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
