"""The staff pages' navigation beyond the header's 工作台/申请办理/主动公开管理: the engagement queues of issue 13
(信箱, 12345热线, 回应关切, 意见征集, 在线访谈与新闻发布会) and the report checker's pages, each shown only to a user the
page itself lets in (``gongkai.permissions``: the queues and the checker ask ``is_staff_member`` /
``can_use_checker``). A context processor (``gongkai.settings``) so every staff page's header carries it;
anonymous visitors get nothing and cost no query (the public pages are cached)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai import permissions


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def staff_links(user: Any) -> list[NavLink]:
    """The links ``user`` may follow, in the order shown."""
    if not getattr(user, "is_authenticated", False) or not permissions.is_staff_member(user):
        return []
    names = [
        (_("信箱来信"), "mailbox_staff:queue"),
        (_("12345热线工单"), "hotline_staff:tickets"),
        (_("回应关切"), "engagement_staff:events"),
        (_("意见征集"), "consultations_staff:list"),
        (_("在线访谈与新闻发布会"), "interviews_staff:list"),
    ]
    if permissions.can_use_checker(user):
        names += [(_("年报批量检查"), "checker:batch"), (_("年度报告逐年比较"), "checker:compare")]
    return [NavLink(label, reverse(name)) for label, name in names]


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"staff_nav": staff_links(user)}
