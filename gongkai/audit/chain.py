"""The audit log's hash chain (docs/audit.md): every entry stores ``chain_hash = SHA-256(prev_hash "\\n"
canonical content)``, where ``prev_hash`` is the previous entry's ``chain_hash`` (``GENESIS`` for the first).
Changing, deleting or reordering any entry breaks the chain at that entry; ``verify`` finds the first break.

The canonical content is a contract: entries hashed years ago must hash the same today. Change nothing here
without a migration that says how old entries are verified."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

GENESIS = "0" * 64
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "batch_size",
)


def _number(value: float) -> int | float:
    """A float as JSON reads it back: PostgreSQL's jsonb keeps numbers as decimals, so ``1e20`` returns as the
    integer ``100000000000000000000``; an integral float is hashed as that integer."""
    exact = decimal.Decimal(repr(value))
    return int(exact) if exact == exact.to_integral_value() else value


def _normal(value: Any) -> Any:
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def _timestamp(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("audit timestamps are timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: Mapping[str, Any]) -> bytes:
    """The stable JSON of an entry's content (the ``CONTENT_FIELDS``): sorted keys, no spaces, UTF-8."""
    data = {name: _normal(content[name]) for name in CONTENT_FIELDS}
    if isinstance(data["at"], dt.datetime):
        data["at"] = _timestamp(data["at"])
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(content)).hexdigest()


def content_of(entry: Any) -> dict[str, Any]:
    """The content fields of an entry (a model instance, current or historical)."""
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


@dataclass(frozen=True)
class Report:
    count: int
    head_id: int  # 0 for an empty log
    head_hash: str
    problem: str | None = None
    problem_id: int | None = None


def _rows() -> Iterator[dict[str, Any]]:
    from gongkai.audit.models import AuditEntry

    fields = ("id", "prev_hash", "chain_hash", *CONTENT_FIELDS)
    yield from AuditEntry.objects.order_by("id").values(*fields).iterator(chunk_size=2000)


def _break(row: Mapping[str, Any], prev_id: int, prev_hash: str) -> str | None:
    """What is wrong with ``row`` after the entry ``prev_id`` (0: none) whose hash is ``prev_hash``."""
    if entry_hash(row["prev_hash"], row) != row["chain_hash"]:
        return _("第%(id)d条的内容与其哈希不符：该条已被修改。") % {"id": row["id"]}
    if row["prev_hash"] != prev_hash and prev_id == 0:
        return _("第%(id)d条不是日志的第一条：它之前的条目已被删除。") % {"id": row["id"]}
    if row["prev_hash"] != prev_hash:
        return _("第%(id)d条没有接在第%(prev)d条之后：两者之间的条目被删除，或条目顺序被调换。") % {
            "id": row["id"],
            "prev": prev_id,
        }
    return None


def verify() -> Report:
    """Walk the log in id order, recomputing every hash; stop at the first break."""
    count, prev_id, prev_hash = 0, 0, GENESIS
    for row in _rows():
        problem = _break(row, prev_id, prev_hash)
        if problem is not None:
            return Report(count, prev_id, prev_hash, problem, row["id"])
        count, prev_id, prev_hash = count + 1, row["id"], row["chain_hash"]
    return Report(count, prev_id, prev_hash)
