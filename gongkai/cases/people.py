"""Who did a step, as the case timeline shows it: the person's name with their body and role
("张敏（测试市教育局 经办人）"), never a login name. Steps done by no person (an online application, the system,
imported data) are named for what they are; a user without a name or staff profile falls back gracefully."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import StaffProfile
from gongkai.cases.models import CaseEvent

NON_PERSONS: dict[str, str | Promise] = {
    "public": _("申请人（网上提交）"),
    "anonymous": _("申请人（网上提交）"),
    "system": _("系统"),
    "demo": _("系统（演示数据）"),
}


def person_name(user: Any) -> str:
    """A Chinese name is family name then given name, without a space; else the login name."""
    full = f"{user.last_name or ''}{user.first_name or ''}".strip()
    return full or str(user.get_username())


def actor_display(event: CaseEvent) -> str:
    """The actor of ``event`` by name and role (the staff profile's body and role when there is one)."""
    user = event.actor
    if user is None:
        return str(NON_PERSONS.get(event.actor_label, event.actor_label or _("未记录")))
    name = person_name(user)
    profile: StaffProfile | None = getattr(user, "staff_profile", None)
    if profile is None:
        return name if not user.is_superuser else str(_("%(name)s（系统管理员）") % {"name": name})
    return str(
        _("%(name)s（%(body)s %(role)s）")
        % {"name": name, "body": profile.body.display_name, "role": profile.get_role_display()}
    )


def timeline(events: Any) -> list[tuple[CaseEvent, str]]:
    """The events with their actors' display names (one query for the people)."""
    rows = events.select_related("actor__staff_profile__body")
    return [(event, actor_display(event)) for event in rows]
