"""The 12345 hotline on the API (docs/hotline.md): the hotline platform pushes the tickets it dispatched to a
body and their status updates with a token of that body (``hotline:write``), and reads them back
(``hotline:read``). Signed-in staff may do the same for their own body. Phone numbers and callers' names are
masked in every answer; a ticket of a body the caller does not act for is refused (push: 403) or hidden (404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from gongkai import permissions
from gongkai.api.auth import TOKEN_OR_SESSION, actor, named_body, require, token_of, visible_orgs
from gongkai.api.models import Scope
from gongkai.api.schemas import MAX_OFFSET, InputSchema, Text, errors
from gongkai.api.validation import invalid
from gongkai.hotline import actions
from gongkai.hotline.models import Source, Ticket
from gongkai.masking import mask_text
from gongkai.organisations.models import Organisation

router = Router(auth=TOKEN_OR_SESSION, tags=["hotline"])

NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
Number = Annotated[str, Path(pattern=NUMBER_PATTERN, max_length=40, description="工单编号")]
CategoryIn = Literal["consult", "help", "complaint", "report", "suggestion", "praise", "other"]
StatusIn = Literal["", "received", "assigned", "in_progress", "returned", "completed"]
SatisfactionIn = Literal["", "satisfied", "mostly", "unsatisfied"]


class TicketIn(InputSchema):
    """A ticket as the platform dispatched it (the intake fields) and, optionally, where it stands now."""

    body: Annotated[str, Text(18)] = Field("", description="承办机关代码 (default: the token's body)")
    number: Annotated[str, Text(40)] = Field(..., description="工单编号 (the platform's own)")
    received_at: dt.datetime = Field(..., description="受理时间 (Asia/Shanghai when no offset is given)")
    category: CategoryIn = "other"
    topic: Annotated[str, Text(100)] = ""
    caller_name: Annotated[str, Text(50)] = ""
    phone: Annotated[str, Text(20)] = ""
    content: Annotated[str, Text(5000, multiline=True)] = ""
    due_at: dt.datetime | None = None
    status: StatusIn = ""
    status_at: dt.datetime | None = None
    result: Annotated[str, Text(5000, multiline=True)] = ""
    satisfaction: SatisfactionIn = ""


class TicketUpdateIn(InputSchema):
    """A status update and/or a rating (回访评价): forward only; the same status again is a no-op."""

    status: StatusIn = ""
    at: dt.datetime | None = Field(None, description="when it happened (default: now)")
    note: Annotated[str, Text(2000, multiline=True)] = ""
    result: Annotated[str, Text(5000, multiline=True)] = ""
    satisfaction: SatisfactionIn = ""


class TicketOut(Schema):
    id: int
    number: str
    source: str
    body: str
    body_code: str
    received_at: dt.datetime
    category: str
    category_label: str
    topic: str
    caller: str  # masked
    phone: str  # masked
    content: str  # ID-card and mobile numbers masked
    status: str
    status_label: str
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    late: bool
    result: str
    satisfaction: str
    satisfaction_label: str


def ticket_out(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "number": t.number,
        "source": t.source,
        "body": t.body.name,
        "body_code": t.body.org_code,
        "received_at": t.received_at,
        "category": t.category,
        "category_label": str(t.get_category_display()),
        "topic": mask_text(t.topic),
        "caller": t.caller_masked,
        "phone": t.phone_masked,
        "content": mask_text(t.content),
        "status": t.status,
        "status_label": str(t.get_status_display()),
        "due_at": t.due_at,
        "completed_at": t.completed_at,
        "late": t.is_late,
        "result": mask_text(t.result),
        "satisfaction": t.satisfaction,
        "satisfaction_label": str(t.get_satisfaction_display()),
    }


def _may_write(request: HttpRequest, body: Organisation) -> bool:
    token = token_of(request)
    if token is not None:
        return permissions.token_may(token, Scope.HOTLINE_WRITE, body)
    return permissions.can_handle_ticket(request.user, body)


def _writable_body(request: HttpRequest, code: str) -> Organisation:
    require(request, Scope.HOTLINE_WRITE)
    body = named_body(request, code)
    if not _may_write(request, body):
        raise PermissionDenied(_("无权为%(b)s登记热线工单") % {"b": body.name})
    return body


def _shown(ticket: Ticket) -> dict[str, Any]:
    return ticket_out(Ticket.objects.select_related("body").get(pk=ticket.pk))


@router.post(
    "/tickets",
    response={200: TicketOut, 201: TicketOut, **errors(400, 401, 403, 409, 422, 429)},
)
def push_ticket(request: HttpRequest, response: HttpResponse, payload: TicketIn) -> Any:
    """A ticket the platform dispatched (201). Idempotent by ticket number: the same content again answers
    200 with ``Idempotent-Replay: true``; the same content with a later ``status`` (or a ``satisfaction``)
    moves the ticket forward (200); other content under the same number, or a status that would move it back,
    is a 409 and nothing changes."""
    try:
        body = _writable_body(request, payload.body)
        fields = payload.dict(include=set(actions.INTAKE_FIELDS))
        ticket, outcome = actions.receive_ticket(
            actor(request),
            body,
            source=Source.API,
            number=payload.number,
            fields=fields,
            status=payload.status,
            at=payload.status_at,
            result=payload.result,
            satisfaction=payload.satisfaction,
        )
    except ValidationError as exc:
        return invalid(exc)
    except actions.Conflict as exc:
        return Status(409, {"detail": str(exc)})
    if outcome == actions.Outcome.UNCHANGED:
        response["Idempotent-Replay"] = "true"
    return Status(201 if outcome == actions.Outcome.CREATED else 200, _shown(ticket))


def _update(request: HttpRequest, number: str, payload: TicketUpdateIn) -> Any:
    require(request, Scope.HOTLINE_WRITE)
    ticket = Ticket.objects.filter(source=Source.API, number=number).select_related("body").first()
    if ticket is None or not _may_write(request, ticket.body):
        return Status(404, {"detail": _("没有该工单")})
    try:
        ticket, _changed = actions.update_ticket(actor(request), ticket, **payload.dict())
    except ValidationError as exc:
        return invalid(exc)
    except actions.Conflict as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _shown(ticket))


UPDATE_ERRORS = errors(400, 401, 403, 404, 409, 422, 429)  # 400: a body that is not JSON


@router.patch("/tickets/{number}", response={200: TicketOut, **UPDATE_ERRORS})
def update_ticket(request: HttpRequest, number: Number, payload: TicketUpdateIn) -> Any:
    """A status update of a pushed ticket (已转办, 办理中, 已退回, 已办结 with its ``result``) and/or its rating;
    forward only (409 otherwise); the same status again changes nothing."""
    return _update(request, number, payload)


@router.post("/tickets/{number}/status", response={200: TicketOut, **UPDATE_ERRORS})
def post_status(request: HttpRequest, number: Number, payload: TicketUpdateIn) -> Any:
    """The same as ``PATCH /hotline/tickets/{number}``, for platforms that only POST."""
    return _update(request, number, payload)


def tickets_for(orgs: Any) -> QuerySet[Ticket]:
    return Ticket.objects.filter(body__in=orgs).select_related("body")


@router.get("/tickets", response={200: list[TicketOut], **errors(401, 403, 422, 429)})
def list_tickets(
    request: HttpRequest,
    response: HttpResponse,
    status: StatusIn = "",
    year: Annotated[int | None, Field(ge=2000, le=2100)] = None,
    body: Annotated[str, Field(max_length=18, description="机关代码")] = "",
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    """Tickets of the bodies the caller may read (a token: ``hotline:read``, its body or subtree), newest
    first; filters: ``status``, ``year`` (of receipt), ``body``. The total is in ``X-Total-Count``. Callers'
    names and phone numbers are masked."""
    qs = tickets_for(visible_orgs(request, Scope.HOTLINE_READ))
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(received_at__year=year)
    if body:
        qs = qs.filter(body__org_code=body)
    qs = qs.order_by("-received_at", "-id")
    response["X-Total-Count"] = str(qs.count())
    return [ticket_out(t) for t in qs[offset : offset + limit]]
