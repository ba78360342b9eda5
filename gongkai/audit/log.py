"""Append to the audit log. Domain functions (each app's ``actions`` module) call ``record`` inside their
transaction, so the entry commits or rolls back with the change it describes.

Entries are hash-chained in insertion order (``gongkai.audit.chain``, docs/audit.md); no secret enters them
(``secret_fields``: one rule for every snapshot and every entry)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from gongkai.audit import chain
from gongkai.audit.models import AuditEntry

Actor = AbstractBaseUser | AnonymousUser | str | None
SYSTEM = "system"

# Field names that hold a secret or something derived from one: password hashes, keyed digests, one-way hashes
# (tracking secrets, idempotency keys), ciphertexts, tokens. A model names any other such field in
# ``audit_secret_fields``; a field matching the pattern that holds no secret is renamed, not exempted.
SECRET_NAME = re.compile(r"^password$|secret|_encrypted$|_digest$|_hash$|_token$")

# PostgreSQL advisory lock serialising the chain (the first 8 bytes of SHA-256("gongkai.audit.chain"), signed).
CHAIN_LOCK = int.from_bytes(hashlib.sha256(b"gongkai.audit.chain").digest()[:8], "big", signed=True)


def secret_fields(model: type[models.Model] | models.Model) -> frozenset[str]:
    """The fields of ``model`` that never enter the audit log: names matching ``SECRET_NAME`` plus the
    model's own ``audit_secret_fields``."""
    named = {f.name for f in model._meta.get_fields() if SECRET_NAME.search(f.name)}
    return frozenset(named | set(getattr(model, "audit_secret_fields", ())))


def _without_secrets(value: Any) -> Any:
    """``value`` without any mapping key that names a secret, at any depth (a hand-built before/after too)."""
    if isinstance(value, Mapping):
        return {k: _without_secrets(v) for k, v in value.items() if not SECRET_NAME.search(str(k))}
    if isinstance(value, list | tuple):
        return [_without_secrets(v) for v in value]
    return value


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
    the ``exclude`` fields and never a secret (``secret_fields``), even one named in ``fields``."""
    excluded = set(exclude) | secret_fields(obj)
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


def _lock_chain() -> None:
    """Hold the chain until this transaction ends, so that chain order is commit order and no two writers
    append after the same entry. PostgreSQL: a transaction-level advisory lock, released at commit or
    rollback. SQLite needs none: its transactions are IMMEDIATE (settings.py), so a writer holds the database's
    write lock from BEGIN to COMMIT. The head is read after the lock is taken, which needs PostgreSQL's READ
    COMMITTED (Django's default isolation level)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def described(obj: object) -> str:
    """An object's ``str()`` taken when the entry is written, so in the site's language (``record``): a lazy
    proxy (a ``Promise``) that the type checker sees as the ``str`` it becomes."""
    return lazy(str, str)(obj)


def _stored_text(text: str | Promise) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _head() -> str:
    """The hash of the newest entry (the chain's head), or ``chain.GENESIS`` for an empty log."""
    last = AuditEntry.objects.order_by("-id").values_list("chain_hash", flat=True).first()
    return last or chain.GENESIS


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    summary: str | Promise = "",
    batch_size: int = 1,
) -> AuditEntry:
    """Append one audit entry, chained after the newest one. Must run inside the caller's transaction
    (asserted). A lazy ``summary`` is written in the site's language (zh-Hans) whatever the language of the
    page the action came from: the log is the body's record, not the visitor's page."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    user, label = _actor_parts(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=_stored_text(summary)[:300],
        before=_without_secrets(_jsonable(before)) if before is not None else None,
        after=_without_secrets(_jsonable(after)) if after is not None else None,
        batch_size=batch_size,
    )
    _lock_chain()
    entry.prev_hash = _head()
    entry.chain_hash = chain.entry_hash(entry.prev_hash, chain.content_of(entry))
    entry.save(force_insert=True)
    return entry
