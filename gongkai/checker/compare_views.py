"""The year-over-year staff page (report-checker issue, Deliver 7; docs/checker-compare.md): upload last
year's and this year's report of one body, see the comparison (``gongkai.checker.compare``) as a page and
download it as a DOCX. Thin: the form, the permission (``permissions.is_staff_member``), the domain, render.

The comparison of an upload is kept for an hour in the shared cache under a random token bound to the user,
so that its DOCX can be downloaded without uploading the files again; nothing else is stored."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import permissions
from gongkai.checker import compare
from gongkai.forms import Form

MAX_UPLOAD = 20 * 1024 * 1024  # bytes per report file
KEEP = 3600  # seconds a comparison stays downloadable
CACHE = "shared"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class CompareForm(Form):
    old = forms.FileField(label=gettext_lazy("上一年度报告"))
    new = forms.FileField(label=gettext_lazy("本年度报告"))

    def _file(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("文件过大（超过%(mb)dMB）") % {"mb": MAX_UPLOAD // (1024 * 1024)}, code="too_large"
            )
        return upload

    def clean_old(self) -> Any:
        return self._file("old")

    def clean_new(self) -> Any:
        return self._file("new")


def _key(request: HttpRequest, token: str) -> str:
    return f"checker-compare:{request.user.pk}:{token}"


def _staff(request: HttpRequest) -> None:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def compare_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = CompareForm(request.POST, request.FILES) if request.method == "POST" else CompareForm()
    context: dict[str, Any] = {"form": form, "error": ""}
    if request.method == "POST" and form.is_valid():
        old_file, new_file = form.cleaned_data["old"], form.cleaned_data["new"]
        try:
            old, old_doc = compare.check_upload(old_file.read(), old_file.name)
            new, new_doc = compare.check_upload(new_file.read(), new_file.name, old_doc)
        except compare.Unreadable as exc:
            context["error"] = str(exc)
            return render(request, "checker/compare.html", context, status=400)
        comparison = compare.compare(old, old_doc, new, new_doc)
        token = secrets.token_urlsafe(16)
        caches[CACHE].set(_key(request, token), comparison, KEEP)
        context.update(comparison_context(comparison), token=token)
        return render(request, "checker/compare.html", context)
    return render(request, "checker/compare.html", context, status=400 if form.errors else 200)


def comparison_context(comparison: compare.Comparison) -> dict[str, Any]:
    """What the template shows: the comparison with its figures formatted and paragraphs split into pieces."""
    return {
        "comparison": comparison,
        "title": compare.title(comparison),
        "cells": [
            {
                "change": c,
                "kind": compare.kind_label(c.kind),
                "old": compare.number(c.old),
                "new": compare.number(c.new),
                "difference": compare.signed(c.difference),
            }
            for c in comparison.cells
        ],
        "paragraphs": [
            {
                "change": p,
                "kind": compare.kind_label(p.kind),
                "pieces": p.pieces() if p.kind == "changed" else [],
            }
            for p in comparison.paragraphs
        ],
    }


@login_required
@require_GET
def compare_docx(request: HttpRequest, token: str) -> HttpResponse:
    _staff(request)
    comparison = caches[CACHE].get(_key(request, token))
    if not isinstance(comparison, compare.Comparison):
        raise Http404(_("比较结果已过期，请重新上传两份报告"))
    response = HttpResponse(compare.to_docx(comparison), content_type=DOCX)
    name = f"compare-{comparison.old_year or 'old'}-{comparison.new_year or 'new'}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Included by gongkai/checker/urls.py under staff/checker/ (app_name "checker").
urlpatterns = [
    path("compare/", compare_page, name="compare"),
    path("compare/<str:token>.docx", compare_docx, name="compare_docx"),
]
