"""The site's error pages (400, 403, 404, 500 and a failed CSRF check) in Chinese, in the site's layout, with the
status, a one-line reason and the way back; never a stack trace. The 429 page is the throttle's
(``gongkai.throttle.too_many``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

from gongkai.portal.identity import safe_current


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request, so no context processor runs: the page needs neither the database nor the
    session, which may be what failed. The site's identity is read defensively (``safe_current``: the default
    identity when the cache or the database is down)."""
    context = {"site": safe_current(), "LANGUAGE_CODE": get_language()}
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without a valid token (often an expired page), explained in Chinese."""
    return render(request, "403.html", {"csrf": True}, status=403)
