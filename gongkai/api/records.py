"""Reading through the API: the portal's search, published annual reports with their figures, and report
submissions (填报); and a submission uploaded by another system."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Router, Schema, Status, UploadedFile

from gongkai import permissions
from gongkai import search as portal_search
from gongkai.api.auth import TOKEN_OR_SESSION, named_body, require, token_of, visible_orgs
from gongkai.api.models import Scope
from gongkai.api.schemas import MAX_ID, MAX_OFFSET, InputSchema, Text, errors
from gongkai.api.validation import body as validation_body
from gongkai.api.validation import invalid
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Publication
from gongkai.organisations.models import Organisation
from gongkai.reports.models import ReportPublication
from gongkai.submissions import actions as submissions
from gongkai.submissions.models import Submission
from gongkai.submissions.xlsx import SubmissionError

router = Router(auth=TOKEN_OR_SESSION)

Limit = Annotated[int, Field(ge=1, le=200)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Year = Annotated[int | None, Field(ge=2008, le=2999)]
BodyCode = Annotated[str, Field(max_length=18, description="org code (机关代码)")]
Pk = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- search ----------------------------------------------------------------------------------------------------


class SearchHitOut(Schema):
    id: int
    index_number: str
    title: str
    body: str
    body_code: str
    published_on: dt.date | None
    score: float
    title_html: str
    snippet_html: str


@router.get("/search", response={200: list[SearchHitOut], **errors(401, 403, 422, 429)}, tags=["search"])
def search(
    request: HttpRequest,
    response: HttpResponse,
    q: Annotated[str, Field(min_length=1, max_length=200)],
    mode: Literal["exact", "relevance"] = "exact",
    year: Year = None,
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
    offset: Annotated[int, Field(ge=0, le=10_000)] = 0,
) -> Any:
    """The portal's search over published items (the same engine and semantics, docs/search.md), best first;
    ``title_html`` and ``snippet_html`` are escaped HTML with matches in ``<mark>``. Total in ``X-Total-Count``."""
    require(request, Scope.SEARCH)
    results = portal_search.search(q, portal_search.Filters(year=year), limit=limit, offset=offset, mode=mode)
    pubs = Publication.objects.select_related("body").in_bulk([h.publication_id for h in results.hits])
    response["X-Total-Count"] = str(results.total)
    return [
        {
            "id": h.publication_id,
            "index_number": index_number(pub),
            "title": pub.title,
            "body": pub.body.name,
            "body_code": pub.body.org_code,
            "published_on": pub.published_on,
            "score": h.score,
            "title_html": str(h.title_html),
            "snippet_html": str(h.snippet_html),
        }
        for h in results.hits
        if (pub := pubs.get(h.publication_id)) is not None
    ]


# --- reports ---------------------------------------------------------------------------------------------------


class ReportOut(Schema):
    id: int
    body: str
    body_code: str
    year: int
    format: str
    scope: str
    published_at: dt.datetime
    version: int
    checksum: str


class ReportDetailOut(ReportOut):
    title: str
    figures: dict[str, Any]
    sections: list[dict[str, Any]]
    corrections: list[str]


def _report(rep: ReportPublication) -> dict[str, Any]:
    assert rep.published_at is not None
    return {
        "id": rep.pk,
        "body": rep.org.name,
        "body_code": rep.org.org_code,
        "year": rep.year,
        "format": rep.format,
        "scope": rep.scope,
        "published_at": rep.published_at,
        "version": rep.versions.count(),
        "checksum": rep.checksum,
    }


def _published_reports() -> Any:
    return ReportPublication.objects.filter(published_at__isnull=False).select_related("org")


@router.get("/reports", response={200: list[ReportOut], **errors(401, 403, 422, 429)}, tags=["reports"])
def list_reports(
    request: HttpRequest,
    response: HttpResponse,
    body: BodyCode = "",
    year: Year = None,
    format: Literal["", "2014", "2019", "2021"] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Published annual reports (public documents: any body's), newest year first."""
    require(request, Scope.REPORTS_READ)
    qs = _published_reports()
    if body:
        qs = qs.filter(org__org_code=body)
    if year is not None:
        qs = qs.filter(year=year)
    if format:
        qs = qs.filter(format=format)
    response["X-Total-Count"] = str(qs.count())
    return [
        _report(r)
        for r in qs.order_by("-year", "org__path", "format", "scope", "id")[offset : offset + limit]
    ]


@router.get(
    "/reports/{pk}", response={200: ReportDetailOut, **errors(401, 403, 404, 422, 429)}, tags=["reports"]
)
def get_report(request: HttpRequest, pk: Pk) -> Any:
    """A published report as published (its current version): figures as JSON (``figures``: the statistics by
    key), the narrative sections, and the reasons of its corrections."""
    require(request, Scope.REPORTS_READ)
    rep = get_object_or_404(_published_reports(), pk=pk)
    snap = rep.snapshot or {}
    figures = snap.get("json")
    return _report(rep) | {
        "title": str(snap.get("title", "")),
        "figures": figures if isinstance(figures, dict) else {},
        "sections": [s for s in snap.get("sections", []) if isinstance(s, dict)],
        "corrections": [v.reason for v in rep.versions.order_by("number") if v.number > 1],
    }


# --- submissions -----------------------------------------------------------------------------------------------


class SubmissionOut(Schema):
    id: int
    body: str
    body_code: str
    year: int
    format: str
    status: str
    is_current: bool
    original_name: str
    sha256: str
    size: int
    uploaded_at: dt.datetime
    withdrawn_at: dt.datetime | None


