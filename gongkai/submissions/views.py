"""Staff pages of submissions (填报): thin — parse input, check access in ``gongkai.permissions``, call the
domain (``actions``), render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai import permissions
from gongkai.acknowledgement.keys import idempotent
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year, format_name
from gongkai.reports.registry import format_value
from gongkai.submissions import actions
from gongkai.submissions.forms import UploadForm, WithdrawForm
from gongkai.submissions.layout import layout
from gongkai.submissions.models import Submission
from gongkai.submissions.overview import body_states
from gongkai.submissions.xlsx import Problem, SubmissionError, template_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org(request: HttpRequest, org_code: str) -> Organisation:
    org = get_object_or_404(Organisation, org_code=org_code)
    if not permissions.can_download_submission_template(request.user, org):
        raise PermissionDenied
    return org


def _year(year: int) -> int:
    if not 2008 <= year <= 2100:
        raise Http404(_("年度超出范围"))
    return year


def _format(raw: str | None, year: int) -> str:
    if not raw:
        return default_format_for_year(year)
    if raw not in FORMAT_CODES:
        raise Http404(_("未知的报告格式"))
    return raw


def _page(
    request: HttpRequest, org: Organisation, year: int, fmt: str, problems: list[Problem] | None = None
) -> HttpResponse:
    history = Submission.objects.in_format(year, fmt).filter(org=org).select_related("uploaded_by")
    current = next((s for s in history if s.is_current), None)
    context = {
        "org": org,
        "year": year,
        "fmt": fmt,
        "format_name": format_name(fmt),
        "formats": FORMAT_CODES,
        "current": current,
        "tables": _value_tables(current, fmt) if current else [],
        "history": history,
        "states": body_states(org, year, fmt) if org.children.exists() else [],
        "viewable": set(permissions.visible_orgs(request.user).subtree_of(org).values_list("pk", flat=True)),
        "can_submit": permissions.can_submit_figures(request.user, org),
        "form": UploadForm(),
        "withdraw_form": WithdrawForm(),
        "problems": problems or [],
    }
    return render(request, "submissions/body.html", context, status=400 if problems else 200)


def _value_tables(submission: Submission, fmt: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Per sheet: (row label, column label, value as printed) of the stored figures. A figure stored out of
    range before uploads were bounded is not read (it would fail the page) and is shown as a note."""
    stats = {e.statistic.key: e.statistic for sheet in layout(fmt) for e in sheet.entries}
    stored = {
        key: format_value(stats[key], value)
        for key, value in submission.values.in_range().values_list("statistic_key", "value")
        if key in stats
    }
    note = _("超出允许范围，未计入汇总，请重新上传")
    stored |= dict.fromkeys(submission.values.out_of_range_keys(), note)
    return [
        (
            sheet.name,
            [
                (e.cell.row, e.cell.column, stored[e.statistic.key])
                for e in sheet.entries
                if e.statistic.key in stored
            ],
        )
        for sheet in layout(fmt)
    ]


@login_required
@require_GET
def body(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    org = _org(request, org_code)
    year = _year(year)
    return _page(request, org, year, _format(request.GET.get("format"), year))


@login_required
@require_GET
def template(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    org = _org(request, org_code)
    year = _year(year)
    fmt = _format(request.GET.get("format"), year)
    response = HttpResponse(template_for(org, year, fmt), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="submission-{org.org_code}-{year}-{fmt}.xlsx"'
    return response


@login_required
@require_POST
@idempotent("submissions.upload")
def upload(request: HttpRequest, org_code: str, year: int) -> HttpResponse:
    org = _org(request, org_code)
    year = _year(year)
    fmt = _format(request.POST.get("format"), year)
    if not permissions.can_submit_figures(request.user, org):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, org, year, fmt, [Problem("", "", _("请选择要上传的文件"))])
    upload_file = form.cleaned_data["file"]
    try:
        actions.submit(request.user, org, year, fmt, upload_file, upload_file.name)  # type: ignore[arg-type]
    except SubmissionError as exc:
        return _page(request, org, year, fmt, exc.problems)
    messages.success(request, _("已保存%(year)s年度填报数据。") % {"year": year})
    return redirect(reverse("submissions:body", args=[org.org_code, year]) + f"?format={fmt}")


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    submission = get_object_or_404(Submission.objects.select_related("org"), pk=pk)
    if not permissions.can_download_submission_template(request.user, submission.org):
        raise PermissionDenied
    return FileResponse(
        submission.file.open("rb"), as_attachment=True, filename=submission.original_name, content_type=XLSX
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("org"), pk=pk)
    if not permissions.can_submit_figures(request.user, submission.org):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写撤回理由"))
        actions.withdraw(request.user, submission, form.cleaned_data["reason"])  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤回填报。"))
    url = reverse("submissions:body", args=[submission.org.org_code, submission.year])
    return redirect(f"{url}?format={submission.format}")
