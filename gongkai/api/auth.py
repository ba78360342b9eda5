"""Who is calling: another system with a token (``Authorization: Bearer gk_…``), or a signed-in browser user
(the session, with Django's CSRF check on writes). Access decisions are ``gongkai.permissions``'."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from gongkai import permissions, throttle
from gongkai.api import actions
from gongkai.api.models import ApiToken
from gongkai.organisations.models import Organisation, OrganisationQuerySet


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    """An active token (``gongkai.api.actions.authenticate``), counted against its own limit
    (``GONGKAI_THROTTLE_API_TOKEN``): over it, 429 with Retry-After."""

    openapi_description = "API token: `Authorization: Bearer gk_…` (docs/api.md)"

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = actions.authenticate(token)
        if found is None:
            return None
        done = throttle.hit("api_token", found.prefix)
        if not done.allowed:
            throttle.release(done)
            raise Throttled(done.retry_after)
        return found


token_auth = TokenAuth()
TOKEN_OR_SESSION: list[Any] = [token_auth, django_auth]


def token_of(request: HttpRequest) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def actor(request: HttpRequest) -> AbstractBaseUser | AnonymousUser | str:
    """Who a write is recorded as: ``api:<token name>`` for a token, else the signed-in user."""
    token = token_of(request)
    return token.actor_label if token is not None else request.user


def require(request: HttpRequest, scope: str) -> None:
    """A token needs ``scope``; a signed-in user must be staff (their role decides the rest)."""
    token = token_of(request)
    if token is not None:
        if not permissions.token_may(token, scope):
            raise PermissionDenied(_("令牌没有“%(scope)s”权限") % {"scope": scope})
    elif not permissions.is_staff_member(request.user):
        raise PermissionDenied(_("只有工作人员可以使用该接口"))


def visible_orgs(request: HttpRequest, scope: str) -> OrganisationQuerySet:
    """The bodies whose records the caller may read under ``scope``."""
    require(request, scope)
    token = token_of(request)
    return permissions.token_orgs(token) if token is not None else permissions.visible_orgs(request.user)


def named_body(request: HttpRequest, code: str) -> Organisation:
    """The body a write is for: the one whose code is given, else the token's own; a ValidationError on
    ``body`` when there is none. Whether the caller may write for it is the caller's check."""
    token = token_of(request)
    body = (
        Organisation.objects.filter(org_code=code).order_by("-id").first()
        if code
        else (token.body if token is not None else None)
    )
    if body is None:
        raise ValidationError(
            {"body": _("没有代码为“%(c)s”的机关") % {"c": code} if code else _("请填写机关代码")}
        )
    return body
