"""Django settings for gongkai. Every variable is read from the environment; see docs/configuration.md."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gongkai.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    field_keys,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
# Lets runtime code write generic admin/queryset types (ModelAdmin[Model]) that mypy checks.
django_stubs_ext.monkeypatch()

DATA_DIR = env_path("GONGKAI_DATA_DIR", BASE_DIR.parent / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Where this instance runs (docs/deploy.md): "production" (set by deploy/example.env) refuses to start without
# its keys or with DEBUG on, and turns the HTTPS settings below on by default; "development" (the default: the
# embedded demo, development, tests) keeps random keys of its own in <data dir>/keys.
GONGKAI_ENV = env_choice("GONGKAI_ENV", "development", ("development", "production"))
PRODUCTION = GONGKAI_ENV == "production"
DEBUG = env_bool("GONGKAI_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "生产环境（GONGKAI_ENV=production）不能开启 GONGKAI_DEBUG：删除该变量或设为 false"
    )
SECRET_KEY = secret_key(PRODUCTION, DATA_DIR)
# Earlier secret keys, still accepted for signatures (sessions, letter links) after a change of GONGKAI_SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("GONGKAI_SECRET_KEY_FALLBACKS", [])
# Personal identifiers (ID and phone numbers) are stored encrypted with these keys (Fernet), newest first; they
# never derive from SECRET_KEY. Rotation: docs/deploy.md, "Keys", and `gongkai rotate-field-key`.
GONGKAI_FIELD_KEYS = field_keys(PRODUCTION, DATA_DIR)
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",  # django-ninja's own copy of Swagger UI for /api/v1/docs (without it, the page loads it from a CDN)
    "axes",  # login lockout: its tables record failed logins
    "gongkai.audit",
    "gongkai.organisations",
    "gongkai.accounts",
    "gongkai.workdays",
    "gongkai.catalog",
    "gongkai.cases",
    "gongkai.engagement",
    "gongkai.consultations",  # 意见征集: drafts for public comment, feedback reports (docs/consultations.md)
    "gongkai.interviews",  # 在线访谈、新闻发布会 with questions and live transcripts (docs/interviews.md)
    "gongkai.hotline",  # 12345 hotline tickets (docs/hotline.md)
    "gongkai.mailbox",  # 信箱: letters to a body or its leader (docs/mailbox.md)
    "gongkai.reports",
    "gongkai.submissions",
    "gongkai.checker",
    "gongkai.figures",  # per-body statistics aggregates (docs/statistics.md)
    "gongkai.demo",
    "gongkai.synth",
    "gongkai.portal",
    "gongkai.api",
    "gongkai.notifications",
    "gongkai.acknowledgement",
    "gongkai.search",
    "gongkai.ops",
    "gongkai.backups",  # gongkai backup / restore (docs/backup.md)
    "gongkai.catalogstats",  # published-item counts for the portal's totals and facets (docs/portal.md, "Caching")
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.security.SecurityHeadersMiddleware",  # CSP, no-store on staff pages (GONGKAI_CSP, ..._NO_STORE_PATHS)
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the app itself (nginx serves them in front)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gongkai.languages.LanguageChoiceMiddleware",  # ?lang= and the remembered language choice
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.throttle.ThrottleMiddleware",  # per-client limits (GONGKAI_THROTTLE_*)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into its page
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
                "gongkai.portal.context.site",  # the site's identity in every page's header and footer
                "gongkai.reports.nav.staff_nav",  # the staff pages' engagement and checker links
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

# A PostgreSQL streaming replica for the reads of public pages, search and reports (gongkai/dbrouting.py,
# docs/scaling.md); writes, transactions, sign-in and migrations stay on the primary. Unset: nothing changes.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url, conn_max_age=env_int("GONGKAI_DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if not all("postgresql" in DATABASES[_a]["ENGINE"] for _a in ("default", "replica")):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL 需要 PostgreSQL：主库（DATABASE_URL）与只读副本都必须是 postgres://"
        )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read what they wrote
    DATABASE_ROUTERS = ["gongkai.dbrouting.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "gongkai.dbrouting.ReadYourWritesMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("zh-hant", _("繁體中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The visitor's language choice (gongkai/languages.py): a year, never read by scripts.
LANGUAGE_COOKIE_NAME = "gongkai_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # `gongkai collectstatic` fills it; nginx serves it in production
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing one
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"  # never served directly: files go out through views that check access
# WhiteNoise serves the static files straight from the apps, so the embedded site needs no collectstatic.
WHITENOISE_USE_FINDERS = True

# HTTPS and security headers (docs/deploy.md). Behind nginx (deploy/nginx.conf), which terminates TLS and sets
# X-Forwarded-Proto; in production every switch defaults to on, HSTS for a year.
if env_bool("GONGKAI_SECURE_PROXY_SSL_HEADER", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("GONGKAI_SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("GONGKAI_CSRF_COOKIE_SECURE", PRODUCTION)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("GONGKAI_SESSION_COOKIE_AGE", 12 * 3600)  # a working day, then sign in again
# Idempotency keys of submitted forms are kept this long, then pruned daily (acknowledgement.pruning).
GONGKAI_IDEMPOTENCY_KEEP_DAYS = env_int("GONGKAI_IDEMPOTENCY_KEEP_DAYS", 90)
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])
SECURE_REFERRER_POLICY = env_str("GONGKAI_REFERRER_POLICY", "same-origin")
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (gongkai/security.py): everything from the site itself, with two allowances, each for
# what the templates need:
# - script-src: the hash of the one inline handler the pages use, onchange="this.form.submit()" (choosing a year,
#   scope or format submits its form); 'unsafe-hashes' lets exactly that text run, nothing else inline;
# - style-src 'unsafe-inline': style attributes with computed values (indentation by tree depth) and the
#   matplotlib SVG charts drawn inline in report pages, which carry their own <style> and style attributes.
# img-src data: for the icons that Swagger UI's stylesheet embeds. GONGKAI_CSP="" sends no policy.
DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-hashes' 'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
GONGKAI_CSP = env_str("GONGKAI_CSP", DEFAULT_CSP)
GONGKAI_CSP_REPORT_ONLY = env_bool("GONGKAI_CSP_REPORT_ONLY", False)
# Answers that no browser cache or proxy may keep (Cache-Control: private, no-store): these path prefixes (staff
# pages, the admin, log-in, the staff API, a receipt with its tracking secret, a case's status) and every answer
# to a signed-in user.
GONGKAI_NO_STORE_PATHS = env_list(
    "GONGKAI_NO_STORE_PATHS",
    [
        "/staff/",
        "/admin/",
        "/accounts/",
        "/api/v1/cases",
        "/api/v1/catalog",  # drafts awaiting review (docs/api.md)
        "/api/v1/submissions",
        "/api/v1/public/",
        "/apply/",
        "/track/",
    ],
)
# ... and the same pages under the language prefixes (/en/staff/, /zh-hant/apply/, gongkai/urls.py).
GONGKAI_NO_STORE_PATHS += [f"/{code}{p}" for code in ("zh-hant", "en") for p in GONGKAI_NO_STORE_PATHS]

# The bundled web server, `gongkai serve` (gunicorn, threaded workers; docs/deploy.md).
GONGKAI_BIND = env_str("GONGKAI_BIND", "127.0.0.1:8000")
GONGKAI_WEB_WORKERS = env_int("GONGKAI_WEB_WORKERS", 2)
GONGKAI_WEB_THREADS = env_int("GONGKAI_WEB_THREADS", 4)
GONGKAI_WEB_TIMEOUT = env_int("GONGKAI_WEB_TIMEOUT", 120)
GONGKAI_WEB_GRACEFUL_TIMEOUT = env_int("GONGKAI_WEB_GRACEFUL_TIMEOUT", 30)
# Worker replacement guards against slow leaks; at 1000 the workers of a busy portal restarted every few seconds
# (together: ±10 %), which cut throughput by two thirds, and at 20,000 a worker was still replaced every
# 40 s at full load, each replacement a stall of up to a second (docs/scaling.md, "Web processes").
GONGKAI_WEB_MAX_REQUESTS = env_int("GONGKAI_WEB_MAX_REQUESTS", 500000)
# Addresses whose X-Forwarded-* headers gunicorn believes (the proxy in front).
GONGKAI_FORWARDED_ALLOW_IPS = env_str("GONGKAI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# URL names, reversed in the page's language (/accounts/login/, /en/accounts/login/, ...).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:staff_home"
LOGOUT_REDIRECT_URL = "portal:home"
# The lockout backend first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "gongkai.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A form that fails its CSRF check gets the site's Chinese 403 page instead of Django's English one.
CSRF_FAILURE_VIEW = "gongkai.errors.csrf_failure"

# Background work: Redis when REDIS_URL is set (production), otherwise a SQLite file next to the database.
_redis_url = env_str("REDIS_URL", "")
HUEY = {
    "name": env_str("GONGKAI_HUEY_NAME", "gongkai"),  # the queue's name: one per deployment sharing a Redis
    "immediate": env_bool("GONGKAI_HUEY_IMMEDIATE", False),
    "utc": False,
    "consumer": {"workers": env_int("GONGKAI_HUEY_WORKERS", 2), "worker_type": "thread"},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Abuse limits (docs/configuration.md, "Abuse limits"). Counters live in Redis when REDIS_URL is set (shared by
# every worker and host), otherwise in a SQLite file in the data directory (shared by the processes of one host).
CACHES: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if _redis_url:
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_url,
        "KEY_PREFIX": "gongkai-throttle",
    }
# The shared cache of public pages and built staff reports (docs/portal.md, "Caching"): Redis when REDIS_URL is set,
# otherwise files in <data dir>/cache shared by every web process of the host.
if _redis_url:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_url,
        "KEY_PREFIX": "gongkai-pages",
    }
else:
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": env_int("GONGKAI_PAGE_CACHE_ENTRIES", 20000)},
    }
GONGKAI_PAGE_CACHE = env_bool("GONGKAI_PAGE_CACHE", True)
GONGKAI_PAGE_CACHE_ALIAS = "shared"
GONGKAI_PAGE_CACHE_TIMEOUT = env_int("GONGKAI_PAGE_CACHE_TIMEOUT", 600)  # seconds a page is kept at most
# A page past its lifetime is kept this much longer and served while one request rebuilds it; a request that
# finds another building a page it lacks waits for that copy at most GONGKAI_PAGE_BUILD_WAIT seconds.
GONGKAI_PAGE_STALE_GRACE = env_int("GONGKAI_PAGE_STALE_GRACE", 300)
GONGKAI_PAGE_BUILD_WAIT = env_int("GONGKAI_PAGE_BUILD_WAIT", 5)
GONGKAI_PAGE_BUILD_LOCK = env_int(
    "GONGKAI_PAGE_BUILD_LOCK", 30
)  # seconds a build claim lasts if its holder dies
GONGKAI_SEARCH_CACHE_TIMEOUT = env_int(
    "GONGKAI_SEARCH_CACHE_TIMEOUT", 60
)  # seconds a search result page is kept
GONGKAI_PAGE_MAX_AGE = env_int(
    "GONGKAI_PAGE_MAX_AGE", 0
)  # Cache-Control max-age of public pages (ETag always)
GONGKAI_REPORT_CACHE = env_bool("GONGKAI_REPORT_CACHE", True)  # the staff report page, built once per change
GONGKAI_THROTTLE_CACHE = "throttle" if _redis_url else ""  # a CACHES alias, or "" for the SQLite file below
GONGKAI_THROTTLE_DB = DATA_DIR / "throttle.sqlite3"
GONGKAI_THROTTLE_ENABLED = env_bool("GONGKAI_THROTTLE_ENABLED", True)
# Proxies in front of the server that append to X-Forwarded-For (0: the client is REMOTE_ADDR; a header sent by
# the client itself is then never read, so it cannot choose its own address).
GONGKAI_TRUSTED_PROXIES = env_int("GONGKAI_TRUSTED_PROXIES", 0)
_RATE = re.compile(r"(\d+)/(\d+)([smhd]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(name: str, default: str) -> tuple[int, int] | None:
    """A limit "N/PERIOD" (PERIOD in seconds or with s, m, h, d: "10/1h") as (N, seconds); "off" is None."""
    raw = env_str(name, default).strip().lower()
    if raw == "off":
        return None
    match = _RATE.fullmatch(raw)
    if match is None or int(match[1]) < 1 or int(match[2]) < 1:
        raise ImproperlyConfigured(f"{name}={raw!r}: use N/PERIOD such as 10/1h, 20/10m, 30/60 or off")
    return int(match[1]), int(match[2]) * _UNIT[match[3]]


# Each scope's limit; the rules say which requests count against it and per what (ip, phone or code).
GONGKAI_THROTTLE_RATES = {
    "apply": _rate("GONGKAI_THROTTLE_APPLY", "10/1h"),
    "lookup": _rate("GONGKAI_THROTTLE_LOOKUP", "20/10m"),
    "lookup_code": _rate("GONGKAI_THROTTLE_LOOKUP_CODE", "10/10m"),
    "search": _rate("GONGKAI_THROTTLE_SEARCH", "30/1m"),
    "pick": _rate("GONGKAI_THROTTLE_PICK", "120/1m"),  # the application's body search, as one types
    "api_token": _rate("GONGKAI_THROTTLE_API_TOKEN", "600/1m"),  # per API token (gongkai.api.auth)
    "comment": _rate("GONGKAI_THROTTLE_COMMENT", "10/1h"),  # consultation comments, interview questions
}
# Which requests count against which scope, per what. Rows: (URL name, method, scope, per "ip", "phone" or "code",
# count "all" requests, those "accepted" (answer below 400) or those "refused" (400 and above: a wrong pair)).
GONGKAI_THROTTLE_RULES = [
    ("portal:apply", "POST", "apply", "ip", "accepted"),
    # Per phone number, applications and SMS are counted in the database: GONGKAI_LIMIT_*_PER_PHONE_PER_DAY.
    # The page answers 200 whether or not the pair was right, so every lookup there counts.
    ("portal:track", "POST", "lookup", "ip", "all"),
    ("portal:track", "POST", "lookup_code", "code", "all"),
    ("api:public_status", "POST", "lookup", "ip", "refused"),
    ("api:public_status", "POST", "lookup_code", "code", "refused"),
    ("portal:search", "GET", "search", "ip", "all"),
    ("portal:body_pick", "GET", "pick", "ip", "all"),
    ("portal:apply_find_body", "POST", "pick", "ip", "all"),
    ("mailbox:write", "POST", "apply", "ip", "accepted"),  # a letter counts as an application
    ("mailbox:track", "POST", "lookup", "ip", "all"),
    ("mailbox:track", "POST", "lookup_code", "code", "all"),
    ("api:mailbox_submit", "POST", "apply", "ip", "accepted"),
    ("api:mailbox_track", "POST", "lookup", "ip", "refused"),
    ("api:mailbox_track", "POST", "lookup_code", "code", "refused"),
    ("api:mailbox_rate", "POST", "lookup", "ip", "refused"),
    ("api:mailbox_rate", "POST", "lookup_code", "code", "refused"),
    ("consultations:comment", "POST", "comment", "ip", "accepted"),
    ("interviews:ask", "POST", "comment", "ip", "accepted"),
]

# Login lockout (django-axes): after GONGKAI_LOGIN_FAILURE_LIMIT failed logins for one username from one address,
# that pair is refused, even with the right password, until GONGKAI_LOGIN_COOLOFF_MINUTES pass without a new try.
AXES_FAILURE_LIMIT = env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("GONGKAI_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.lockout.lockout_response"
# No admin pages for axes (the admin shows audited models only): unlock with `gongkai axes_reset_username NAME`.
AXES_ENABLE_ADMIN = False

# Receipt date (statutory-reference §1, art 31 practice): a request arriving on a non-working day or after the
# cut-off time is received on the next working day. Local practice, not in art 31 itself: a setting.
GONGKAI_NEXT_WORKING_DAY_RECEIPT = env_bool("GONGKAI_NEXT_WORKING_DAY_RECEIPT", True)
GONGKAI_RECEIPT_CUTOFF = env_str("GONGKAI_RECEIPT_CUTOFF", "17:30")

# Whether the reply clock stops while a fee notice is unpaid (statutory-reference §4: unconfirmed;
# default on).
GONGKAI_FEE_WAIT_PAUSES = env_bool("GONGKAI_FEE_WAIT_PAUSES", True)
# The mailbox (信箱): a letter is to be answered within this many working days of its receipt (a local rule).
GONGKAI_MAILBOX_REPLY_WORKING_DAYS = env_int("GONGKAI_MAILBOX_REPLY_WORKING_DAYS", 15)
# Public consultation (意见征集): the feedback report (采纳情况反馈) is due this many working days after the close.
GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS = env_int("GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS", 20)

# Notifications: gateways by dotted path (the default writes to <data dir>/outbox/*.jsonl); quiet hours
# (HH:MM-HH:MM, Asia/Shanghai) hold staff messages until they end; applicants' messages are not held.
GONGKAI_EMAIL_GATEWAY = env_str("GONGKAI_EMAIL_GATEWAY", "gongkai.notifications.gateways.FileGateway")
GONGKAI_SMS_GATEWAY = env_str("GONGKAI_SMS_GATEWAY", "gongkai.notifications.gateways.FileGateway")
GONGKAI_STAFF_QUIET_HOURS = env_str("GONGKAI_STAFF_QUIET_HOURS", "21:00-08:00")
DEFAULT_FROM_EMAIL = env_str("GONGKAI_FROM_EMAIL", "gongkai@localhost")
EMAIL_HOST = env_str("GONGKAI_EMAIL_HOST", "localhost")
# The outbox worker (docs/cases.md, "Notifications"): a claimed row is held this long (longer than any gateway
# call), a failed send waits RETRY seconds, doubling, and is marked failed after MAX_ATTEMPTS sends.
GONGKAI_NOTIFY_LEASE_SECONDS = env_int("GONGKAI_NOTIFY_LEASE_SECONDS", 300)
GONGKAI_NOTIFY_RETRY_SECONDS = env_int("GONGKAI_NOTIFY_RETRY_SECONDS", 60)
GONGKAI_NOTIFY_MAX_ATTEMPTS = env_int("GONGKAI_NOTIFY_MAX_ATTEMPTS", 5)
# Per-phone limits over 24 hours, counted in the database (gongkai/acknowledgement/limits.py; 0: no limit).
GONGKAI_LIMIT_APPLICATIONS_PER_PHONE_PER_DAY = env_int("GONGKAI_LIMIT_APPLICATIONS_PER_PHONE_PER_DAY", 5)
GONGKAI_LIMIT_SMS_PER_PHONE_PER_DAY = env_int("GONGKAI_LIMIT_SMS_PER_PHONE_PER_DAY", 10)

# Index numbers (statutory-reference §5): the deployment's default rendering template; bodies may override it.
GONGKAI_INDEX_TEMPLATE = env_str("GONGKAI_INDEX_TEMPLATE", "{code}/{year}-{serial:05d}")
# Largest attachment staff may upload to a publication, in MB.
GONGKAI_ATTACHMENT_MAX_MB = env_int("GONGKAI_ATTACHMENT_MAX_MB", 50)
# The report checker (docs/checker-input.md): largest report file read or fetched (bytes), reports per batch,
# batches of at most this many uploaded files checked inside the request (larger ones in the worker), and the
# time limit of each network step of a fetch by address (seconds; the whole fetch gets three times it).
GONGKAI_CHECKER_MAX_BYTES = env_int("GONGKAI_CHECKER_MAX_BYTES", 20 * 1024 * 1024)
GONGKAI_CHECKER_BATCH_MAX_FILES = env_int("GONGKAI_CHECKER_BATCH_MAX_FILES", 100)
GONGKAI_CHECKER_BATCH_INLINE = env_int("GONGKAI_CHECKER_BATCH_INLINE", 3)
GONGKAI_CHECKER_FETCH_TIMEOUT = env_int("GONGKAI_CHECKER_FETCH_TIMEOUT", 20)

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
# "tantivy": the embedded inverted index (province scale, docs/search.md), in GONGKAI_SEARCH_INDEX_DIR (default
# <data dir>/search-index/<database name>); its writes run in the web process on commit ("inline", waiting for
# the writer's lock) or in the huey worker ("worker").
GONGKAI_SEARCH_INDEX_DIR = env_str("GONGKAI_SEARCH_INDEX_DIR", "")
GONGKAI_SEARCH_INDEX_WRITER = env_str("GONGKAI_SEARCH_INDEX_WRITER", "inline")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGKAI_LOG_LEVEL", "WARNING")},
}
