"""Login lockout (issue #10): django-axes counts failed logins per username and address
(``AXES_LOCKOUT_PARAMETERS``); this module is its glue: the backend and the Chinese lockout page. The client
address is the throttle's (``gongkai.throttle.client_ip``: REMOTE_ADDR unless proxies are trusted)."""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no type hints
    """django-axes' check, first in AUTHENTICATION_BACKENDS: a locked-out username+address is refused before any
    password is checked, so the right password does not help during the cool-off.

    A call without a request is not an HTTP login (the test client's ``login``, a management command): there is
    no address to lock, so it is left to the next backend. Every web login (the login page, the admin's) passes
    the request."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def lockout_response(
    request: HttpRequest, original: HttpResponse | None, credentials: object
) -> HttpResponse:
    """The login page again, with the lockout explained in Chinese, as HTTP 429 with Retry-After (the cool-off)."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        "form": AuthenticationForm(request),
        "next": request.POST.get("next", request.GET.get("next", "")),
        "locked_out": _("登录失败次数过多，该用户名在当前网络地址已被暂停登录。请在%(minutes)d分钟后再试。")
        % {"minutes": minutes},
    }
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
