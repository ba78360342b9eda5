"""Staff views of annual reports: thin — parse, check access in ``gongkai.permissions``, call the domain."""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai import forms as gkforms
from gongkai import permissions
from gongkai.acknowledgement.keys import FIELD, idempotent
from gongkai.catalog.figures import FIELDS as FIGURE_FIELDS
from gongkai.catalog.figures import save_proactive_figures
from gongkai.catalog.models import ProactiveFigures, Publication
from gongkai.figures.read import computed_at as figures_computed_at
from gongkai.organisations.models import Organisation, OrganisationQuerySet
from gongkai.reports import actions, drilldown, validation
from gongkai.reports.attention import attention
from gongkai.reports.build import FormatNotAvailable, Report, build_report
from gongkai.reports.built import built_report
from gongkai.reports.charts import chart_data
from gongkai.reports.document import existence_notice, freeze, narrative_sections, tables, title
from gongkai.reports.exports import SUFFIXES, render_frozen
from gongkai.reports.exports.html import chart_figures
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year, format_name, sections
from gongkai.reports.models import ReportPublication, ScopeCode
from gongkai.reports.narrative import placeholders_for_format, template_for
from gongkai.reports.narrative_checks import hand_typed_numbers
from gongkai.reports.registry import Scope, Statistic


def report_context(report: Report, figures: list[dict[str, Any]] | None = None) -> dict[str, object]:
    """The report's part of a page; ``figures``: its charts already drawn (``reports.built``)."""
    return {
        "report": report,
        "title": title(report),
        "sections": narrative_sections(report),
        "tables": tables(report),
        "existence_notice": "" if report.org.existed_in(report.year) else existence_notice(report),
        "chart_figures": chart_figures(chart_data(report)) if figures is None else figures,
    }


def _parse_year(raw: str | None, default: int) -> int:
    try:
        year = int(raw) if raw else default
    except ValueError as exc:
        raise Http404(_("年度须为数字")) from exc
    if not 2008 <= year <= 2100:
        raise Http404(_("年度超出范围"))
    return year


def _scope(raw: str | None) -> Scope:
    return Scope.OWN if raw == Scope.OWN.value else Scope.SUBTREE


def _visible_org(request: HttpRequest, org_code: str) -> Organisation:
    org = get_object_or_404(Organisation, org_code=org_code)
    if not permissions.can_view_org(request.user, org):
        raise PermissionDenied
    return org


def _latest_year(orgs: OrganisationQuerySet) -> int:
    """The latest year with published items in these bodies (an indexed MAX), else last year."""
    latest = Publication.objects.filter(body__in=orgs).aggregate(d=Max("published_on"))["d"]
    return latest.year if latest is not None else timezone.localdate().year - 1


@login_required
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    orgs = permissions.visible_orgs(request.user).order_by("path")
    year = _parse_year(request.GET.get("year"), _latest_year(orgs))
    today = timezone.localdate()
    context = {
        "orgs": orgs,
        "count": orgs.count(),
        "year": year,
        "today": today,
        "attention": attention(request.user, today),
    }
    return render(request, "reports/staff_home.html", context)


