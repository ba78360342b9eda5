"""The REST API (django-ninja, OpenAPI at /api/v1/docs): cases for signed-in staff through the same
transitions as the web pages, the public status lookup, and the deadline calculator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status, Swagger
from ninja.security import django_auth

from gongkai import permissions
from gongkai.api.schemas import (
    ActionIn,
    CaseDetailOut,
    CaseOut,
    DeadlineOut,
    ErrorOut,
    EventOut,
    StatusIn,
    StatusOut,
)
from gongkai.cases import transitions
from gongkai.cases.clock import deadline_for
from gongkai.cases.deadlines import DeadlineInputError, compute_deadline
from gongkai.cases.models import OPEN_STATES, CaseEvent, InformationRequest
from gongkai.cases.tracking import lookup
from gongkai.cases.views import ACTIONS, action_data, action_form, filtered_cases, may_run, visible_cases
from gongkai.portal.views import PUBLIC_EVENTS

_PAUSES: Any = Query([])  # type: ignore[type-arg]  # repeatable ?pause=START:END
# Swagger UI from django-ninja's own static files ("ninja" is in INSTALLED_APPS), so the page works offline and
# under the site's Content-Security-Policy; no online validator badge (it would call an outside host).
api = NinjaAPI(
    title="gongkai",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),
)


def _event(e: CaseEvent, public: bool = False) -> EventOut:
    return EventOut(
        kind=e.kind,
        label=str(e.get_kind_display()),
        effective_on=e.effective_on,
        actor="" if public else e.actor_label,  # the public never sees staff accounts
        legal_basis=e.legal_basis,
    )


def _case(req: InformationRequest) -> dict[str, Any]:
    applicant = req.applicant
    return {
        "id": req.pk,
        "body": req.body.name,
        "body_code": req.body.org_code,
        "subject": req.subject,
        "state": req.state,
        "state_label": str(req.get_state_display()),
        "regime": req.regime,
        "channel": req.channel,
        "applicant_kind": req.applicant_kind,
        "applicant": applicant.name if applicant else None,
        "applicant_id_number": applicant.id_number_masked if applicant else None,
        "receipt_date": req.receipt_date,
        "due_date": req.due_date,
        "extended_due_date": req.extended_due_date,
        "provisional": req.provisional,
        "overdue": req.state in OPEN_STATES and req.is_overdue_on(timezone.localdate()),
        "outcome": req.outcome,
        "answered_on": req.answered_on,
    }


def _visible_case(request: HttpRequest, pk: int) -> InformationRequest:
    req = get_object_or_404(InformationRequest.objects.select_related("body", "applicant"), pk=pk)
    if not permissions.can_view_org(request.user, req.body):
        raise PermissionDenied
    return req


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.get("/cases", response=list[CaseOut], auth=django_auth, tags=["cases"])
def list_cases(
    request: HttpRequest, view: str = "open", outcome: str = "", limit: int = 100
) -> list[dict[str, Any]]:
    """Cases of the bodies the user may see; ``view``: open, due_soon, overdue, paused, answered, all."""
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    qs = filtered_cases(visible_cases(request), view, outcome, timezone.localdate()).order_by(
        "applicable_due", "id"
    )
    return [_case(r) for r in qs[: max(1, min(limit, 500))]]


@api.get("/cases/{pk}", response=CaseDetailOut, auth=django_auth, tags=["cases"])
def get_case(request: HttpRequest, pk: int) -> dict[str, Any]:
    req = _visible_case(request, pk)
    allowed = [
        n
        for n, a in ACTIONS.items()
        if req.state in a.states and a.applies(req) and may_run(request.user, a, req)
    ]
    return _case(req) | {
        "explanation": list(deadline_for(req).explanation),
        "events": [_event(e) for e in req.events.order_by("at", "id")],
        "allowed_actions": allowed,
    }


@api.post(
    "/cases/{pk}/actions/{name}",
    response={200: CaseDetailOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=django_auth,
    tags=["cases"],
)
def run_action(request: HttpRequest, pk: int, name: str, payload: ActionIn) -> Any:
    """Run one step (the names of ``allowed_actions``) with its fields in ``data``, e.g.
    ``{"data": {"on": "2026-03-16", "outcome": "2019.disclosed"}}``."""
    req = _visible_case(request, pk)
    if name not in ACTIONS:
        return Status(404, {"detail": f"no such action: {name}"})
    if not may_run(request.user, ACTIONS[name], req):
        raise PermissionDenied
    form = action_form(name, req, {f"{name}-{k}": v for k, v in payload.data.items()})
    if not form.is_valid():
        return Status(
            400, {"detail": "invalid input", "errors": {k: list(v) for k, v in form.errors.items()}}
        )
    try:
        ACTIONS[name].run(request.user, req, action_data(form))
    except transitions.IllegalTransition as exc:
        return Status(409, {"detail": str(exc)})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Status(400, {"detail": "invalid input", "errors": errors})
    return Status(200, get_case(request, pk))


@api.post("/public/status", response={200: StatusOut, 404: ErrorOut}, tags=["public"])
def public_status(request: HttpRequest, payload: StatusIn) -> Any:
    """An applicant's case by tracking code and secret (a wrong pair says nothing about the code)."""
    req = lookup(payload.code, payload.secret)
    if req is None or req.tracking_code is None:
        return Status(404, {"detail": "查询编号或查询码不正确"})
    events = [_event(e, public=True) for e in req.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "id")]
    return Status(
        200,
        {
            "tracking_code": req.tracking_code,
            "body": req.body.name,
            "state": req.state,
            "state_label": str(req.get_state_display()),
            "receipt_date": req.receipt_date,
            "due_date": req.due_date,
            "extended_due_date": req.extended_due_date,
            "provisional": req.provisional,
            "outcome_label": str(req.get_outcome_display()),
            "events": events,
        },
    )


