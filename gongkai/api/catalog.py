"""Catalog items (政府信息) through the API: read a body's items, and let another system (a city's OA system)
push a document, which enters the publication workflow as a draft awaiting its confidentiality review (保密审查,
2019 Regulations art 17); staff review and publish it on the staff pages as any other draft."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Router, Schema, Status

from gongkai import permissions
from gongkai.api import actions
from gongkai.api.auth import TOKEN_OR_SESSION, actor, require, token_of, visible_orgs
from gongkai.api.models import Scope
from gongkai.api.schemas import MAX_ID, MAX_OFFSET, InputSchema, Text, errors
from gongkai.api.validation import invalid
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Genre, KeyArea, Publication, PublicationStatus, ReviewConclusion, Topic
from gongkai.catalog.transitions import IllegalStep, latest_review_conclusion, update_draft
from gongkai.organisations.models import Organisation

router = Router(tags=["catalog"], auth=TOKEN_OR_SESSION)

EARLIEST_MADE_ON = dt.date(1949, 10, 1)
ReviewState = Literal["awaiting_review", "review_passed", "review_failed", "published", "withdrawn"]


class CatalogItemOut(Schema):
    id: int
    index_number: str
    body: str
    body_code: str
    title: str
    document_number: str
    publisher: str
    keywords: str
    made_on: dt.date
    published_on: dt.date | None
    status: str
    review_state: ReviewState
    version: int
    topic: str | None
    genre: str | None
    key_area: str | None
    normative_kind: str
    issued_on: dt.date | None
    external_ids: list[str]


class CatalogItemDetailOut(CatalogItemOut):
    description: str
    text: str


class _Fields(InputSchema):
    description: Annotated[str, Text(5000, multiline=True)] = ""
    text: Annotated[str, Text(500_000, multiline=True)] = ""
    document_number: Annotated[str, Text(60)] = ""
    publisher: Annotated[str, Text(100)] = ""
    keywords: Annotated[str, Text(200)] = ""
    topic: Annotated[str, Text(20)] = Field("", description="主题分类 code")
    genre: Annotated[str, Text(20)] = Field("", description="体裁 code")
    key_area: Annotated[str, Text(30)] = Field("", description="重点领域 code")
    normative_kind: Literal["", "rule", "normative"] = ""
    issued_on: dt.date | None = None


class CatalogItemIn(_Fields):
    """A document pushed by another system. ``body``: the org code of the body it belongs to (default: the
    token's own body); ``external_id``: the system's own id (a retry with it creates nothing new)."""

    body: Annotated[str, Text(18)] = ""
    external_id: Annotated[str, Text(200)] = ""
    title: Annotated[str, Text(300)]
    made_on: dt.date


class CatalogItemPatch(InputSchema):
    """Changes to a draft before its review (only the fields sent are changed)."""

    title: Annotated[str, Text(300)] | None = None
    made_on: dt.date | None = None
    description: Annotated[str, Text(5000, multiline=True)] | None = None
    text: Annotated[str, Text(500_000, multiline=True)] | None = None
    document_number: Annotated[str, Text(60)] | None = None
    publisher: Annotated[str, Text(100)] | None = None
    keywords: Annotated[str, Text(200)] | None = None
    topic: Annotated[str, Text(20)] | None = None
    genre: Annotated[str, Text(20)] | None = None
    key_area: Annotated[str, Text(30)] | None = None
    normative_kind: Literal["", "rule", "normative"] | None = None
    issued_on: dt.date | None = None


def _review_state(pub: Publication, conclusion: str | None) -> ReviewState:
    if pub.status == PublicationStatus.WITHDRAWN:
        return "withdrawn"
    if pub.status == PublicationStatus.PUBLISHED:
        return "published"
    if conclusion == ReviewConclusion.PASSED:
        return "review_passed"
    return "review_failed" if conclusion == ReviewConclusion.FAILED else "awaiting_review"


def _item(pub: Publication, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": pub.pk,
        "index_number": index_number(pub),
        "body": pub.body.name,
        "body_code": pub.body.org_code,
        "title": pub.title,
        "document_number": pub.document_number,
        "publisher": pub.publisher_name,
        "keywords": pub.keywords,
        "made_on": pub.made_on,
        "published_on": pub.published_on,
        "status": pub.status,
        "review_state": _review_state(pub, getattr(pub, "review_conclusion", None)),
        "version": pub.version,
        "topic": pub.topic.code if pub.topic else None,
        "genre": pub.genre.code if pub.genre else None,
        "key_area": pub.key_area.code if pub.key_area else None,
        "normative_kind": pub.normative_kind,
        "issued_on": pub.issued_on,
        "external_ids": [r.key for r in pub.external_references.all() if r.kind == "external_id"],
    }
    if detail:
        data |= {"description": pub.description, "text": pub.text}
    return data


def _items(request: HttpRequest, scope: str = Scope.CATALOG_READ) -> Any:
    return (
        Publication.objects.filter(body__in=visible_orgs(request, scope))
        .select_related("body", "topic", "genre", "key_area")
        .prefetch_related("external_references")
        .annotate(review_conclusion=latest_review_conclusion())
    )


@router.get("/items", response={200: list[CatalogItemOut], **errors(401, 403, 422, 429)})
def list_items(
    request: HttpRequest,
    response: HttpResponse,
    body: Annotated[str, Field(max_length=18)] = "",
    status: Literal["", "draft", "published", "withdrawn"] = "",
    year: Annotated[int | None, Field(ge=1949, le=2999)] = None,
    external_id: Annotated[str, Field(max_length=200)] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    """The items of the bodies the caller acts for, newest first (by id); the total is in ``X-Total-Count``.
    Filters: ``body`` (org code), ``status``, ``year`` (of 成文日期), ``external_id``."""
    qs = _items(request)
    if body:
        qs = qs.filter(body__org_code=body)
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(made_on__year=year)
    if external_id:
        qs = qs.filter(external_references__kind="external_id", external_references__key=external_id)
    response["X-Total-Count"] = str(qs.count())
    return [_item(p) for p in qs.order_by("-id")[offset : offset + limit]]


def _visible_item(request: HttpRequest, pk: int, scope: str = Scope.CATALOG_READ) -> Publication:
    """The item if the caller may see it under ``scope`` (a writing token finds the items it may change)."""
    pub: Publication = get_object_or_404(_items(request, scope), pk=pk)
    return pub


@router.get("/items/{pk}", response={200: CatalogItemDetailOut, **errors(401, 403, 404, 422, 429)})
def get_item(request: HttpRequest, pk: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    return _item(_visible_item(request, pk), detail=True)


def _writable_body(request: HttpRequest, code: str) -> Organisation:
    """The body a write is for (by org code; a token's own body by default), or PermissionDenied."""
    require(request, Scope.CATALOG_WRITE)
    token = token_of(request)
    if not code and token is not None:
        body: Organisation | None = token.body
    else:
        body = Organisation.objects.filter(org_code=code).order_by("-id").first() if code else None
    if body is None:
        raise ValidationError(
            {"body": _("请填写机关代码") if not code else _("没有代码为“%(c)s”的机关") % {"c": code}}
        )
    allowed = (
        permissions.token_may(token, Scope.CATALOG_WRITE, body)
        if token is not None
        else permissions.can_draft_publication(request.user, body)
    )
    if not allowed:
        raise PermissionDenied(_("无权为%(b)s推送政府信息") % {"b": body.name})
    return body


def _vocabulary(fields: dict[str, Any]) -> dict[str, Any]:
    """Codes of 主题分类, 体裁 and 重点领域 as their rows; an unknown code is a ValidationError naming the field."""
    out = dict(fields)
    for field, model in (("topic", Topic), ("genre", Genre), ("key_area", KeyArea)):
        if field not in out:
            continue
        code = out[field]
        row = model.objects.filter(code=code).first() if code else None
        if code and row is None:
            raise ValidationError({field: _("未知的代码“%(c)s”") % {"c": code}})
        out[field] = row
    if out.get("made_on") is not None and not EARLIEST_MADE_ON <= out["made_on"] <= timezone.localdate():
        raise ValidationError({"made_on": _("成文日期应在1949-10-01至今天之间")})
    if out.get("issued_on") is not None and not EARLIEST_MADE_ON <= out["issued_on"] <= timezone.localdate():
        raise ValidationError({"issued_on": _("印发日期应在1949-10-01至今天之间")})
    return out


@router.post(
    "/items",
    response={200: CatalogItemDetailOut, 201: CatalogItemDetailOut, **errors(400, 401, 403, 409, 422, 429)},
)
def push_item(
    request: HttpRequest,
    response: HttpResponse,
    payload: CatalogItemIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)] = "",
) -> Any:
    """Push a document: it becomes a draft of the body, awaiting its confidentiality review (201). A retry with
    the same ``external_id`` or ``Idempotency-Key`` header and the same content answers with the item created
    the first time (200, ``Idempotent-Replay: true``); the same key with other content is a 409."""
    try:
        body = _writable_body(request, payload.body)
        fields = _vocabulary(payload.dict(exclude={"body", "external_id"}))
        pub, created = actions.push_document(
            actor(request),
            body,
            fields,
            external_id=payload.external_id,
            idempotency_key=idempotency_key.strip(),
        )
    except ValidationError as exc:
        return invalid(exc)
    except actions.KeyReused as exc:
        return Status(409, {"detail": str(exc)})
    if not created:
        response["Idempotent-Replay"] = "true"
    return Status(
        201 if created else 200, _item(_visible_item(request, pub.pk, Scope.CATALOG_WRITE), detail=True)
    )


@router.patch(
    "/items/{pk}", response={200: CatalogItemDetailOut, **errors(400, 401, 403, 404, 409, 422, 429)}
)
def update_item(
    request: HttpRequest, pk: Annotated[int, Path(ge=1, le=MAX_ID)], payload: CatalogItemPatch
) -> Any:
    """Change a draft before its review; a reviewed or published item is a 409 (revise it on the staff pages)."""
    pub = _visible_item(request, pk, Scope.CATALOG_WRITE)
    _writable_body(request, pub.body.org_code)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "issued_on"}
    try:
        update_draft(actor(request), pub, **_vocabulary(changes))
    except ValidationError as exc:
        return invalid(exc)
    except IllegalStep as exc:
        return Status(409, {"detail": str(exc)})
    return _item(_visible_item(request, pk, Scope.CATALOG_WRITE), detail=True)
