"""The elderly-friendly mode (适老化, 《互联网应用适老化及无障碍改造专项行动方案》工信部信管〔2020〕200号): larger type
and higher contrast, chosen by a plain link (no JavaScript) and remembered in a cookie.

Public pages are shared through the page cache (gongkai/pagecache.py), so the page itself must be the same for
every visitor: it links a second stylesheet, ``care.css``, whose content is chosen here by the visitor's cookie
(the care rules, or nothing) and which is never shared (``private``, ``Vary: Cookie``). The header shows both
links, "适老化模式" and "标准模式"; each stylesheet hides the one that does not apply."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

COOKIE = "gongkai_care"
COOKIE_AGE = 365 * 24 * 3600
STANDARD = b"/* standard mode */\n"


def is_on(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


@require_GET
def choose(request: HttpRequest) -> HttpResponseBase:
    """``?on=1`` turns the mode on, ``?on=0`` off; back to ``next`` (a path of this site) or the home page."""
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(
            COOKIE,
            "1",
            max_age=COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(settings.SESSION_COOKIE_SECURE),
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    response["Cache-Control"] = "no-store"
    return response


@lru_cache(maxsize=1)
def _care_rules() -> bytes:
    found = finders.find("gongkai/care.css")
    path = found if isinstance(found, str) else settings.STATIC_ROOT / "gongkai" / "care.css"
    with open(path, "rb") as f:
        return f.read()


@require_GET
def stylesheet(request: HttpRequest) -> HttpResponseBase:
    """This visitor's mode stylesheet: the care rules when the cookie is set, else an empty sheet."""
    content = _care_rules() if is_on(request) else STANDARD
    etag = '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'
    response = HttpResponse(content, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie",))
    return get_conditional_response(request, etag=etag, response=response) or response
