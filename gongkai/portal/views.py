"""Public pages: home and published annual reports (a report is visible only once staff publish it)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.organisations.models import Organisation
from gongkai.reports.models import ReportPublication


def _published() -> list[ReportPublication]:
    return list(
        ReportPublication.objects.filter(published_at__isnull=False)
        .select_related("org")
        .order_by("-year", "org__path")
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"publications": _published()[:20]})


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/reports.html", {"publications": _published()})


@require_GET
def report(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    org = get_object_or_404(Organisation, org_code=org_code)
    publication = (
        ReportPublication.objects.filter(org=org, year=year, published_at__isnull=False)
        .order_by("scope")  # "own" < "subtree": prefer the subtree report when both are published
        .last()
    )
    if publication is None:
        raise Http404(_("该年度报告尚未发布"))
    frozen = publication.snapshot or {}
    context = {
        "title": frozen.get("title", ""),
        "report": frozen.get("report", {}),
        "sections": frozen.get("sections", []),
        "tables": frozen.get("tables", []),
        "existence_notice": frozen.get("existence_notice", ""),
        "publication": publication,
    }
    return render(request, "portal/report.html", context)
