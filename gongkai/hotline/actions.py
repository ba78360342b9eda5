"""Every write of the 12345 hotline, one function each: atomic, audited (``gongkai.audit``), with a
``TicketEvent`` for each step of a ticket's life. Permission checks are the callers' (API, views, command).

``receive_ticket`` is idempotent by (source, ticket number): the platform may send a ticket again. The same
intake content again is a no-op; with a later status (or a rating) it moves the ticket forward; with other
intake content, or a status that would move it back, it is refused (``Conflict``) and nothing changes.
``create_tickets_bulk`` writes many validated tickets at once (an import, the demo) with one audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import crypto
from gongkai.audit.log import Actor, record, snapshot
from gongkai.figures.bulk import mark_records
from gongkai.hotline.models import (
    OPEN_STATUSES,
    STATUS_ORDER,
    Category,
    EventKind,
    Satisfaction,
    Source,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from gongkai.inputs import InputError, normalise_text
from gongkai.masking import mask_phone
from gongkai.organisations.models import Organisation

# The intake fields: what the platform registered when it took the call. A replay must carry the same.
INTAKE_FIELDS = ("received_at", "category", "topic", "caller_name", "phone", "content", "due_at")
LIMITS = {"number": 40, "topic": 100, "caller_name": 50, "phone": 20, "content": 5000, "result": 5000}
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
PHONE = re.compile(r"^\+?[\d\s-]+$")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # checked first: a year such as 1 or 9999 overflows a time zone shift
EARLIEST = dt.datetime(2000, 1, 2, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(minutes=10)  # a platform's clock a little ahead of ours is not an error
AUDIT_EXCLUDE = ("caller_name", "content", "result")  # personal data stays in the record, not the log


class Conflict(Exception):
    """A replay of a ticket number with other content, or a status that would move the ticket back."""


class Outcome:
    CREATED = "created"
    UNCHANGED = "unchanged"
    UPDATED = "updated"


def actor_label(actor: Actor) -> str:
    if actor is None or isinstance(actor, AnonymousUser):
        return "anonymous"
    if isinstance(actor, str):
        return actor
    return str(actor.get_username())


# --- validation -------------------------------------------------------------------------------------------------


def _text(field: str, value: Any, errors: dict[str, str], *, multiline: bool = False) -> str:
    if value is None:
        return ""
    try:
        text = normalise_text(str(value), multiline=multiline)
    except InputError as exc:
        errors[field] = str(exc)
        return ""
    limit = LIMITS.get(field)
    if limit is not None and len(text) > limit:
        errors[field] = _("最多%(max)d个字，当前%(n)d个字") % {"max": limit, "n": len(text)}
    return text


def _time(field: str, value: Any, errors: dict[str, str], *, required: bool = False) -> dt.datetime | None:
    if value is None or value == "":
        if required:
            errors[field] = _("请填写时间")
        return None
    if not isinstance(value, dt.datetime):
        errors[field] = _("应为时间，例如 2026-03-02 09:30")
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        errors[field] = _("时间应在2000年至今之间")
        return None
    aware: dt.datetime = timezone.make_aware(value) if timezone.is_naive(value) else value
    if not EARLIEST <= aware <= timezone.now() + CLOCK_SKEW and field != "due_at":
        errors[field] = _("时间应在2000年至今之间")
    return aware


def check_number(number: str) -> str:
    text = number.strip()
    if not text:
        raise ValidationError({"number": _("请填写工单编号")})
    if len(text) > LIMITS["number"] or not NUMBER.match(text):
        raise ValidationError({"number": _("工单编号只能由字母、数字和 . _ / - 组成，最多40个字符")})
    return text


def clean_intake(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The intake fields normalised (text, times in the site's zone, phone digits), or a ValidationError
    naming each bad field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "received_at": _time("received_at", fields.get("received_at"), errors, required=True),
        "topic": _text("topic", fields.get("topic"), errors),
        "caller_name": _text("caller_name", fields.get("caller_name"), errors),
        "phone": _text("phone", fields.get("phone"), errors),
        "content": _text("content", fields.get("content"), errors, multiline=True),
        "due_at": _time("due_at", fields.get("due_at"), errors),
    }
    category = fields.get("category") or Category.OTHER
    if category not in Category.values:
        errors["category"] = _("可选：%(all)s") % {"all": "、".join(Category.values)}
    out["category"] = category
    phone = out["phone"]
    if phone and (not PHONE.match(phone) or not 5 <= len(re.sub(r"\D", "", phone)) <= 15):
        errors["phone"] = _("电话号码应为5至15位数字")
    received, due = out["received_at"], out["due_at"]
    if received is not None and due is not None and due < received:
        errors["due_at"] = _("办理时限不能早于受理时间")
    if errors:
        raise ValidationError(errors)
    return out


def content_digest(body: Organisation, intake: Mapping[str, Any]) -> str:
    """SHA-256 of the body and the intake fields (times in UTC): equal for a faithful replay."""
    values = {
        k: (v.astimezone(dt.UTC).isoformat() if isinstance(v, dt.datetime) else v)
        for k, v in intake.items()
        if k in INTAKE_FIELDS
    }
    data = json.dumps({"body": body.pk, **values}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _ticket(body: Organisation, source: str, number: str, intake: Mapping[str, Any]) -> Ticket:
    phone = intake.get("phone", "")
    return Ticket(
        source=source,
        number=number,
        body=body,
        received_at=intake["received_at"],
        category=intake.get("category") or Category.OTHER,
        topic=intake.get("topic", ""),
        caller_name=intake.get("caller_name", ""),
        phone_encrypted=crypto.encrypt(phone),
        phone_masked=mask_phone(phone),
        content=intake.get("content", ""),
        due_at=intake.get("due_at"),
        content_sha256=content_digest(body, intake),
    )


def _event(actor: Actor, ticket: Ticket, kind: str, at: dt.datetime, note: str = "") -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, kind=kind, status=ticket.status, at=at, actor_label=actor_label(actor), note=note
    )


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("body").get(pk=ticket.pk)


def _step_time(ticket: Ticket, at: dt.datetime | None) -> dt.datetime:
    at = at or timezone.now()
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        raise ValidationError({"at": _("时间应在2000年至今之间")})
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at < ticket.received_at:
        raise ValidationError({"at": _("时间不能早于受理时间")})
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": _("时间不能晚于现在")})
    return at


def may_move(current: str, new: str) -> bool:
    """Whether a ticket's status may go from ``current`` to ``new`` (forward only; 已办结 is final)."""
    if current == TicketStatus.COMPLETED or new == current:
        return False
    if new == TicketStatus.RETURNED:
        return current in OPEN_STATUSES
    if current == TicketStatus.RETURNED:
        return new != TicketStatus.RECEIVED
    return STATUS_ORDER[new] > STATUS_ORDER[current]


