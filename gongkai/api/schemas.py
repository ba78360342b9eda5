"""The API's schemas. Every request body derives from ``InputSchema``: each of its strings (also inside a
``dict`` or ``list``) is normalised by ``gongkai.inputs.normalise_text`` before validation, and a refused
character or an over-long string is a 422 whose ``loc`` names the field (docs/architecture.md, "Input
normalisation")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ValidationInfo, field_validator

from gongkai.inputs import InputError, normalise_text

DEFAULT_MAX_LENGTH = 2000  # a string field without its own ``Text`` limit
MAX_ITEMS = 50  # entries of a dict or list field


@dataclass(frozen=True)
class Text:
    """The limit of a string field: ``Annotated[str, Text(20)]``; ``multiline`` keeps line breaks."""

    max_length: int
    multiline: bool = False


def _text(value: str, limit: Text, where: str) -> str:
    try:
        text = normalise_text(value, multiline=limit.multiline)
    except InputError as exc:
        raise ValueError(f"{where}{exc}") from exc
    if len(text) > limit.max_length:
        raise ValueError(
            _("%(where)s最多%(max)d个字，当前%(n)d个字")
            % {"where": where, "max": limit.max_length, "n": len(text)}
        )
    return text


def normalised(value: Any, limit: Text, where: str = "") -> Any:
    """``value`` with every string in it normalised; nested values are multi-line and named by their key."""
    if isinstance(value, str):
        return _text(value, limit, where)
    nested = Text(DEFAULT_MAX_LENGTH, multiline=True)
    if isinstance(value, dict | list) and len(value) > MAX_ITEMS:
        raise ValueError(_("%(where)s最多%(max)d项") % {"where": where, "max": MAX_ITEMS})
    if isinstance(value, dict):
        return {
            normalised(str(k), Text(100), where): normalised(v, nested, f"{where}{k}：")
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [normalised(v, nested, where) for v in value]
    return value


class InputSchema(Schema):
    """The base of every request body (``tests/api/test_api_input.py`` checks that each one is)."""

    @field_validator("*", mode="before")
    @classmethod
    def _normalise(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields[info.field_name or ""]
        limits = [m for m in field.metadata if isinstance(m, Text)]
        return normalised(value, limits[0] if limits else Text(DEFAULT_MAX_LENGTH))


class EventOut(Schema):
    kind: str
    label: str
    effective_on: dt.date
    actor: str
    legal_basis: str


class CaseOut(Schema):
    id: int
    body: str
    body_code: str
    subject: str
    state: str
    state_label: str
    regime: str
    channel: str
    applicant_kind: str
    applicant: str | None
    applicant_id_number: str | None  # always masked
    receipt_date: dt.date
    due_date: dt.date
    extended_due_date: dt.date | None
    provisional: bool
    overdue: bool
    outcome: str
    answered_on: dt.date | None


class CaseDetailOut(CaseOut):
    explanation: list[str]
    events: list[EventOut]
    allowed_actions: list[str]


class ApplicantIn(InputSchema):
    """The applicant as on the public form (2019 Regulations art 29 (1)): a person's name and identity document,
    an organisation's name, 统一社会信用代码 and contact person. Identifiers are stored encrypted."""

    kind: Literal["natural", "business", "research", "public_interest", "legal_service", "other"]
    name: Annotated[str, Text(100)]
    id_document: Literal["", "resident_id", "passport", "hk_macao", "taiwan", "other"] = ""
    id_number: Annotated[str, Text(30)] = ""
    credit_code: Annotated[str, Text(18)] = ""
    legal_representative: Annotated[str, Text(50)] = ""
    contact_name: Annotated[str, Text(50)] = ""
    phone: Annotated[str, Text(30)] = ""
    email: Annotated[str, Text(254)] = ""
    address: Annotated[str, Text(200)] = ""
    postcode: Annotated[str, Text(6)] = ""


class CaseIn(InputSchema):
    """A request another system received (a 12345 ticket): registered for ``body`` (org code; default: the
    token's body) on ``received``. ``external_id``: the system's own ticket number (a retry creates nothing)."""

    body: Annotated[str, Text(18)] = ""
    external_id: Annotated[str, Text(200)] = ""
    received: dt.date
    channel: Literal["in_person", "fax", "online", "letter", "email"]
    subject: Annotated[str, Text(500, multiline=True)]
    applicant: ApplicantIn
    provision_form: Literal["", "paper", "electronic", "other"] = ""
    delivery_method: Literal["", "post", "collect", "email", "online"] = ""


class ActionIn(InputSchema):
    data: dict[str, Any]


class ErrorOut(Schema):
    """Every error but 422: what went wrong, and for a refused input the fields with their messages
    (``retry_after``: seconds to wait, with HTTP 429)."""

    detail: str
    errors: dict[str, list[str]] | None = None
    retry_after: int | None = None


class ValidationItemOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    """HTTP 422: each refused input with its location (``["body", "payload", "title"]``) and message, and the
    same messages by field name in ``errors``."""

    detail: list[ValidationItemOut]
    errors: dict[str, list[str]] | None = None


def errors(*codes: int) -> dict[int, Any]:
    """The documented error answers of an operation (``response={200: X, **errors(401, 403)}``)."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}


MAX_ID = 2**63 - 1  # the largest primary key the databases hold: a larger id in a path is a 422, not a 500
MAX_OFFSET = 1_000_000


class StatusIn(InputSchema):
    code: Annotated[str, Text(20)]
    secret: Annotated[str, Text(40)]


class StatusOut(Schema):
    tracking_code: str
    body: str
    state: str
    state_label: str
    receipt_date: dt.date
    due_date: dt.date
    extended_due_date: dt.date | None
    provisional: bool
    outcome_label: str
    events: list[EventOut]


class DeadlineOut(Schema):
    received: str
    receipt_date: dt.date
    regime: str
    due_date: dt.date
    extended_due_date: dt.date
    provisional: bool
    explanation: list[str]
