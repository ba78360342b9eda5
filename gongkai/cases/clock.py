"""A case's statutory clock, derived from its events (statutory-reference §1; 2019 Regulations arts 30-35).

- Consultations of a third party or other bodies (arts 32-34) and, when ``GONGKAI_FEE_WAIT_PAUSES`` is on
  (the default; whether the clock stops is unconfirmed), the wait for a fee are *pauses*, inclusive from the
  day they start to the day they end. A pause still running counts up to today.
- The latest supplement received (补正, art 30) restarts the count.
- Approved extensions add up (at most the regime's maximum).

``compute_deadline`` does the counting; this module only turns the timeline into its inputs, so a case's
"why this date" and its stored due dates always come from the same place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from gongkai.cases.deadlines import Deadline, PauseInput, compute_deadline
from gongkai.cases.models import CaseEvent, CaseEventKind, InformationRequest
from gongkai.workdays.calendar import WorkCalendar

PAUSE_STARTS = {
    CaseEventKind.CONSULTATION_STARTED: CaseEventKind.CONSULTATION_ENDED,
    CaseEventKind.FEE_NOTIFIED: CaseEventKind.FEE_PAID,
}


@dataclass(frozen=True)
class ClockInputs:
    pauses: tuple[PauseInput, ...]
    supplemented: dt.date | None
    extension_days: int


def inputs_from_events(events: Iterable[CaseEvent], today: dt.date, regime: str = "2019") -> ClockInputs:
    """Pauses, the restart date and the extension from a case's timeline (events in order).

    A supplement restarts the count (2019 art 30); so does reopening (the body answers anew, with a full period
    from the day it reopened the case). Consulting another body stops the clock only under the 2019 Regulations
    (art 34); the 2008 Regulations (art 24) exclude only the time spent consulting a third party."""
    pauses: list[PauseInput] = []
    open_since: dict[str, dt.date] = {}
    supplemented: dt.date | None = None
    extension = 0
    skipped_end = False
    fee_pauses = bool(getattr(settings, "GONGKAI_FEE_WAIT_PAUSES", True))
    for event in events:
        kind = event.kind
        if (
            kind == CaseEventKind.CONSULTATION_STARTED
            and regime == "2008"
            and event.data.get("party") == "other_body"
        ):
            skipped_end = True
            continue
        if kind == CaseEventKind.CONSULTATION_ENDED and skipped_end:
            skipped_end = False
            continue
        if kind in PAUSE_STARTS and (kind != CaseEventKind.FEE_NOTIFIED or fee_pauses):
            open_since[PAUSE_STARTS[CaseEventKind(kind)]] = event.effective_on
        elif kind in open_since:
            pauses.append((open_since.pop(kind), event.effective_on))
        elif kind == CaseEventKind.ABANDONED and CaseEventKind.FEE_PAID in open_since:
            pauses.append((open_since.pop(CaseEventKind.FEE_PAID), event.effective_on))
        elif kind in (CaseEventKind.SUPPLEMENT_RECEIVED, CaseEventKind.REOPENED):
            supplemented = event.effective_on
            if kind == CaseEventKind.REOPENED:
                extension = 0  # a new period: an earlier extension does not carry over
        elif kind == CaseEventKind.EXTENDED:
            extension += int(event.data.get("days", 0))
    pauses += [(start, max(start, today)) for start in open_since.values()]
    return ClockInputs(tuple(pauses), supplemented, extension)


def submitted_at(events: Iterable[CaseEvent]) -> dt.date | dt.datetime | None:
    """When the request really arrived, as registered (the registration step keeps it): the receipt date is
    explained from it — a Saturday or 01:50 submission is not "received in office hours" (art 31 practice)."""
    for event in events:
        if event.kind != CaseEventKind.REGISTERED or "reopens" in event.data:
            continue
        raw = str(event.data.get("received", ""))
        try:
            when = dt.datetime.fromisoformat(raw) if len(raw) > 10 else dt.date.fromisoformat(raw)
        except ValueError:
            return None
        if isinstance(when, dt.datetime) and when.utcoffset() is None:
            return None  # a time without its zone cannot be placed on the calendar
        return when
    return None


def deadline_for(req: InformationRequest, calendar: WorkCalendar | None = None) -> Deadline:
    """The case's deadline now, with its plain-language explanation ("why this date")."""
    events = list(req.events.order_by("at", "id"))
    inputs = inputs_from_events(events, timezone.localdate(), req.regime)
    return compute_deadline(
        req.receipt_date,
        regime=req.regime,
        pauses=inputs.pauses,
        supplemented=inputs.supplemented,
        extend=inputs.extension_days,
        calendar=calendar,
        submitted=submitted_at(events),
    )


def apply_deadline(req: InformationRequest, deadline: Deadline) -> None:
    """Store the derived dates on the case (kept for indexed queries such as "due within 3 working days")."""
    req.due_date = deadline.due_date
    req.extension_days = deadline.extension_days
    req.extended_due_date = deadline.extended_due_date if deadline.extension_days else None
    req.provisional = deadline.provisional
