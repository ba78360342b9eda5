"""Public pages served from a shared cache, invalidated by generation numbers (docs/portal.md, "Caching").

Each page names the namespaces it is built from (``CATALOG``: published items and their counts; ``REPORTS``:
published annual reports; ``BODIES``: bodies, guides and index-number templates). A namespace has a generation
token in the shared cache (the ``CACHES`` alias ``settings.GONGKAI_PAGE_CACHE_ALIAS``, which every web process
shares); a page is stored under its path, normalised query, language, day and the tokens of its namespaces.
``bump(namespace)`` draws a new token — at once and again when the writer's transaction commits — so the next
request renders the page from the committed rows and the old copies are never read again (they expire).

Only anonymous GET/HEAD requests without a session or messages cookie are served from or stored in the cache,
and only answers 200/410 that set no cookie, asked for no CSRF token and are not ``private``/``no-store``: a
signed-in user's page, a form with a CSRF token (the application form) or a receipt is never shared."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

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


def cached_page(*namespaces: str, timeout: int | None = None) -> Callable[[View], View]:
    """Serve the view's anonymous answers from the shared cache, keyed by ``page_key`` (``timeout`` seconds at
    most; default ``GONGKAI_PAGE_CACHE_TIMEOUT``)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            key = page_key(request, namespaces)
            stored = cache().get(key)
            if stored is not None:
                return _http_caching(request, _thaw(stored))
            response = view(request, *args, **kwargs)
            if not storable(request, response):
                return response
            assert isinstance(response, HttpResponse)
            lifetime = timeout if timeout is not None else settings.GONGKAI_PAGE_CACHE_TIMEOUT
            frozen = _freeze(response)
            cache().set(key, frozen, lifetime)
            response["ETag"] = frozen["headers"]["ETag"]
            return _http_caching(request, response)

        return wrapper  # type: ignore[return-value]

    return decorate
