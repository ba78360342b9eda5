"""The REST API (django-ninja, OpenAPI at /api/v1/docs; docs/api.md): cases for signed-in staff and for other
systems' tokens (scoped per body, ``gongkai.api.auth``), through the same transitions as the web pages; catalog
items, search, reports and submissions (``gongkai.api.catalog``, ``gongkai.api.records``); the public status
lookup and the deadline calculator. Every error answer is documented with its body (``schemas.errors``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, NinjaAPI, Path, Query, Status, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from gongkai import permissions, throttle
from gongkai.api import actions, catalog, records, validation
from gongkai.api.auth import TOKEN_OR_SESSION, Throttled, actor, named_body, require, token_of
from gongkai.api.auth import visible_orgs as api_visible_orgs
from gongkai.api.models import Scope
from gongkai.api.schemas import (
    MAX_ID,
    MAX_OFFSET,
    ActionIn,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    DeadlineOut,
    EventOut,
    StatusIn,
    StatusOut,
    errors,
)
from gongkai.cases import transitions
from gongkai.cases.applicants import APPLICANT_FIELDS
from gongkai.cases.clock import deadline_for
from gongkai.cases.deadlines import DeadlineInputError, compute_deadline
from gongkai.cases.models import OPEN_STATES, CaseEvent, InformationRequest
from gongkai.cases.tracking import lookup
from gongkai.cases.views import ACTIONS, Action, action_data, action_form, may_run
from gongkai.hotline import api as hotline_api
from gongkai.mailbox import api as mailbox_api
from gongkai.organisations.models import Organisation
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


def _cases(request: HttpRequest) -> Any:
    """The cases of the bodies the caller may see: a token's body (or subtree), a user's bodies."""
    return (
        InformationRequest.objects.filter(body__in=api_visible_orgs(request, Scope.CASES_READ))
        .select_related("body", "applicant")
        .with_applicable_due()
    )


def _visible_case(request: HttpRequest, pk: int) -> InformationRequest:
    req = get_object_or_404(InformationRequest.objects.select_related("body", "applicant"), pk=pk)
    token = token_of(request)
    if token is not None:
        if not permissions.token_may(token, Scope.CASES_READ, req.body):
            raise PermissionDenied(_("令牌无权读取该机关的案件"))
    elif not permissions.can_view_org(request.user, req.body):
        raise PermissionDenied
    return req


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> Any:
    response = api.create_response(
        request, {"detail": _("需要有效的接口令牌（Authorization: Bearer …）或登录")}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> Any:
    return throttle.too_many(request, exc.retry_after)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> Any:
    return api.create_response(request, validation.body(list(exc.errors)), status=422)


api.add_router("/catalog", catalog.router)
api.add_router("", records.router)
api.add_router("/mailbox", mailbox_api.router)  # 信箱 (gongkai.mailbox.api)
api.add_router("/hotline", hotline_api.router)  # 12345 (gongkai.hotline.api)

Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


@api.get(
    "/cases",
    response={200: list[CaseOut], **errors(401, 403, 422, 429)},
    auth=TOKEN_OR_SESSION,
    tags=["cases"],
)
def list_cases(
    request: HttpRequest,
    response: HttpResponse,
    view: Annotated[str, Field(max_length=20)] = "open",
    outcome: Annotated[str, Field(max_length=40)] = "",
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    """Cases of the bodies the caller may see (a token: ``cases:read``, its body or subtree), by due date then
    id; ``view``: open, due_soon, overdue, paused, answered, all. The total is in ``X-Total-Count``."""
    qs = _cases(request).in_view(view, timezone.localdate(), outcome).order_by("applicable_due", "id")
    response["X-Total-Count"] = str(qs.count())
    return [_case(r) for r in qs[offset : offset + limit]]


@api.get(
    "/cases/{pk}",
    response={200: CaseDetailOut, **errors(401, 403, 404, 422, 429)},
    auth=TOKEN_OR_SESSION,
    tags=["cases"],
)
def get_case(request: HttpRequest, pk: Pk) -> Any:
    return _detail(request, _visible_case(request, pk))


def _detail(request: HttpRequest, req: InformationRequest) -> dict[str, Any]:
    """A case with its deadline explanation, events and the steps the caller may run now."""
    allowed = [
        n
        for n, a in ACTIONS.items()
        if req.state in a.states and a.applies(req) and _refusal(request, a, req) is None
    ]
    return _case(req) | {
        "explanation": list(deadline_for(req).explanation),
        "events": [_event(e) for e in req.events.order_by("at", "id")],
        "allowed_actions": allowed,
    }


def _case_body(request: HttpRequest, code: str) -> Organisation:
    """The body a pushed request is for (a token's own by default), or PermissionDenied / ValidationError."""
    require(request, Scope.CASES_WRITE)
    token = token_of(request)
    body = named_body(request, code)
    allowed = (
        permissions.token_may(token, Scope.CASES_WRITE, body)
        if token is not None
        else permissions.can_handle_case(request.user, body)
    )
    if not allowed:
        raise PermissionDenied(_("无权为%(b)s登记申请") % {"b": body.name})
    return body


@api.post(
    "/cases",
    response={200: CaseDetailOut, 201: CaseDetailOut, **errors(400, 401, 403, 409, 422, 429)},
    auth=TOKEN_OR_SESSION,
    tags=["cases"],
)
def push_case(
    request: HttpRequest,
    response: HttpResponse,
    payload: CaseIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)] = "",
) -> Any:
    """Register a request another system received (a 12345 ticket): 201 with the case and its statutory
    deadline. A retry with the same ``external_id`` or ``Idempotency-Key`` and the same content answers with the
    case registered the first time (200, ``Idempotent-Replay: true``); the same key with other content is a 409."""
    try:
        body = _case_body(request, payload.body)
        if not EARLIEST_DAY <= payload.received <= timezone.localdate():
            raise ValidationError({"received": _("收到日期应在2008-05-01至今天之间")})
        fields = payload.dict(exclude={"body", "external_id", "applicant"})
        req, created = actions.push_request(
            actor(request),
            body,
            payload.applicant.dict(),
            fields,
            external_id=payload.external_id,
            idempotency_key=idempotency_key.strip(),
        )
    except ValidationError as exc:
        return validation.invalid(exc, nested=set(APPLICANT_FIELDS))
    except actions.KeyReused as exc:
        return Status(409, {"detail": str(exc)})
    if not created:
        response["Idempotent-Replay"] = "true"
    fresh = InformationRequest.objects.select_related("body", "applicant").get(pk=req.pk)
    return Status(201 if created else 200, _detail(request, fresh))