# --- steps ------------------------------------------------------------------------------------------------------


def _move(actor: Actor, ticket: Ticket, status: str, at: dt.datetime, note: str, result: str) -> None:
    if status not in TicketStatus.values:
        raise ValidationError({"status": _("可选：%(all)s") % {"all": "、".join(TicketStatus.values)}})
    if not may_move(ticket.status, status):
        raise Conflict(
            _("工单处于“%(old)s”状态，不能变为“%(new)s”")
            % {"old": TicketStatus(ticket.status).label, "new": TicketStatus(status).label}
        )
    before = snapshot(ticket, exclude=AUDIT_EXCLUDE)
    ticket.status = status
    kind = EventKind.STATUS
    if status == TicketStatus.COMPLETED:
        if not result:
            raise ValidationError({"result": _("办结须填写办理结果")})
        ticket.completed_at, ticket.result, kind = at, result, EventKind.COMPLETED
    ticket.save()
    _event(actor, ticket, kind, at, note or result)
    record(
        actor,
        f"hotline.{'complete' if kind == EventKind.COMPLETED else 'status'}",
        ticket,
        before=before,
        after=snapshot(ticket, exclude=AUDIT_EXCLUDE),
        summary=f"{ticket.number} {TicketStatus(status).label}",
    )


def _rate(actor: Actor, ticket: Ticket, satisfaction: str, at: dt.datetime) -> bool:
    if satisfaction not in Satisfaction.values or satisfaction == Satisfaction.UNRATED:
        raise ValidationError({"satisfaction": _("可选：satisfied、mostly、unsatisfied")})
    if ticket.status != TicketStatus.COMPLETED:
        raise Conflict(_("工单办结后才能评价"))
    if ticket.satisfaction == satisfaction:
        return False
    before = snapshot(ticket, exclude=AUDIT_EXCLUDE)
    ticket.satisfaction, ticket.rated_at = satisfaction, at
    ticket.save()
    _event(actor, ticket, EventKind.RATED, at, str(Satisfaction(satisfaction).label))
    record(
        actor,
        "hotline.rate",
        ticket,
        before=before,
        after=snapshot(ticket, exclude=AUDIT_EXCLUDE),
        summary=f"{ticket.number} {Satisfaction(satisfaction).label}",
    )
    return True


