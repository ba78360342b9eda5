"""Staff pages of the checker's batch checks (docs/checker-input.md, "Batch page"): thin — access from
``gongkai.permissions``, the work in ``gongkai.checker.batch``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import permissions
from gongkai.acknowledgement.keys import idempotent
from gongkai.checker import batch as batches
from gongkai.checker.models import Batch, BatchStatus, ItemStatus
from gongkai.checker.reading import max_bytes
from gongkai.forms import Form


class BatchForm(Form):
    urls = forms.CharField(
        label=gettext_lazy("年报地址（每行一个，http 或 https）"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _staff(request: HttpRequest) -> None:
    if not permissions.can_use_checker(request.user):
        raise PermissionDenied


def _page(request: HttpRequest, form: BatchForm, problem: str = "") -> HttpResponse:
    recent = Batch.objects.filter(created_by_id=request.user.pk).order_by("-created_at")[:20]
    context = {
        "form": form,
        "problem": problem,
        "recent": recent,
        "max_files": batches.max_files(),
        "max_mb": max_bytes() // 1048576,
    }
    return render(request, "checker/batch.html", context, status=400 if problem else 200)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent("checker.batch")
def batch_home(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and the user's recent batches. POST: a new batch, checked now or in the worker."""
    _staff(request)
    if request.method == "GET":
        return _page(request, BatchForm())
    form = BatchForm(request.POST)
    if not form.is_valid():
        return _page(request, form, _("请检查填写的内容"))
    uploads = [(f.name or "", _read_upload(f)) for f in request.FILES.getlist("files")]
    try:
        batch = batches.create(request.user, uploads, batches.urls_from_text(form.cleaned_data["urls"]))  # type: ignore[arg-type]
    except batches.BatchRefused as exc:
        return _page(request, form, exc.message)
    batches.start(batch)
    return redirect("checker:batch_detail", token=batch.token)


def _own_batch(request: HttpRequest, token: str) -> Batch:
    _staff(request)
    found = get_object_or_404(Batch, token=token)
    if not permissions.can_view_batch(request.user, found.created_by_id):
        raise Http404
    return found


def _read_upload(upload: UploadedFile[Any]) -> bytes:
    """An uploaded file's bytes, no more than needed to refuse it: a ZIP up to a whole batch, any other file
    one byte past the per-file limit (enough for "too large")."""
    head = upload.read(4)
    upload.seek(0)
    limit = max_bytes() * (batches.max_files() if head == b"PK\x03\x04" else 1)
    data: bytes = upload.read(limit + 1)
    return data


@login_required
@require_GET
def batch_detail(request: HttpRequest, token: str) -> HttpResponse:
    found = _own_batch(request, token)
    items = list(found.items.select_related("report").order_by("position"))
    context = {
        "batch": found,
        "items": items,
        "running": found.status != BatchStatus.DONE,
        "done": sum(1 for i in items if i.status != ItemStatus.PENDING),
        "unreadable": ItemStatus.UNREADABLE,
        "checked": ItemStatus.CHECKED,
    }
    return render(request, "checker/batch_detail.html", context)


@login_required
@require_GET
def batch_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    found = _own_batch(request, token)
    response = HttpResponse(batches.workbook(found), content_type=batches.XLSX)
    stamp = found.created_at.strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="report-check-{stamp}.xlsx"'
    return response
