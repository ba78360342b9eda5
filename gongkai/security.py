"""Response headers that Django's SecurityMiddleware does not set: a Content-Security-Policy on every response,
and ``Cache-Control: private, no-store`` on staff pages and on every answer to a signed-in user, so that no
browser cache or proxy keeps personal data or case files (docs/deploy.md, "Security headers").

Settings: ``GONGKAI_CSP`` (the policy, default ``settings.DEFAULT_CSP``; empty: no header), ``GONGKAI_CSP_REPORT_ONLY`` (send it as
``Content-Security-Policy-Report-Only``), ``GONGKAI_NO_STORE_PATHS`` (path prefixes)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

NO_STORE = "private, no-store"


def _signed_in(request: HttpRequest) -> bool:
    """Whether the request comes from a signed-in user, asked only when it carries a session cookie (asking
    reads the session, which would add ``Vary: Cookie`` to every public page)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def no_store(request: HttpRequest) -> bool:
    return request.path.startswith(tuple(settings.GONGKAI_NO_STORE_PATHS)) or _signed_in(request)


class SecurityHeadersMiddleware:
    """Adds the CSP (unless the view set its own) and ``Cache-Control: private, no-store`` where it applies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = str(settings.GONGKAI_CSP)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.GONGKAI_CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        if policy and header not in response.headers:
            response.headers[header] = policy
        if no_store(request):
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response
