"""Abuse limits (issue #10): per-client counters on what a stranger can trigger. The login lockout is
django-axes' (gongkai/lockout.py).

What counts is a table in the settings (``GONGKAI_THROTTLE_RULES``: URL name, method, scope, per what, which
answers count) and each scope's limit is ``GONGKAI_THROTTLE_RATES`` (docs/configuration.md, "Abuse limits").
``ThrottleMiddleware`` applies the table; other code calls ``hit(scope, key)`` (and ``release``) itself.

A counter is a fixed window opened by its first hit: N hits are allowed until the window closes, the next ones
get HTTP 429 with Retry-After. Counters must hold across processes and workers:

* with ``REDIS_URL``, a Django cache (``RedisCache``): ``add`` opens the window, ``incr`` is atomic in Redis;
* otherwise a SQLite file of its own in the data directory, one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
  per hit. Neither of Django's cross-process caches fits: ``FileBasedCache`` and ``DatabaseCache`` increment by
  read-then-write, so concurrent workers lose hits; counters in the main database would queue every lookup behind
  its single SQLite writer. A separate file gives atomic increments and never takes the main database's lock.

Keys are never stored in clear: an HMAC of the address, phone number or code (they are personal data).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

COUNTS = {"all", "accepted", "refused"}
KEYS = {"ip", "phone", "code"}


# --- client address -------------------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with ``GONGKAI_TRUSTED_PROXIES = N`` the N-th address from the right
    of X-Forwarded-For (each trusted proxy appends the address it saw; what the client wrote stays to the left).
    An IPv6 client is its /64 network (one household or host usually holds a whole /64). None when there is no
    valid address (the test client's ``login()``; a server on a Unix socket without trusted proxies)."""
    address = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(settings.GONGKAI_TRUSTED_PROXIES)
    if proxies > 0:
        forwarded = [p.strip() for p in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


# --- counter stores --------------------------------------------------------------------------------------------


class Store(Protocol):
    def incr(self, key: str, window: int) -> tuple[int, float]:
        """Count one hit; returns the count in the current window and when that window closes (epoch seconds)."""

    def decr(self, key: str) -> None:
        """Take back one hit of the current window."""


_UPSERT = """
INSERT INTO counters (key, count, expires) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN expires <= ? THEN 1 ELSE count + 1 END,
    expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END
RETURNING count, expires
"""


class SqliteStore:
    """Counters in a SQLite file: each hit is one atomic statement, so processes sharing the file never lose one."""

    _local = threading.local()
    PRUNE_EVERY = 500  # hits between two deletions of closed windows (per thread)

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection to the file (one: a new path, as in tests, closes the previous one)."""
        local = self._local
        if getattr(local, "path", None) != self.path:
            if getattr(local, "conn", None) is not None:
                local.conn.close()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
            )
            local.conn, local.path = conn, self.path
        conn = local.conn
        assert isinstance(conn, sqlite3.Connection)
        return conn

    def incr(self, key: str, window: int) -> tuple[int, float]:
        now = time.time()
        conn = self._connection()
        count, expires = conn.execute(_UPSERT, (key, now + window, now, now)).fetchone()
        self._local.hits = hits = getattr(self._local, "hits", 0) + 1
        if hits % self.PRUNE_EVERY == 0:
            conn.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return int(count), float(expires)

    def decr(self, key: str) -> None:
        self._connection().execute(
            "UPDATE counters SET count = count - 1 WHERE key = ? AND count > 0", (key,)
        )


class CacheStore:
    """Counters in a Django cache (Redis in production): ``add`` opens a window with its timeout, ``incr`` is
    atomic in Redis; the window's end is kept beside the count for Retry-After."""

    def __init__(self, alias: str) -> None:
        self.cache = caches[alias]

    def incr(self, key: str, window: int) -> tuple[int, float]:
        now = time.time()
        if self.cache.add(key, 1, window):
            self.cache.set(f"{key}:end", now + window, window)
            return 1, now + window
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window closed between add and incr
            self.cache.set(key, 1, window)
            self.cache.set(f"{key}:end", now + window, window)
            return 1, now + window
        end = self.cache.get(f"{key}:end")
        return int(count), float(end) if end is not None else now + window

    def decr(self, key: str) -> None:
        with contextlib.suppress(ValueError):  # already expired: nothing to take back
            self.cache.decr(key)


def store() -> Store:
    """The store the settings name: a cache alias (``GONGKAI_THROTTLE_CACHE``) or the SQLite file."""
    if settings.GONGKAI_THROTTLE_CACHE:
        return CacheStore(settings.GONGKAI_THROTTLE_CACHE)
    return SqliteStore(Path(settings.GONGKAI_THROTTLE_DB))


# --- the function API ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    scope: str
    key: str  # the stored key (scope and HMAC), for release()
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window closes


def _rate(scope: str) -> tuple[int, int] | None:
    rates: dict[str, tuple[int, int] | None] = settings.GONGKAI_THROTTLE_RATES
    if scope not in rates:
        raise ImproperlyConfigured(f"GONGKAI_THROTTLE_RATES has no scope {scope!r}")
    return rates[scope]


def hit(scope: str, key: str) -> Hit:
    """Count one hit of ``key`` (an address, phone number, code…) against ``scope``'s limit. ``allowed`` is False
    once the limit is passed; a refused hit stays counted until ``release`` (the middleware releases it)."""
    rate = _rate(scope)
    stored = f"{scope}:{salted_hmac('gongkai.throttle', key).hexdigest()[:32]}"
    if rate is None or not settings.GONGKAI_THROTTLE_ENABLED:
        return Hit(scope, stored, True, 0, 0, 0)
    limit, window = rate
    count, end = store().incr(stored, window)
    retry = max(1, math.ceil(end - time.time()))
    return Hit(scope, stored, count <= limit, count, limit, retry)


def release(done: Hit) -> None:
    """Take back a hit that should not count (a refused request, or an answer its rule does not count)."""
    if done.limit:
        store().decr(done.key)


# --- the middleware --------------------------------------------------------------------------------------------


def _normalised_code(raw: object) -> str:
    return "".join(str(raw).split()).upper()[:64] if raw else ""


def _code(request: HttpRequest) -> str:
    """The tracking code of a lookup: the form field, or the JSON body's ``code`` (the API reads a body as JSON
    whatever its declared type, so anything but a form is read as JSON here too)."""
    if request.content_type not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        try:
            body = json.loads(request.body)
        except (ValueError, RequestDataTooBig, RawPostDataException):
            return ""
        return _normalised_code(body.get("code")) if isinstance(body, dict) else ""
    return _normalised_code(request.POST.get("code"))


def _phone(request: HttpRequest) -> str:
    digits = "".join(ch for ch in request.POST.get("phone", "") if ch.isdigit())
    return digits if len(digits) >= 5 else ""  # no usable number: the form refuses it, nothing to count


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"  # without an address, such clients share one counter


_KEYS: dict[str, Callable[[HttpRequest], str]] = {"ip": _ip, "phone": _phone, "code": _code}


def _counts(count: str, status: int) -> bool:
    return count == "all" or (count == "accepted") == (status < 400)


class ThrottleMiddleware:
    """Applies ``GONGKAI_THROTTLE_RULES`` before the view runs (a request over a limit gets 429 and never reaches
    it); after the view, takes back the hits whose rule does not count that answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        for _view, _method, scope, key, count in settings.GONGKAI_THROTTLE_RULES:
            if key not in KEYS or count not in COUNTS:
                raise ImproperlyConfigured(f"GONGKAI_THROTTLE_RULES: bad key {key!r} or count {count!r}")
            _rate(scope)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        taken: list[tuple[Hit, str]] = getattr(request, "_gongkai_throttle", [])
        # A replayed submission (the same idempotency key: a refresh, a double click, a retry after a lost
        # answer) created nothing, so it does not use up the limit (``gongkai.acknowledgement``).
        replay = response.get("Idempotent-Replay") == "true"
        for done, count in taken:
            if replay or not _counts(count, response.status_code):
                release(done)
        return response

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if not settings.GONGKAI_THROTTLE_ENABLED or match is None:
            return None
        taken: list[tuple[Hit, str]] = []
        for view_name, method, scope, key_kind, count in settings.GONGKAI_THROTTLE_RULES:
            if view_name != match.view_name or method != request.method:
                continue
            key = _KEYS[key_kind](request)
            if not key:
                continue
            done = hit(scope, key)
            taken.append((done, count))
            if not done.allowed:
                for earlier, _count in taken:
                    release(earlier)
                return too_many(request, done.retry_after)
        request._gongkai_throttle = taken  # type: ignore[attr-defined]
        return None


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    """HTTP 429 with Retry-After: JSON for the API, otherwise the site's page (templates/429.html)."""
    minutes = max(1, math.ceil(retry_after / 60))
    message = _("请求过于频繁，请在%(minutes)d分钟后再试。") % {"minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "retry_after": retry_after}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