def _refusal(request: HttpRequest, action: Action, req: InformationRequest) -> str | None:
    """Why the caller may not run ``action`` on ``req`` (None: it may). Staff by their role (the staff pages'
    rule); a token with ``cases:write`` for the case's body, for the steps that need no named person."""
    token = token_of(request)
    if token is None:
        return None if may_run(request.user, action, req) else _("无权办理这一步骤")
    if action.by_person:
        return _("“%(step)s”须由工作人员登录办理，令牌不能办理") % {"step": action.label}
    if not permissions.token_may(token, Scope.CASES_WRITE, req.body):
        return _("令牌无权为该机关办理案件")
    return None


@api.post(
    "/cases/{pk}/actions/{name}",
    response={200: CaseDetailOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=TOKEN_OR_SESSION,
    tags=["cases"],
)
def run_action(request: HttpRequest, name: str, payload: ActionIn, pk: Pk) -> Any:
    """Run one step (the names of ``allowed_actions``) with its fields in ``data``, e.g.
    ``{"data": {"on": "2026-03-16", "outcome": "2019.disclosed", "text": "…"}}``. Signed-in staff as on the staff
    pages; a token with ``cases:write`` for the case's body (another system recording what was done there), except
    the steps a named person must take (``extend``: approved by the office's head; ``supervise``). A token's
    steps are recorded as ``api:<token name>``. Documents cannot be attached here (JSON): answer on the staff page
    to attach them."""
    req = _visible_case(request, pk)
    if name not in ACTIONS:
        return Status(404, {"detail": f"no such action: {name}"})
    action = ACTIONS[name]
    refusal = _refusal(request, action, req)
    if refusal is not None:
        raise PermissionDenied(refusal)
    form = action_form(name, req, {f"{name}-{k}": v for k, v in payload.data.items()})
    if not form.is_valid():
        return Status(
            400, {"detail": "invalid input", "errors": {k: list(v) for k, v in form.errors.items()}}
        )
    try:
        action.run(actor(request), req, action_data(form))
    except transitions.IllegalTransition as exc:
        return Status(409, {"detail": str(exc)})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Status(400, {"detail": "invalid input", "errors": errors})
    return Status(200, get_case(request, pk))


@api.post("/public/status", response={200: StatusOut, **errors(400, 404, 422, 429)}, tags=["public"])
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


@api.get("/deadline", response={200: DeadlineOut, **errors(400, 422)}, tags=["public"])
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
