"""Staff pages of the 12345 hotline: the tickets of the bodies a user may see (a supervisor: the supervised
subtree) for a year, with a status filter, the year's counts, completion and satisfaction rates; a ticket's page
with its history; and the import of a platform export (the body's own staff). Who may do what is
``gongkai.permissions``'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai import forms as gkforms
from gongkai import permissions
from gongkai.hotline.importer import MAX_BYTES, ImportRefused, import_tickets
from gongkai.hotline.models import Ticket, TicketStatus
from gongkai.hotline.stats import year_figures
from gongkai.organisations.models import Organisation

PAGE_SIZE = 50


class ImportForm(gkforms.Form):
    body = forms.CharField(label=gettext_lazy("承办机关代码"), max_length=18)
    file = forms.FileField(
        label=gettext_lazy("工单文件（CSV或XLSX）"),
        help_text=gettext_lazy(
            "第一行为列名：工单编号、受理时间（必填）、诉求类型、反映问题、来电人、联系电话、诉求内容、工单状态、办理时限、办结时间、办理结果、满意度、承办机关代码"
        ),
    )


def _own_body(request: HttpRequest) -> Organisation | None:
    profile = getattr(request.user, "staff_profile", None)
    body = getattr(profile, "body", None)
    return body if isinstance(body, Organisation) else None


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
def tickets(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    year = _year(request)
    visible = Ticket.objects.filter(body__in=permissions.visible_orgs(request.user))
    figures = year_figures(visible, year)
    overdue_only = request.GET.get("overdue") == "1"  # every year's (the staff home's count links here)
    qs = visible.overdue_at(timezone.now()) if overdue_only else visible.filter(received_at__year=year)
    qs = qs.select_related("body")
    status = request.GET.get("status", "")
    if status in TicketStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-received_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    own = _own_body(request)
    may_import = own is not None and permissions.can_handle_ticket(request.user, own)
    context: dict[str, Any] = {
        "page": page,
        "tickets": page.object_list,
        "year": year,
        "years": range(timezone.localdate().year, 2013, -1),
        "status": status,
        "overdue_only": overdue_only,
        "statuses": [
            (value, label, figures.by_status.get(value, 0)) for value, label in TicketStatus.choices
        ],
        "figures": figures,
        "import_form": ImportForm(initial={"body": own.org_code}) if may_import and own else None,
    }
    return render(request, "hotline/staff_tickets.html", context)


@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Ticket.objects.select_related("body"), pk=pk)
    if not permissions.can_view_org(request.user, found.body):
        raise PermissionDenied
    events = found.events.order_by("at", "id")
    return render(request, "hotline/staff_ticket.html", {"ticket": found, "events": events})


@login_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    """Import a platform export for a body the user works for; all-or-nothing, problems listed by row."""
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    # Who may import for which body is decided first (a stranger's bad form is a 403, not an error list).
    code = request.POST.get("body", "").strip()[:18]
    body = Organisation.objects.filter(org_code=code).order_by("-id").first() if code else None
    if body is None or not permissions.can_handle_ticket(request.user, body):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            said = "；".join(str(e) for e in errors)
            messages.error(request, f"{label}：{said}" if label else said)
        return redirect("hotline_staff:tickets")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        messages.error(request, _("文件过大（最大20MB）"))
        return redirect("hotline_staff:tickets")
    try:
        result = import_tickets(request.user, body, upload.read(), upload.name or "upload.csv")
    except ImportRefused as exc:
        return render(
            request,
            "hotline/staff_import_refused.html",
            {"problems": exc.problems, "body": body},
            status=400,
        )
    messages.success(
        request,
        _("已导入%(created)d件工单，%(same)d件此前已导入且无变化")
        % {"created": result.created, "same": result.unchanged},
    )
    return redirect("hotline_staff:tickets")
