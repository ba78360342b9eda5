"""Append to the audit log. Domain functions (each app's ``actions`` module) call ``record`` inside their
transaction, so the entry commits or rolls back with the change it describes."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from gongkai.audit.models import AuditEntry

Actor = AbstractBaseUser | AnonymousUser | str | None
SYSTEM = "system"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(
    obj: models.Model, fields: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """A JSON-safe dict of a model instance's concrete fields (foreign keys as their primary keys), without
    the ``exclude`` fields (secrets such as password hashes never enter the log)."""
    excluded = set(exclude)
    data = model_to_dict(obj, fields=list(fields) if fields is not None else None, exclude=list(excluded))
    for field in obj._meta.concrete_fields:
        if (
            field.name not in data
            and field.name not in excluded
            and (fields is None or field.name in fields)
            and not field.primary_key
        ):
            data[field.name] = getattr(obj, field.attname)
    return {k: _jsonable(v) for k, v in data.items()}


def acting_user(actor: Actor) -> User | None:
    """The user behind ``actor`` for a "by" column, or None for the system, an import or the anonymous public."""
    return actor if isinstance(actor, User) else None


def _actor_parts(actor: Actor) -> tuple[Any, str]:
    if actor is None or isinstance(actor, AnonymousUser):
        return None, "anonymous"
    if isinstance(actor, str):
        return None, actor
    return actor, actor.get_username()


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    summary: str = "",
    batch_size: int = 1,
) -> AuditEntry:
    """Append one audit entry. Must run inside the caller's transaction (asserted)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    user, label = _actor_parts(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=user,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        batch_size=batch_size,
    )
