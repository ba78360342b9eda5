from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


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


class ActionIn(Schema):
    data: dict[str, Any]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class StatusIn(Schema):
    code: str
    secret: str


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