class SubmissionDetailOut(SubmissionOut):
    warnings: list[Any]
    values: dict[str, str]


def _submission(sub: Submission) -> dict[str, Any]:
    return {
        "id": sub.pk,
        "body": sub.org.name,
        "body_code": sub.org.org_code,
        "year": sub.year,
        "format": sub.format,
        "status": "current" if sub.is_current else ("withdrawn" if sub.withdrawn_at else "superseded"),
        "is_current": sub.is_current,
        "original_name": sub.original_name,
        "sha256": sub.sha256,
        "size": sub.size,
        "uploaded_at": sub.uploaded_at,
        "withdrawn_at": sub.withdrawn_at,
    }


def _submissions(request: HttpRequest) -> Any:
    orgs = visible_orgs(request, Scope.SUBMISSIONS_READ)
    return Submission.objects.filter(org__in=orgs).select_related("org")


@router.get(
    "/submissions", response={200: list[SubmissionOut], **errors(401, 403, 422, 429)}, tags=["submissions"]
)
def list_submissions(
    request: HttpRequest,
    response: HttpResponse,
    body: BodyCode = "",
    year: Year = None,
    current: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Submissions of the bodies the caller acts for, newest upload first."""
    qs = _submissions(request)
    if body:
        qs = qs.filter(org__org_code=body)
    if year is not None:
        qs = qs.filter(year=year)
    if current is not None:
        qs = qs.filter(is_current=current)
    response["X-Total-Count"] = str(qs.count())
    return [_submission(s) for s in qs.order_by("-uploaded_at", "-id")[offset : offset + limit]]


@router.get(
    "/submissions/{pk}",
    response={200: SubmissionDetailOut, **errors(401, 403, 404, 422, 429)},
    tags=["submissions"],
)
def get_submission(request: HttpRequest, pk: Pk) -> Any:
    sub = get_object_or_404(_submissions(request), pk=pk)
    values = {
        v.statistic_key: f"{v.value.normalize():f}" for v in sub.values.in_range().order_by("statistic_key")
    }
    return _submission(sub) | {"warnings": list(sub.warnings or []), "values": values}


class SubmissionIn(InputSchema):
    """The form fields of an upload: the body (org code; default: the token's body), year and format."""

    body: Annotated[str, Text(18)] = ""
    year: Annotated[int, Field(ge=2008, le=2999)]
    format: Literal["2014", "2019", "2021"]


def _submitting_body(request: HttpRequest, code: str) -> Organisation:
    require(request, Scope.SUBMISSIONS_WRITE)
    token = token_of(request)
    org = named_body(request, code)
    if token is not None and not permissions.token_may(token, Scope.SUBMISSIONS_WRITE, org):
        raise PermissionDenied(_("无权为%(b)s填报") % {"b": org.name})
    return org


@router.post(
    "/submissions",
    response={201: SubmissionDetailOut, **errors(400, 401, 403, 422, 429)},
    tags=["submissions"],
)
def upload_submission(request: HttpRequest, form: Form[SubmissionIn], file: File[UploadedFile]) -> Any:
    """Upload a body's figures (填报) as the system's XLSX template (``multipart/form-data``: ``body``, ``year``,
    ``format``, ``file``; 2019 Regulations art 49-50). It replaces the body's current submission of that year
    and format; a refused workbook is a 422 naming each sheet and cell, and nothing is stored."""
    token = token_of(request)
    try:
        org = _submitting_body(request, form.body)
        if token is not None:
            sub = submissions.submit_for_system(
                token.actor_label, org, form.year, form.format, file, file.name or "upload.xlsx"
            )
        else:
            assert isinstance(request.user, User)
            sub = submissions.submit(
                request.user, org, form.year, form.format, file, file.name or "upload.xlsx"
            )
    except ValidationError as exc:
        return invalid(exc)
    except SubmissionError as exc:
        items = [
            {
                "loc": ["body", "file", *[x for x in (p.sheet, p.cell) if x]],
                "msg": p.reason,
                "type": "value_error",
            }
            for p in exc.problems
        ]
        return Status(422, validation_body(items))
    return Status(201, get_submission(request, sub.pk))


class WithdrawIn(InputSchema):
    """Why the figures are withdrawn (kept with the submission and in the audit log)."""

    reason: Annotated[str, Text(300)]


@router.post(
    "/submissions/{pk}/withdraw",
    response={200: SubmissionDetailOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    tags=["submissions"],
)
def withdraw_submission(request: HttpRequest, pk: Pk, payload: WithdrawIn) -> Any:
    """Withdraw a body's current submission (撤回): its figures come from its records again. A token needs
    ``submissions:write`` for the submission's body; staff, the upload's permission (office head, admin or the
    supervisor). A submission that is no longer current is a 409; a blank reason a 422."""
    require(request, Scope.SUBMISSIONS_WRITE)
    sub = get_object_or_404(_submissions(request), pk=pk)
    token = token_of(request)
    try:
        if token is not None:
            if not permissions.token_may(token, Scope.SUBMISSIONS_WRITE, sub.org):
                raise PermissionDenied(_("无权为%(b)s填报") % {"b": sub.org.name})
            submissions.withdraw_for_system(token.actor_label, sub, payload.reason)
        else:
            assert isinstance(request.user, User)
            submissions.withdraw(request.user, sub, payload.reason)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return Status(409, {"detail": "；".join(exc.messages)})
        return invalid(exc)
    return Status(200, get_submission(request, sub.pk))
