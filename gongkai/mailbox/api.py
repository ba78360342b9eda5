"""The mailbox's API (``/api/v1/mailbox/…``, docs/mailbox.md): anyone submits a letter (idempotent by the
``Idempotency-Key`` header), tracks it and rates the answer with its code and secret; another system with a body
token (scope ``mailbox``) or signed-in staff list the body's letters and take the steps, through the same
functions as the staff pages (``gongkai.mailbox.actions``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status

from gongkai import permissions
from gongkai.api.auth import TOKEN_OR_SESSION, actor, named_body, require, token_of
from gongkai.api.models import Scope
from gongkai.api.schemas import MAX_ID, MAX_OFFSET, InputSchema, Text, errors
from gongkai.mailbox import actions
from gongkai.mailbox.models import PUBLIC_EVENTS, Letter

router = Router(tags=["mailbox"])
Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


class LetterIn(InputSchema):
    body: Annotated[str, Text(40)]  # the body's organisation code
    kind: Literal["consult", "suggest", "complain"]
    addressed_to: Literal["body", "leader"] = "body"
    subject: Annotated[str, Text(100)]
    text: Annotated[str, Text(3000, multiline=True)]
    writer_name: Annotated[str, Text(50)] = ""
    phone: Annotated[str, Text(30)] = ""
    email: Annotated[str, Text(254)] = ""
    consent_to_publish: bool = False


class ReceiptOut(Schema):
    id: int
    tracking_code: str
    secret: str
    body: str
    received_on: dt.date
    due_on: dt.date
    state: str


class TrackIn(InputSchema):
    code: Annotated[str, Text(20)]
    secret: Annotated[str, Text(40)]


class RateIn(TrackIn):
    satisfaction: Literal["satisfied", "mostly", "unsatisfied"]
    comment: Annotated[str, Text(500, multiline=True)] = ""


class StepOut(Schema):
    kind: str
    label: str
    on: dt.date


class TrackOut(Schema):
    tracking_code: str
    body: str
    state: str
    state_label: str
    received_on: dt.date
    due_on: dt.date
    replied_on: dt.date | None
    reply_text: str
    satisfaction: str
    events: list[StepOut]


class LetterOut(Schema):
    id: int
    body: str
    body_code: str
    kind: str
    addressed_to: str
    subject: str
    text: str
    writer_name: str
    phone: str  # masked
    email: str  # masked
    state: str
    state_label: str
    received_on: dt.date
    due_on: dt.date
    overdue: bool
    replied_on: dt.date | None
    consent_to_publish: bool
    published: bool
    request_id: int | None


class ReasonIn(InputSchema):
    reason: Annotated[str, Text(500, multiline=True)]


class TransferIn(ReasonIn):
    to_body: Annotated[str, Text(40)]  # organisation code


class ReplyIn(InputSchema):
    text: Annotated[str, Text(5000, multiline=True)]
    channel: Literal["site", "letter"] = "site"
    on: dt.date | None = None


class PublishIn(InputSchema):
    subject: Annotated[str, Text(200)] = ""
    text: Annotated[str, Text(3000, multiline=True)] = ""
    reply_text: Annotated[str, Text(5000, multiline=True)] = ""


def _invalid(exc: ValidationError) -> Any:
    found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return Status(400, {"detail": _("输入有误"), "errors": found})


def _tracked(letter: Letter) -> dict[str, Any]:
    steps = letter.events.filter(kind__in=sorted(PUBLIC_EVENTS)).order_by("at", "id")
    return {
        "tracking_code": letter.tracking_code or "",
        "body": letter.body.name,
        "state": letter.state,
        "state_label": str(letter.get_state_display()),
        "received_on": letter.received_on,
        "due_on": letter.due_on,
        "replied_on": letter.replied_on,
        "reply_text": letter.reply_text,
        "satisfaction": letter.satisfaction,
        "events": [{"kind": e.kind, "label": str(e.get_kind_display()), "on": e.on} for e in steps],
    }


def _letter(letter: Letter) -> dict[str, Any]:
    return {
        "id": letter.pk,
        "body": letter.body.name,
        "body_code": letter.body.org_code,
        "kind": letter.kind,
        "addressed_to": letter.addressed_to,
        "subject": letter.subject,
        "text": letter.text,
        "writer_name": letter.writer_name,
        "phone": letter.phone_masked,
        "email": letter.email_masked,
        "state": letter.state,
        "state_label": str(letter.get_state_display()),
        "received_on": letter.received_on,
        "due_on": letter.due_on,
        "overdue": letter.is_overdue_on(timezone.localdate()),
        "replied_on": letter.replied_on,
        "consent_to_publish": letter.consent_to_publish,
        "published": letter.published,
        "request_id": letter.request_id,
    }


# --- public -----------------------------------------------------------------------------------------------------


@router.post("/letters", response={200: ReceiptOut, 201: ReceiptOut, **errors(400, 409, 422, 429)}, auth=None)
def mailbox_submit(
    request: HttpRequest,
    response: HttpResponse,
    payload: LetterIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)] = "",
) -> Any:
    """Send a letter: 201 with its tracking code and secret. Without phone and e-mail it is refused (400)
    unless the body accepts anonymous letters. The same ``Idempotency-Key`` with the same letter answers with
    the letter stored the first time (200, ``Idempotent-Replay: true``, the same secret); with another letter
    it is a 409."""
    key = idempotency_key.strip()
    try:
        body = named_body(request, payload.body)
        done = actions.submit(
            actions.PUBLIC,
            body,
            **payload.dict(exclude={"body"}),
            idempotency_key=key,
        )
    except ValidationError as exc:
        return _invalid(exc)
    except actions.Conflict as exc:
        return Status(409, {"detail": str(exc)})
    letter = done.letter
    if not done.created:
        response["Idempotent-Replay"] = "true"
    out = {
        "id": letter.pk,
        "tracking_code": letter.tracking_code or "",
        "secret": done.secret,
        "body": letter.body.name,
        "received_on": letter.received_on,
        "due_on": letter.due_on,
        "state": letter.state,
    }
    return Status(201 if done.created else 200, out)


@router.post("/track", response={200: TrackOut, **errors(400, 404, 422, 429)}, auth=None)
def mailbox_track(request: HttpRequest, payload: TrackIn) -> Any:
    """A letter's status, reply and public steps by its tracking code and secret (a wrong pair: 404, the same
    whether or not the code exists)."""
    letter = actions.lookup(payload.code, payload.secret)
    if letter is None:
        return Status(404, {"detail": _("查询编号或查询码不正确")})
    return Status(200, _tracked(letter))


@router.post("/rate", response={200: TrackOut, **errors(400, 404, 409, 422, 429)}, auth=None)
def mailbox_rate(request: HttpRequest, payload: RateIn) -> Any:
    """The writer rates the answer (once, after the reply): 满意 satisfied, 基本满意 mostly, 不满意 unsatisfied."""
    letter = actions.lookup(payload.code, payload.secret)
    if letter is None:
        return Status(404, {"detail": _("查询编号或查询码不正确")})
    try:
        letter = actions.rate(
            actions.PUBLIC, letter, satisfaction=payload.satisfaction, comment=payload.comment
        )
    except actions.IllegalStep as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _tracked(letter))


# --- staff ------------------------------------------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int, *, write: bool) -> Letter:
    """The letter if the caller may see it (and with ``write``, work it): a token needs scope ``mailbox`` for
    the letter's body; a user, the body's staff (``permissions.can_handle_letter``)."""
    require(request, Scope.MAILBOX)
    letter = get_object_or_404(Letter.objects.select_related("body"), pk=pk)
    token = token_of(request)
    if token is not None:
        if not permissions.token_may(token, Scope.MAILBOX, letter.body):
            raise PermissionDenied(_("令牌无权办理该机关的来信"))
    elif not permissions.can_view_org(request.user, letter.body):
        raise PermissionDenied
    if token is None and write and not permissions.can_handle_letter(request.user, letter.body):
        raise PermissionDenied
    return letter


@router.get(
    "/staff/letters",
    response={200: list[LetterOut], **errors(401, 403, 422, 429)},
    auth=TOKEN_OR_SESSION,
)
def mailbox_list(
    request: HttpRequest,
    response: HttpResponse,
    view: Literal["open", "due_soon", "overdue", "answered", "all"] = "open",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    """The letters of the caller's bodies (a token: its body or subtree), by due date; the total in
    ``X-Total-Count``."""
    require(request, Scope.MAILBOX)
    token = token_of(request)
    orgs = permissions.token_orgs(token) if token is not None else permissions.visible_orgs(request.user)
    qs = Letter.objects.filter(body__in=orgs).select_related("body")
    qs = qs.in_view(view, timezone.localdate()).order_by("due_on", "id")
    response["X-Total-Count"] = str(qs.count())
    return [_letter(letter) for letter in qs[offset : offset + limit]]


@router.get(
    "/staff/letters/{pk}",
    response={200: LetterOut, **errors(401, 403, 404, 422, 429)},
    auth=TOKEN_OR_SESSION,
)
def mailbox_letter(request: HttpRequest, pk: Pk) -> Any:
    return Status(200, _letter(_visible(request, pk, write=False)))


def _step(request: HttpRequest, pk: int, run: Any) -> Any:
    letter = _visible(request, pk, write=True)
    try:
        run(letter)
    except actions.IllegalStep as exc:
        return Status(409, {"detail": str(exc)})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _letter(Letter.objects.select_related("body").get(pk=letter.pk)))


STEP: dict[str, Any] = {
    "response": {200: LetterOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    "auth": TOKEN_OR_SESSION,
}


@router.post("/staff/letters/{pk}/accept", **STEP)
def mailbox_accept(request: HttpRequest, pk: Pk) -> Any:
    """签收 a new or transferred letter."""
    return _step(request, pk, lambda letter: actions.accept(actor(request), letter))


@router.post("/staff/letters/{pk}/transfer", **STEP)
def mailbox_transfer(request: HttpRequest, pk: Pk, payload: TransferIn) -> Any:
    """转办 to another body (by its organisation code), with a reason."""

    def run(letter: Letter) -> Letter:
        to_body = named_body(request, payload.to_body)
        return actions.transfer(actor(request), letter, to_body=to_body, reason=payload.reason)

    return _step(request, pk, run)


@router.post("/staff/letters/{pk}/return", **STEP)
def mailbox_return(request: HttpRequest, pk: Pk, payload: ReasonIn) -> Any:
    """退回 with a reason the writer sees."""
    return _step(
        request, pk, lambda letter: actions.return_letter(actor(request), letter, reason=payload.reason)
    )


@router.post("/staff/letters/{pk}/reply", **STEP)
def mailbox_reply(request: HttpRequest, pk: Pk, payload: ReplyIn) -> Any:
    """答复 an accepted letter, on the site or by letter (``on``: the day, today if not given)."""
    return _step(
        request,
        pk,
        lambda letter: actions.reply(
            actor(request), letter, text=payload.text, channel=payload.channel, on=payload.on
        ),
    )


@router.post("/staff/letters/{pk}/publish", **STEP)
def mailbox_publish(request: HttpRequest, pk: Pk, payload: PublishIn) -> Any:
    """公开 an answered letter whose writer consented (409 otherwise); personal data is masked."""
    return _step(
        request,
        pk,
        lambda letter: actions.publish(
            actor(request), letter, subject=payload.subject, text=payload.text, reply_text=payload.reply_text
        ),
    )
