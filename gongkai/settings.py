"""Django settings for gongkai. Every variable is read from the environment; see docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gongkai.env import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
# Lets runtime code write generic admin/queryset types (ModelAdmin[Model]) that mypy checks.
django_stubs_ext.monkeypatch()

DATA_DIR = env_path("GONGKAI_DATA_DIR", BASE_DIR.parent / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("GONGKAI_DEBUG", False)
SECRET_KEY = env_str("GONGKAI_SECRET_KEY", "insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "gongkai.audit",
    "gongkai.organisations",
    "gongkai.accounts",
    "gongkai.workdays",
    "gongkai.catalog",
    "gongkai.cases",
    "gongkai.engagement",
    "gongkai.reports",
    "gongkai.submissions",
    "gongkai.demo",
    "gongkai.portal",
    "gongkai.api",
    "gongkai.notifications",
    "gongkai.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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

# Embedded default: SQLite in WAL mode (readers never block the writer) with IMMEDIATE transactions so that
# concurrent writers queue instead of failing. Production: DATABASE_URL=postgres://...
_default_sqlite = f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _default_sqlite,
        conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("zh-hant", _("繁體中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/"

# Background work: Redis when REDIS_URL is set (production), otherwise a SQLite file next to the database.
_redis_url = env_str("REDIS_URL", "")
HUEY = {
    "name": "gongkai",
    "immediate": env_bool("GONGKAI_HUEY_IMMEDIATE", False),
    "utc": False,
    "consumer": {"workers": env_int("GONGKAI_HUEY_WORKERS", 2), "worker_type": "thread"},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Receipt date (statutory-reference §1, art 31 practice): a request arriving on a non-working day or after the
# cut-off time is received on the next working day. Local practice, not in art 31 itself: a setting.
GONGKAI_NEXT_WORKING_DAY_RECEIPT = env_bool("GONGKAI_NEXT_WORKING_DAY_RECEIPT", True)
GONGKAI_RECEIPT_CUTOFF = env_str("GONGKAI_RECEIPT_CUTOFF", "17:30")

# Personal identifiers (ID and phone numbers) are stored encrypted; this key (Fernet, urlsafe base64 of 32
# bytes) must be set in production and kept: without it they cannot be read. The default derives one from
# SECRET_KEY, for development and the demo only.
GONGKAI_FIELD_KEY = env_str("GONGKAI_FIELD_KEY", "")

# Whether the reply clock stops while a fee notice is unpaid (statutory-reference §4: unconfirmed;
# default on).
GONGKAI_FEE_WAIT_PAUSES = env_bool("GONGKAI_FEE_WAIT_PAUSES", True)

# Notifications: gateways by dotted path (the default writes to <data dir>/outbox/*.jsonl); quiet hours
# (HH:MM-HH:MM, Asia/Shanghai) hold staff messages until they end; applicants' messages are not held.
GONGKAI_EMAIL_GATEWAY = env_str("GONGKAI_EMAIL_GATEWAY", "gongkai.notifications.gateways.FileGateway")
GONGKAI_SMS_GATEWAY = env_str("GONGKAI_SMS_GATEWAY", "gongkai.notifications.gateways.FileGateway")
GONGKAI_STAFF_QUIET_HOURS = env_str("GONGKAI_STAFF_QUIET_HOURS", "21:00-08:00")
DEFAULT_FROM_EMAIL = env_str("GONGKAI_FROM_EMAIL", "gongkai@localhost")
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST", "localhost")

# Index numbers (statutory-reference §5): the deployment's default rendering template; bodies may override it.
GONGKAI_INDEX_TEMPLATE = env_str("GONGKAI_INDEX_TEMPLATE", "{code}/{year}-{serial:05d}")
# Largest attachment staff may upload to a publication, in MB.
GONGKAI_ATTACHMENT_MAX_MB = env_int("GONGKAI_ATTACHMENT_MAX_MB", 50)

# Annual-report publication deadlines of the 2019 regime (statutory-reference §3, 2019 Regulations art 49) per
# organisation kind, as MM-DD of the following year: departments 31 January, the government-level report
# 31 March. Override per kind, e.g. GONGKAI_REPORT_DEADLINES="township=01-31". (2008 regime: all 31 March.)
GONGKAI_REPORT_DEADLINES: dict[str, str] = {
    "government": "03-31",
    "county": "03-31",
    "township": "03-31",
    "general_office": "01-31",
    "department": "01-31",
    "other": "01-31",
}
for _item in env_list("GONGKAI_REPORT_DEADLINES", []):
    _kind, _sep, _day = _item.partition("=")
    if _kind.strip() not in GONGKAI_REPORT_DEADLINES or not re.fullmatch(
        r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", _day.strip()
    ):
        raise ImproperlyConfigured(
            f"GONGKAI_REPORT_DEADLINES item {_item!r}: use KIND=MM-DD with KIND one of "
            + ", ".join(GONGKAI_REPORT_DEADLINES)
        )
    GONGKAI_REPORT_DEADLINES[_kind.strip()] = _day.strip()

# Full-text search backend (docs/search.md): "sqlite" (FTS5 over bigrams), "postgres" (bigram tsvector with a GIN
# index) or the dotted path of a class implementing gongkai.search.SearchBackend; default: the database's own.
GONGKAI_SEARCH_BACKEND = env_str("GONGKAI_SEARCH_BACKEND", "") or (
    "postgres" if "postgresql" in DATABASES["default"]["ENGINE"] else "sqlite"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "WARNING")},
}
