"""Logins, failed logins and logouts go into the audit log (issue #10; docs/audit.md), each with the client's
address (``gongkai.throttle.client_ip``, as the lockout counts it). A failed login's actor is "anonymous" and
its entry names the username that was tried; the password never enters the log. Lockout itself is
django-axes' (``gongkai.lockout``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.throttle import client_ip


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


def _record_user(user: AbstractBaseUser, action: str, summary: str, request: HttpRequest | None) -> None:
    with transaction.atomic():
        record(user, action, user, after={"ip": _ip(request)}, summary=summary)


def logged_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    _record_user(user, "auth.login", _("登录"), request)


def logged_out(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:  # logging out without a session is nobody's logout
        _record_user(user, "auth.logout", _("退出登录"), request)


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Only the username is taken from the credentials (Django has already masked the password in them)."""
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))[:150]
    with transaction.atomic():
        record(
            "anonymous",
            "auth.login_failed",
            object_type="auth.user",
            after={"username": username, "ip": _ip(request)},
            summary=_("登录失败：用户名 %(username)s") % {"username": username},
        )


def connect() -> None:
    user_logged_in.connect(logged_in, dispatch_uid="gongkai.accounts.audit_login")
    user_logged_out.connect(logged_out, dispatch_uid="gongkai.accounts.audit_logout")
    user_login_failed.connect(login_failed, dispatch_uid="gongkai.accounts.audit_login_failed")
