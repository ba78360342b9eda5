"""Public annual-report pages (issue 5, deliverable 6): the current version of a published report exactly as
frozen (numbers, text, charts, the files with their SHA-256), the override reason when errors were published
anyway (statutory-reference §3.4), and the list of versions with their correction reasons — each older
version viewable. Nothing here reads live records: a record edited after publishing changes nothing."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai import pagecache
from gongkai.organisations.models import Organisation
from gongkai.pagecache import cached_page
from gongkai.reports.exports.html import chart_figures
from gongkai.reports.models import ReportPublication, ReportVersion, ReportVersionFile


def _publication(request: HttpRequest, org_code: str, year: int) -> ReportPublication:
    org = get_object_or_404(Organisation, org_code=org_code)
    published = ReportPublication.objects.filter(org=org, year=year, published_at__isnull=False)
    scope = request.GET.get("scope")
    if scope:
        published = published.filter(scope=scope)
    # "own" < "subtree": prefer the subtree report when both are published
    publication = published.select_related("org").order_by("scope").last()
    if publication is None:
        raise Http404(_("该年度报告尚未发布"))
    return publication


def _version(publication: ReportPublication, number: int | None) -> ReportVersion | None:
    versions = publication.versions.all()
    if number is None:
        return versions.order_by("-number").first()
    return get_object_or_404(versions, number=number)


def _render(
    request: HttpRequest, publication: ReportPublication, version: ReportVersion | None
) -> HttpResponse:
    frozen: dict[str, Any] = dict(version.snapshot if version else publication.snapshot or {})
    versions = list(publication.versions.order_by("number"))
    context = frozen | {
        "title": frozen.get("title", ""),
        "report": frozen.get("report", {}),
        "sections": frozen.get("sections", []),
        "tables": frozen.get("tables", []),
        "charts": frozen.get("charts", []),
        "chart_figures": chart_figures(frozen.get("charts", [])),
        "existence_notice": frozen.get("existence_notice", ""),
        "publication": publication,
        "version": version,
        "versions": versions,
        "is_current": version is None or version.number == versions[-1].number,
        "files": list(version.files.order_by("suffix")) if version else [],
        "can_edit": False,
    }
    return render(request, "portal/report.html", context)


@require_GET
@cached_page(pagecache.REPORTS, pagecache.BODIES)
def report(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    publication = _publication(request, org_code, year)
    return _render(request, publication, _version(publication, None))


@require_GET
@cached_page(pagecache.REPORTS, pagecache.BODIES)
def report_version(request: HttpRequest, org_code: str, year: int, number: int) -> HttpResponse:
    publication = _publication(request, org_code, year)
    return _render(request, publication, _version(publication, number))


@require_GET
def report_file(request: HttpRequest, org_code: str, year: int, number: int, suffix: str) -> FileResponse:
    """A frozen file of a version, byte for byte as published (``X-Content-SHA256`` carries its checksum)."""
    publication = _publication(request, org_code, year)
    version = _version(publication, number)
    if version is None:
        raise Http404(_("该版本没有文件"))
    item = get_object_or_404(ReportVersionFile, version=version, suffix=f".{suffix}")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("报告文件缺失，请联系发布机关")) from exc
    name = f"{publication.org.org_code}-{publication.year}-v{number}{item.suffix}"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-SHA256"] = item.sha256
    return response