def _progress(
    actor: Actor,
    ticket: Ticket,
    *,
    status: str = "",
    at: dt.datetime | None = None,
    note: str = "",
    result: str = "",
    satisfaction: str = "",
) -> bool:
    """Apply a status update and/or a rating; False when neither changes anything."""
    changed = False
    errors: dict[str, str] = {}
    note = _text("note", note, errors, multiline=True)
    result = _text("result", result, errors, multiline=True)
    if errors:
        raise ValidationError(errors)
    when = _step_time(ticket, at)
    if status and status != ticket.status:
        _move(actor, ticket, status, when, note, result)
        changed = True
    if satisfaction and satisfaction != Satisfaction.UNRATED:
        changed = _rate(actor, ticket, satisfaction, when) or changed
    return changed


def _replayed(
    actor: Actor, existing: Ticket, *, status: str, at: dt.datetime | None, result: str, satisfaction: str
) -> bool:
    """A ticket the platform sends again with its content unchanged: moved forward to ``status`` when it may
    move there (a status that moves back is a ``Conflict``), rated if a rating came. Whether it changed."""
    if status and status != existing.status and may_move(existing.status, status):
        return _progress(actor, existing, status=status, at=at, result=result, satisfaction=satisfaction)
    if status and status != existing.status:
        raise Conflict(
            _("工单处于“%(old)s”状态，不能变为“%(new)s”")
            % {"old": existing.get_status_display(), "new": TicketStatus(status).label}
        )
    return _progress(actor, existing, at=at, satisfaction=satisfaction)


@transaction.atomic
def receive_ticket(
    actor: Actor,
    body: Organisation,
    *,
    source: str,
    number: str,
    fields: Mapping[str, Any],
    status: str = "",
    at: dt.datetime | None = None,
    result: str = "",
    satisfaction: str = "",
) -> tuple[Ticket, str]:
    """A ticket the platform dispatched to ``body`` (``fields``: the intake fields), with its current
    ``status`` (and ``result``, ``satisfaction``) if the platform sends them. Returns (ticket, outcome):
    ``created``; ``unchanged`` for a faithful replay; ``updated`` when a replay moved it forward. Raises
    ``Conflict`` for other content under the same number or a status that moves back, ``ValidationError``
    naming the field."""
    if source not in Source.values:
        raise ValidationError({"source": _("未知的来源")})
    number = check_number(number)
    intake = clean_intake(fields)
    digest = content_digest(body, intake)
    existing = Ticket.objects.select_for_update().filter(source=source, number=number).first()
    if existing is not None:
        if existing.body_id != body.pk or existing.content_sha256 != digest:
            raise Conflict(_("工单%(n)s已登记，内容与本次不同；状态变更请使用状态更新接口") % {"n": number})
        changed = _replayed(actor, existing, status=status, at=at, result=result, satisfaction=satisfaction)
        return existing, Outcome.UPDATED if changed else Outcome.UNCHANGED
    ticket = _ticket(body, source, number, intake)
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:  # the same number registered by a concurrent request a moment ago
        raise Conflict(_("工单%(n)s正在登记，请稍后重试") % {"n": number}) from None
    _event(actor, ticket, EventKind.RECEIVED, ticket.received_at)
    record(
        actor,
        "hotline.receive",
        ticket,
        after=snapshot(ticket, exclude=AUDIT_EXCLUDE),
        summary=f"{number} {ticket.topic}"[:300],
    )
    if status or satisfaction:
        _progress(actor, ticket, status=status, at=at, result=result, satisfaction=satisfaction)
    return ticket, Outcome.CREATED