@login_required
@require_GET
def staff_report(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    org = _visible_org(request, org_code)
    scope = _scope(request.GET.get("scope"))
    requested = _parse_year(request.GET.get("year"), year)
    if requested != year:
        return redirect(f"{reverse('reports:staff_report', args=[org_code, requested])}?scope={scope.value}")
    try:
        # figures, findings (editors see them too: they fix the text), last year, charts: once per change
        report, built = built_report(org, year, default_format_for_year(year), scope)
    except FormatNotAvailable as exc:
        return render(request, "reports/unavailable.html", {"org": org, "year": year, "message": str(exc)})
    download = request.GET.get("download")
    if download:
        return _download(report, download)
    publication = ReportPublication.objects.filter(
        org=org, year=year, format=report.format, scope=report.scope.value
    ).first()
    can_publish = permissions.can_publish_report(request.user, org)
    versions = list(publication.versions.order_by("-number")) if publication else []
    context = report_context(report, built["chart_figures"]) | {
        "publication": publication,
        "versions": versions,
        "current_version": versions[0] if versions else None,
        "findings": validation.labelled(built["findings"]),
        "blocking": actions.blocking_errors(built["findings"]),
        "live_similarity": built["live_similarity"],
        "similarity_warning": actions.SIMILARITY_WARNING,
        "can_publish": can_publish,
        "can_edit": permissions.can_edit_report(request.user, org),
        "scopes": ScopeCode.choices,
        "submitted": built["submitted"],
        "suffixes": [x.lstrip(".") for x in SUFFIXES],
        # every cell links to its drill-down (staff view only; the public snapshot has no such variable)
        "drilldown_base": reverse("reports:staff_report", args=[org_code, year]) + "cells/",
        "figures_computed_at": figures_computed_at(org.pk, year, scope.value),  # gongkai.figures freshness
    }
    return render(request, "reports/staff_report.html", context)


def _download(report: Report, kind: str) -> HttpResponse:
    """The report as it stands now (a draft: not the published version) in one of the export file types."""
    suffix = f".{kind}"
    if suffix not in SUFFIXES:
        raise Http404(_("不支持的导出文件类型"))
    data = render_frozen(freeze(report), suffix)
    content_type = mimetypes.guess_type(f"x{suffix}")[0] or "application/octet-stream"
    if suffix in {".json", ".md", ".html"}:
        content_type += "; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    name = f"{report.org.org_code}-{report.year}-{report.format}-{report.scope.value}-draft{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def cell_drilldown(request: HttpRequest, org_code: str, year: int, key: str) -> HttpResponse:
    """The records a report cell counts, or the figures it is entered or derived from (issue 5 deliverable
    5; ``gongkai.reports.drilldown``)."""
    org = _visible_org(request, org_code)
    year = _parse_year(None, year)
    fmt = request.GET.get("format") or default_format_for_year(year)
    if fmt not in FORMAT_CODES:
        raise Http404(_("没有这一报告格式"))
    scope = _scope(request.GET.get("scope"))
    try:
        cell = drilldown.cell_drilldown(request.user, org, year, key, fmt, scope)
    except KeyError as exc:
        raise Http404(_("没有这一统计项")) from exc
    page = None
    rows: list[drilldown.RecordRow] = []
    if cell.records is not None:
        page = Paginator(cell.records, drilldown.PAGE_SIZE).get_page(request.GET.get("page"))
        rows = drilldown.describe_page(page, cell.statistic, request.user)
    context = {
        "cell": cell,
        "page": page,
        "rows": rows,
        "report_url": f"{reverse('reports:staff_report', args=[org_code, year])}?scope={scope.value}",
        "query": f"format={fmt}&scope={scope.value}",
    }
    return render(request, "reports/cell.html", context)


def freeze_narrative(report: Report) -> dict[str, Any]:
    """The narrative part of a frozen report (what the similarity measure reads)."""
    return {
        "sections": [
            {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in narrative_sections(report)
        ]
    }


_CARRIED_KEY = re.compile(
    r"[A-Za-z0-9_-]{43}"
)  # the report page's idempotency key (secrets.token_urlsafe(32))


@login_required
@require_GET
def confirm_publish(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    """What publishing (or correcting) will freeze, for the publisher to confirm (issue 12: no one-click
    publication). Only the POST of this page's form publishes (``publish``); the page changes nothing."""
    org = _visible_org(request, org_code)
    if not permissions.can_publish_report(request.user, org):
        raise PermissionDenied
    year = _parse_year(None, year)
    scope = _scope(request.GET.get("scope"))
    action = "correct" if request.GET.get("action") == "correct" else "publish"
    try:
        report, built = built_report(org, year, default_format_for_year(year), scope)
    except FormatNotAvailable as exc:
        return render(request, "reports/unavailable.html", {"org": org, "year": year, "message": str(exc)})
    findings = validation.labelled(built["findings"])
    publication = ReportPublication.objects.filter(
        org=org, year=year, format=report.format, scope=scope.value
    ).first()
    key = str(request.GET.get(FIELD, ""))
    context = {
        "report": report,
        "title": title(report),
        "action": action,
        "format_name": format_name(report.format),
        "scope_label": ScopeCode(scope.value).label,
        "errors": [f for f in findings if f["severity"] == "error"],
        "warnings": [f for f in findings if f["severity"] != "error"],
        "blocking": actions.blocking_errors(built["findings"]),
        "next_version": publication.versions.count() + 1 if publication else 1,
        "sections": len(narrative_sections(report)),
        "tables": len(tables(report)),
        "submitted": built["submitted"],
        "suffixes": [s.lstrip(".").upper() for s in SUFFIXES],
        "override_reason": request.GET.get("override_reason", ""),
        "reason": request.GET.get("reason", ""),
        "carried_key": key if _CARRIED_KEY.fullmatch(key) else "",
        "report_url": f"{reverse('reports:staff_report', args=[org_code, year])}?scope={scope.value}",
    }
    return render(request, "reports/confirm_publish.html", context)


@login_required
@require_POST
@idempotent("reports.publish")
def publish(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    org = _visible_org(request, org_code)
    if not permissions.can_publish_report(request.user, org):
        raise PermissionDenied
    year = _parse_year(None, year)
    scope = _scope(request.POST.get("scope"))
    fmt = default_format_for_year(year)
    try:
        build_report(org, year, fmt, scope)
    except FormatNotAvailable as exc:
        messages.error(request, str(exc))
        return redirect("reports:staff_report", org_code=org_code, year=year)
    action = request.POST.get("action")
    override_reason = request.POST.get("override_reason", "")
    try:
        if action == "withdraw":
            pub = get_object_or_404(ReportPublication, org=org, year=year, format=fmt, scope=scope.value)
            actions.withdraw_report(request.user, pub)
            messages.success(request, _("已撤回发布。"))
        elif action == "correct":
            pub = get_object_or_404(ReportPublication, org=org, year=year, format=fmt, scope=scope.value)
            version = actions.correct_report(
                request.user, pub, reason=request.POST.get("reason", ""), override_reason=override_reason
            )
            messages.success(request, _("已发布更正版本（第%(n)d版）。") % {"n": version.number})
        else:
            actions.publish_report(request.user, org, year, fmt, scope.value, override_reason=override_reason)
            messages.success(request, _("年度报告已发布。"))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect(f"{reverse('reports:staff_report', args=[org_code, year])}?scope={scope.value}")


class SectionForm(gkforms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 14}), strip=True)
    carries_forward = forms.BooleanField(label=_("以后各年度未单独填写的，沿用这段文字"), required=False)


@login_required
def edit_section(request: HttpRequest, org_code: str, year: int, section: int) -> HttpResponse:
    org = _visible_org(request, org_code)
    if not permissions.can_edit_report(request.user, org):
        raise PermissionDenied
    year = _parse_year(None, year)
    fmt = default_format_for_year(year)
    headings = sections(fmt)
    if not 1 <= section <= len(headings):
        raise Http404(_("没有这一章节"))
    form = SectionForm(request.POST or None, initial={"text": template_for(org, year, fmt, section)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_narrative(
                request.user,
                org,
                fmt,
                section,
                form.cleaned_data["text"],
                year=year,
                carries_forward=form.cleaned_data["carries_forward"],
            )
        except ValidationError as exc:
            form.add_error("text", exc.messages)
        else:
            messages.success(request, _("已保存“%(heading)s”。") % {"heading": headings[section - 1]})
            typed = hand_typed_numbers(form.cleaned_data["text"])
            if typed:
                messages.warning(request, digits_warning(typed))
            return redirect("reports:staff_report", org_code=org_code, year=year)
    placeholders = [(s.key, placeholder_label(s, fmt)) for s in placeholders_for_format(fmt)]
    context = {
        "org": org,
        "year": year,
        "heading": headings[section - 1],
        "form": form,
        "placeholders": placeholders,
        "typed": hand_typed_numbers(str(form["text"].value() or "")),
    }
    return render(request, "reports/edit_section.html", context)


def digits_warning(typed: list[str]) -> str:
    """Statutory-reference §3.4 rule 7: numbers typed by hand can disagree with the tables."""
    return _("文字中有手工输入的数字：%(numbers)s。请核对是否与统计表一致，能用占位符的请改用占位符。") % {
        "numbers": "、".join(dict.fromkeys(typed))
    }


def placeholder_label(stat: Statistic, fmt: str) -> str:
    """The cell a placeholder prints (row · column), or the description of a statistic without a cell."""
    cell = stat.cells.get(fmt)
    if cell is None:
        return stat.description or stat.label
    return f"{cell.row.rsplit('/', 1)[-1]} · {cell.column}"


class ProactiveFiguresForm(gkforms.Form):
    """Table 2 figures of one body and year (fields and labels from ``ProactiveFigures``)."""

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ProactiveFigures, fields=list(FIGURE_FIELDS)))
        for field in self.fields.values():
            field.disabled = read_only


@login_required
def proactive_figures(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    """Enter a body's Table 2 figures for a year (2019 Regulations art 20 (5), (6), (8), (9)): its office head
    or admin edits, its other staff and supervisors read."""
    org = _visible_org(request, org_code)
    year = _parse_year(None, year)
    can_edit = permissions.can_enter_proactive_figures(request.user, org)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    rows = {f.year: f for f in ProactiveFigures.objects.filter(body=org, year__in=(year - 1, year))}
    current, previous = rows.get(year), rows.get(year - 1)
    initial = {name: getattr(current, name) for name in FIGURE_FIELDS} if current else {}
    form = ProactiveFiguresForm(request.POST or None, initial=initial, read_only=not can_edit)
    if request.method == "POST" and form.is_valid():
        try:
            save_proactive_figures(request.user, org, year, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("已保存%(year)s年度主动公开数据。") % {"year": year})
            return redirect("reports:proactive_figures", org_code=org_code, year=year)
    fields = [
        (form[name], getattr(previous, name) if previous and name.endswith("_items") else None)
        for name in FIGURE_FIELDS
    ]
    context = {"org": org, "year": year, "form": form, "fields": fields, "can_edit": can_edit}
    return render(request, "reports/proactive_figures.html", context)
