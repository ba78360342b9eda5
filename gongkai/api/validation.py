"""One body for every refused input (HTTP 422): ninja's ``detail`` list of locations and messages, plus the
same messages by field name in ``errors``, whether pydantic refused the request or a domain function did."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Status

_ROOTS = {"body", "query", "path", "header", "form", "file", "cookie", "payload"}


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """``["body", "payload", "title"]`` → ``title``; ``["query", "limit"]`` → ``limit``."""
    parts = [str(p) for p in loc]
    while len(parts) > 1 and parts[0] in _ROOTS:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def by_field(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        out.setdefault(field_name(item.get("loc", [])), []).append(str(item.get("msg", "")))
    return out


def body(items: list[dict[str, Any]]) -> dict[str, Any]:
    detail = [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in i.get("loc", [])],
            "msg": str(i.get("msg", "")),
            "type": str(i.get("type", "value_error")),
        }
        for i in items
    ]
    return {"detail": detail, "errors": by_field(detail)}


def invalid(
    exc: ValidationError, nested: set[str] | frozenset[str] = frozenset(), under: str = "applicant"
) -> Status[dict[str, Any]]:
    """A domain ``ValidationError`` as a 422 naming its fields (a field in ``nested`` inside ``under``)."""
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    items = [
        {
            "loc": ["body", "payload", *([under] if field in nested else []), field],
            "msg": m,
            "type": "value_error",
        }
        for field, ms in messages.items()
        for m in ms
    ]
    return Status(422, body(items))
