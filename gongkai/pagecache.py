"""Public pages served from a shared cache, invalidated by generation numbers (docs/portal.md, "Caching").

Each page names the namespaces it is built from (``CATALOG``: published items and their counts; ``REPORTS``:
published annual reports; ``BODIES``: bodies, guides and index-number templates). A namespace has a generation
token in the shared cache (the ``CACHES`` alias ``settings.GONGKAI_PAGE_CACHE_ALIAS``, which every web process
shares); a page is stored under its path, normalised query, language, day and the tokens of its namespaces.
``bump(namespace)`` draws a new token — at once and again when the writer's transaction commits — so the next
request renders the page from the committed rows and the old copies are never read again (they expire).

Only anonymous GET/HEAD requests without a session or messages cookie are served from or stored in the cache,
and only answers 200/410 that set no cookie, asked for no CSRF token and are not ``private``/``no-store``: a
signed-in user's page, a form with a CSRF token (the application form) or a receipt is never shared.

A page is built by one request at a time (single flight): the request that misses claims the page's build
lock; others asking for the same page meanwhile wait for its copy (``GONGKAI_PAGE_BUILD_WAIT`` seconds at
most, then build it themselves). A copy whose lifetime has passed is kept ``GONGKAI_PAGE_STALE_GRACE``
seconds longer and served while one request rebuilds it: under load, an expiry costs one build, not one per
worker thread, and no reader waits for it. A change never serves a stale copy: its new generation is a new
key, which has no copy to serve."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from gongkai import dbrouting

CATALOG = "catalog"
REPORTS = "reports"
BODIES = "bodies"
STORED_STATUSES = frozenset({200, 410})
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Content-Disposition")

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def cache() -> BaseCache:
    return caches[settings.GONGKAI_PAGE_CACHE_ALIAS]


def _token() -> str:
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def generation(namespaces: Iterable[str]) -> str:
    """The current tokens of ``namespaces`` joined (a namespace never bumped gets its first token now)."""
    keys = [f"gen:{ns}" for ns in namespaces]
    found = cache().get_many(keys)
    for key in keys:
        if key not in found:
            cache().add(key, _token(), timeout=None)
            found[key] = cache().get(key) or ""
    return ".".join(str(found[k]) for k in keys)


def bump(*namespaces: str) -> None:
    """Invalidate every page built from ``namespaces``: now (the writer's own next request sees the change) and
    once the transaction commits (a page another process rendered from the old rows meanwhile is dropped).

    With a read replica, the replica floor is raised on commit *before* the second draw
    (``dbrouting.raise_floor``): a page rendered under the new generation is then never read from a replica that
    has not replayed the write yet, which would keep the old rows cached under the new token."""

    def draw() -> None:
        cache().set_many({f"gen:{ns}": _token() for ns in namespaces}, timeout=None)

    draw()
    dbrouting.raise_floor()
    transaction.on_commit(draw)


def remember(key: str, compute: Callable[[], Any], timeout: int | None = None) -> Any:
    """``compute()``'s value stored under ``key`` in the shared cache, computed only when absent."""
    value = cache().get(key)
    if value is None:
        value = compute()
        cache().set(key, value, timeout if timeout is not None else settings.GONGKAI_PAGE_CACHE_TIMEOUT)
    return value


def cacheable(request: HttpRequest) -> bool:
    """Whether this request may be answered from the public cache (anonymous, no session, a plain GET)."""
    return (
        bool(settings.GONGKAI_PAGE_CACHE)
        and request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
    )


def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether a rendered answer may be shared: nothing personal, no cookie, no CSRF token in it."""
    control = response.get("Cache-Control", "")
    return (
        isinstance(response, HttpResponse)
        and not response.streaming
        and response.status_code in STORED_STATUSES
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in control
        and "no-store" not in control
    )


def page_key(request: HttpRequest, namespaces: Iterable[str]) -> str:
    """The cache key of this page: path, normalised query (sorted, trimmed, empty values dropped), host,
    language, today's date (pages say what is in force today) and the namespaces' generation."""
    query = sorted((k, v.strip()) for k, values in request.GET.lists() for v in values if v.strip())
    parts = [
        generation(namespaces),
        request.get_host(),
        str(get_language()),
        timezone.localdate().isoformat(),
        request.path,
        repr(query),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _etag(content: bytes) -> str:
    return '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'


def _freeze(response: HttpResponse) -> dict[str, Any]:
    """What is stored of an answer: status, body, the kept headers and the ETag (hashed once, here)."""
    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
    headers["ETag"] = _etag(response.content)
    return {"status": response.status_code, "content": response.content, "headers": headers}


def _thaw(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"], status=stored["status"])
    for header, value in stored["headers"].items():
        response[header] = value
    return response


def _http_caching(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    """ETag, a short public max-age and ``Vary`` for nginx and browsers; a matching If-None-Match gets 304."""
    if "ETag" not in response:
        response["ETag"] = _etag(response.content)
    etag = response["ETag"]
    if "Cache-Control" not in response:
        response["Cache-Control"] = f"public, max-age={int(settings.GONGKAI_PAGE_MAX_AGE)}"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    if response.status_code == 200:
        return get_conditional_response(request, etag=etag, response=response) or response
    return response


def _claim(key: str) -> bool:
    """Claim the build of the page stored under ``key``; False when another request holds the claim."""
    return bool(cache().add(f"building:{key}", 1, timeout=settings.GONGKAI_PAGE_BUILD_LOCK))


def _release(key: str) -> None:
    cache().delete(f"building:{key}")


def _await_copy(key: str) -> dict[str, Any] | None:
    """The copy another request is building under ``key``, once stored; None when its builder stopped
    without storing one (a page that may not be shared) or the wait is over."""
    deadline = time.monotonic() + settings.GONGKAI_PAGE_BUILD_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.02)
        found = cache().get_many([key, f"building:{key}"])
        if key in found:
            return cast(dict[str, Any], found[key])
        if f"building:{key}" not in found:
            return None
    return None


def _now() -> float:
    return time.time()


def _fresh(stored: dict[str, Any]) -> bool:
    return float(stored.get("fresh_until", "inf")) > _now()


def _build(
    request: HttpRequest, key: str, view: Callable[[], HttpResponseBase], lifetime: int
) -> HttpResponseBase:
    """Render the page and store it: fresh for ``lifetime`` seconds, kept for the stale grace after that."""
    response = view()
    if not storable(request, response):
        return response
    assert isinstance(response, HttpResponse)
    frozen = _freeze(response) | {"fresh_until": _now() + lifetime}
    cache().set(key, frozen, lifetime + settings.GONGKAI_PAGE_STALE_GRACE)
    response["ETag"] = frozen["headers"]["ETag"]
    return _http_caching(request, response)


def cached_page(*namespaces: str, timeout: int | None = None) -> Callable[[View], View]:
    """Serve the view's anonymous answers from the shared cache, keyed by ``page_key`` (fresh ``timeout``
    seconds at most, default ``GONGKAI_PAGE_CACHE_TIMEOUT``; built by one request at a time)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            key = page_key(request, namespaces)
            stored = cache().get(key)
            if stored is not None and _fresh(stored):
                return _http_caching(request, _thaw(stored))
            claimed = _claim(key)
            if (
                not claimed
            ):  # another request is building this page: its stale copy, else wait for the new one
                stored = stored if stored is not None else _await_copy(key)
                if stored is not None:
                    return _http_caching(request, _thaw(stored))
            lifetime = timeout if timeout is not None else settings.GONGKAI_PAGE_CACHE_TIMEOUT
            try:
                return _build(request, key, lambda: view(request, *args, **kwargs), lifetime)
            finally:
                if claimed:
                    _release(key)

        return wrapper  # type: ignore[return-value]

    return decorate