# The dates the calculator answers for: from the day the 2008 Regulations (国务院令第492号, art 38) came into
# force, to a year ahead (a later date is a typing error; a year such as 9999 overflowed the calendar: 500).
EARLIEST_DAY = dt.date(2008, 5, 1)
MAX_PAUSES = 20


def _latest_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=366)


def _in_range(field: str, day: dt.date) -> dt.date:
    if not EARLIEST_DAY <= day <= _latest_day():
        raise DeadlineInputError(
            field,
            _("%(field)s：日期%(day)s超出可计算的范围（%(start)s至%(end)s）")
            % {"field": field, "day": day.isoformat(), "start": EARLIEST_DAY, "end": _latest_day()},
        )
    return day


def _pause(text: str) -> tuple[dt.date, dt.date]:
    start, _sep, end = text.partition(":")
    try:
        pause = dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
    except ValueError:
        raise DeadlineInputError(
            "pause", _("pause：应为“开始日期:结束日期”，例如 2026-03-10:2026-03-20")
        ) from None
    return _in_range("pause", pause[0]), _in_range("pause", pause[1])


def _deadline_inputs(
    received: dt.date, regime: str, pause: list[str], supplemented: dt.date | None
) -> list[tuple[dt.date, dt.date]]:
    """Check what the calculator cannot answer for (``DeadlineInputError`` naming the parameter); the pauses."""
    _in_range("received", received)
    if supplemented is not None:
        _in_range("supplemented", supplemented)
    if len(regime) > 10:
        raise DeadlineInputError("regime", _("regime：可选 auto、2008、2019"))
    if len(pause) > MAX_PAUSES:
        raise DeadlineInputError("pause", _("pause：最多%(n)d段") % {"n": MAX_PAUSES})
    return [_pause(p) for p in pause]


@api.get("/deadline", response={200: DeadlineOut, 400: ErrorOut}, tags=["public"])
def deadline(
    request: HttpRequest,
    received: dt.date,
    regime: str = "auto",
    extend: int | None = None,
    pause: list[str] = _PAUSES,
    supplemented: dt.date | None = None,
) -> Any:
    """The statutory reply deadline (statutory-reference §1); ``pause`` as ``START:END``, repeatable. Dates from
    2008-05-01 to a year ahead; anything else is a 400 naming the parameter."""
    try:
        pauses = _deadline_inputs(received, regime, pause, supplemented)
        result = compute_deadline(
            received,
            regime=regime,
            pauses=pauses,
            supplemented=supplemented,
            extend=extend,
        )
    except DeadlineInputError as exc:
        return Status(400, {"detail": str(exc), "errors": {exc.field: [str(exc)]}})
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        200,
        {
            "received": received.isoformat(),
            "receipt_date": result.receipt_date,
            "regime": result.regime,
            "due_date": result.due_date,
            "extended_due_date": result.extended_due_date,
            "provisional": result.provisional,
            "explanation": list(result.explanation),
        },
    )