@transaction.atomic
def update_ticket(
    actor: Actor,
    ticket: Ticket,
    *,
    status: str = "",
    at: dt.datetime | None = None,
    note: str = "",
    result: str = "",
    satisfaction: str = "",
) -> tuple[Ticket, bool]:
    """A status update (and/or a rating) of a ticket: forward only (``Conflict`` otherwise); the same status
    again is a no-op. Returns (ticket, changed)."""
    ticket = _locked(ticket)
    changed = _progress(
        actor, ticket, status=status, at=at, note=note, result=result, satisfaction=satisfaction
    )
    return ticket, changed


def complete(actor: Actor, ticket: Ticket, *, result: str, at: dt.datetime | None = None) -> Ticket:
    """办结: the ticket is completed at ``at`` (default now) with its result."""
    done, _changed = update_ticket(actor, ticket, status=TicketStatus.COMPLETED, at=at, result=result)
    return done


def rate(actor: Actor, ticket: Ticket, satisfaction: str, at: dt.datetime | None = None) -> Ticket:
    """回访评价 of a completed ticket (满意, 基本满意, 不满意)."""
    done, _changed = update_ticket(actor, ticket, satisfaction=satisfaction, at=at)
    return done


# --- many at once -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewTicket:
    """A validated ticket for ``create_tickets_bulk``: its intake fields and where it stands now."""

    body: Organisation
    number: str
    intake: Mapping[str, Any]
    status: str = TicketStatus.RECEIVED
    completed_at: dt.datetime | None = None
    result: str = ""
    satisfaction: str = Satisfaction.UNRATED


def _bulk_events(ticket: Ticket, label: str) -> list[TicketEvent]:
    """The timeline of a ticket written in bulk: received; completed or its status if it moved on; rated."""
    events = [
        TicketEvent(
            ticket=ticket,
            kind=EventKind.RECEIVED,
            status=TicketStatus.RECEIVED,
            at=ticket.received_at,
            actor_label=label,
        )
    ]
    if ticket.status != TicketStatus.RECEIVED:
        kind = EventKind.COMPLETED if ticket.completed_at else EventKind.STATUS
        at = ticket.completed_at or ticket.received_at
        events.append(TicketEvent(ticket=ticket, kind=kind, status=ticket.status, at=at, actor_label=label))
    if ticket.rated_at is not None:
        note = str(Satisfaction(ticket.satisfaction).label)
        events.append(
            TicketEvent(
                ticket=ticket,
                kind=EventKind.RATED,
                status=ticket.status,
                at=ticket.rated_at,
                actor_label=label,
                note=note,
            )
        )
    return events


def create_tickets_bulk(actor: Actor, source: str, rows: Sequence[NewTicket], summary: str) -> list[Ticket]:
    """Write many tickets (already validated: an import, the demo) with their events in one transaction and
    ONE audit entry for the batch (``bulk_create``); the statistics' aggregates are marked dirty."""
    label = actor_label(actor)
    with transaction.atomic():
        tickets = []
        for row in rows:
            ticket = _ticket(row.body, source, row.number, row.intake)
            ticket.status = row.status
            ticket.completed_at = row.completed_at
            ticket.result = row.result
            ticket.satisfaction = row.satisfaction
            if row.satisfaction != Satisfaction.UNRATED:
                ticket.rated_at = row.completed_at
            tickets.append(ticket)
        Ticket.objects.bulk_create(tickets, batch_size=2000)
        events = [e for ticket in tickets for e in _bulk_events(ticket, label)]
        TicketEvent.objects.bulk_create(events, batch_size=5000)
        record(
            actor,
            "hotline.bulk_create",
            object_type="hotline.ticket",
            summary=summary,
            batch_size=len(tickets),
        )
        mark_records(tickets)
    return tickets
