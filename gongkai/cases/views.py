"""Staff casework: inbox, intake, case page. Thin: parse with a form, call one transition, render.
Actions are dispatched through the explicit ``ACTIONS`` table, never by name lookup on user input."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import permissions
from gongkai.acknowledgement import keys
from gongkai.acknowledgement.keys import idempotent
from gongkai.acknowledgement.models import IdempotencyKey
from gongkai.cases import forms, letters, numbering, people, remedies, transitions
from gongkai.cases.applicants import create_applicant_from, reveal
from gongkai.cases.clock import deadline_for
from gongkai.cases.fees import FEES_FROM, fee_by_count, nth_request_in_month
from gongkai.cases.models import (
    OPEN_STATES,
    AdministrativeReview,
    AnswerDocument,
    CaseEvent,
    CaseState,
    InformationRequest,
    Lawsuit,
    Letter,
)
from gongkai.cases.tracking import issue_tracking, secret_from_key

S = CaseState


@dataclass(frozen=True)
class Action:
    label: Any
    form: type[djforms.Form]
    states: frozenset[str]
    run: Callable[[Any, InformationRequest, dict[str, Any]], InformationRequest]
    by_supervisor: bool = False  # 督办 is done by the supervising office, every other step by the body
    # A step a named person must take: another system's API token may not (an extension is approved by the head
    # of the OGI office, 2019 Regulations art 33).
    by_person: bool = False
    applies: Callable[[InformationRequest], bool] = lambda req: True


def _has_items(req: InformationRequest) -> bool:
    return req.items.exists()


def _has_no_items(req: InformationRequest) -> bool:
    return not req.items.exists()


def _split(user: Any, req: InformationRequest, text: str) -> InformationRequest:
    transitions.add_items(user, req, text.splitlines())
    return req


def _answer_content(data: dict[str, Any]) -> transitions.AnswerContent:
    return transitions.AnswerContent(
        text=data.get("text", ""),
        basis=data.get("basis", ""),
        withheld_part=data.get("withheld_part", ""),
        withheld_ground=data.get("withheld_ground", ""),
        documents=data.get("documents") or (),
    )


def action_data(form: djforms.Form) -> dict[str, Any]:
    """The cleaned data an action runs with (a multi-item answer adds its per-item outcomes)."""
    data = dict(form.cleaned_data)
    if isinstance(form, forms.ItemAnswerForm):
        data["item_outcomes"] = form.item_outcomes()
    return data


def may_run(user: Any, action: Action, req: InformationRequest) -> bool:
    if action.by_supervisor:
        return permissions.can_supervise(user, req.body)
    return permissions.can_handle_case(user, req.body)


ACTIONS: dict[str, Action] = {
    "request_supplement": Action(
        gettext_lazy("告知补正"),
        forms.NoteForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: transitions.request_supplement(u, r, on=d["on"], note=d["note"]),
    ),
    "receive_supplement": Action(
        gettext_lazy("登记补正材料"),
        forms.DateForm,
        frozenset({S.AWAITING_SUPPLEMENT}),
        lambda u, r, d: transitions.receive_supplement(u, r, on=d["on"]),
    ),
    "start_consultation": Action(
        gettext_lazy("征求意见（暂停计时）"),
        forms.ConsultForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: transitions.start_consultation(u, r, on=d["on"], party=d["party"], name=d["name"]),
    ),
    "end_consultation": Action(
        gettext_lazy("登记征求意见答复"),
        forms.ReplyForm,
        frozenset({S.CONSULTING}),
        lambda u, r, d: transitions.end_consultation(u, r, on=d["on"], reply=d["reply"]),
    ),
    "extend": Action(
        gettext_lazy("延长答复期限（本人审批）"),
        forms.ExtendForm,
        frozenset({S.RECEIVED, S.CONSULTING}),
        lambda u, r, d: transitions.extend(
            u, r, on=d["on"], days=d["days"], reason=d["reason"], approved_by=u
        ),
        by_person=True,
    ),
    "answer": Action(
        gettext_lazy("作出答复"),
        forms.AnswerForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: transitions.answer(
            u, r, on=d["on"], outcome=d["outcome"], content=_answer_content(d)
        ),
        applies=_has_no_items,
    ),
    "add_items": Action(
        gettext_lazy("拆分申请事项"),
        forms.ItemsForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: _split(u, r, d["descriptions"]),
        applies=_has_no_items,
    ),
    "answer_items": Action(
        gettext_lazy("逐项答复"),
        forms.ItemAnswerForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: transitions.answer_items(u, r, on=d["on"], item_outcomes=d["item_outcomes"]),
        applies=_has_items,
    ),
    "notify_fee": Action(
        gettext_lazy("发出收费通知"),
        forms.FeeForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: transitions.notify_fee(u, r, on=d["on"], amount_yuan=str(d["amount_yuan"])),
    ),
    "receive_fee": Action(
        gettext_lazy("登记缴费"),
        forms.DateForm,
        frozenset({S.AWAITING_FEE}),
        lambda u, r, d: transitions.receive_fee(u, r, on=d["on"]),
    ),
    "abandon": Action(
        gettext_lazy("视为放弃"),
        forms.ReasonForm,
        frozenset({S.AWAITING_SUPPLEMENT, S.AWAITING_FEE}),
        lambda u, r, d: transitions.abandon(u, r, on=d["on"], reason=d["reason"]),
    ),
    "assign": Action(
        gettext_lazy("分办"),
        forms.BodyForm,
        frozenset({S.ASSIGNING}),
        lambda u, r, d: transitions.assign(u, r, on=d["on"], to_body=d["to_body"]),
    ),
    "handle_itself": Action(
        gettext_lazy("自行办理"),
        forms.DateForm,
        frozenset({S.ASSIGNING}),
        lambda u, r, d: transitions.handle_itself(u, r, on=d["on"]),
    ),
    "sign_for": Action(
        gettext_lazy("签收"),
        forms.DateForm,
        frozenset({S.AWAITING_SIGNATURE}),
        lambda u, r, d: transitions.sign_for(u, r, on=d["on"]),
    ),
    "return_case": Action(
        gettext_lazy("退回"),
        forms.ReasonForm,
        frozenset({S.AWAITING_SIGNATURE}),
        lambda u, r, d: transitions.return_case(u, r, on=d["on"], reason=d["reason"]),
    ),
    "transfer": Action(
        gettext_lazy("转办"),
        forms.TransferForm,
        frozenset({S.RECEIVED}),
        lambda u, r, d: transitions.transfer(u, r, on=d["on"], to_body=d["to_body"], reason=d["reason"]),
    ),
    "supervise": Action(
        gettext_lazy("督办"),
        forms.SuperviseForm,
        OPEN_STATES,
        lambda u, r, d: transitions.supervise(u, r, on=d["on"], comment=d["comment"], until=d["until"]),
        by_supervisor=True,
        by_person=True,
    ),
    "close": Action(
        gettext_lazy("办结"),
        forms.DateForm,
        frozenset({S.ANSWERED}),
        lambda u, r, d: transitions.close(u, r, on=d["on"]),
    ),
    "reopen": Action(
        gettext_lazy("重新办理"),
        forms.ReasonForm,
        frozenset({S.ANSWERED, S.CLOSED, S.ABANDONED}),
        lambda u, r, d: transitions.reopen(u, r, on=d["on"], reason=d["reason"]),
    ),
}


def action_form(name: str, req: InformationRequest, data: Any = None, files: Any = None) -> djforms.Form:
    action = ACTIONS[name]
    kwargs: dict[str, Any] = {"prefix": name, "initial": {"on": timezone.localdate()}, "files": files}
    if action.form is forms.AnswerForm:
        kwargs["regime"] = req.regime
    if action.form is forms.ItemAnswerForm:
        kwargs["req"] = req
    return action.form(data, **kwargs)


def visible_cases(request: HttpRequest) -> Any:
    return (
        InformationRequest.objects.filter(body__in=permissions.visible_orgs(request.user))
        .select_related("body", "applicant")
        .with_applicable_due()
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    filters = forms.InboxFilter(request.GET or None)
    view = filters.data.get("view", "open") if filters.is_valid() or not request.GET else "open"
    outcome = filters.cleaned_data.get("outcome", "") if filters.is_valid() else ""
    today = timezone.localdate()
    cases = visible_cases(request).in_view(view, today, outcome).order_by("applicable_due", "id")[:500]
    context = {
        "cases": cases,
        "filters": filters,
        "view": view,
        "today": today,
        "open_states": sorted(OPEN_STATES),
        "can_number": hasattr(request.user, "staff_profile") and permissions.can_register_cases(request.user),
    }
    return render(request, "cases/inbox.html", context)


def _tell_tracking(request: HttpRequest, req: InformationRequest, secret: str) -> None:
    # Given to the applicant with the receipt (登记回执); the secret is stored only as a hash.
    messages.success(
        request,
        _("已登记，答复期限为%(due)s。请告知申请人查询编号%(code)s和查询码%(secret)s（仅显示一次）。")
        % {"due": req.due_date.isoformat(), "code": req.tracking_code, "secret": secret},
    )


def _intake_replay(request: HttpRequest, sub: keys.Submission, done: IdempotencyKey) -> HttpResponse:
    """The same intake form sent again (a double click, a lost answer): its case, code and secret again."""
    req = _case_for(request, int(done.object_id or 0))
    _tell_tracking(request, req, secret_from_key(sub.key))
    return redirect("cases:case", pk=req.pk)


@login_required
@idempotent("cases.intake", replay=_intake_replay)
def intake(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register_cases(request.user):
        raise PermissionDenied
    bodies = permissions.visible_orgs(request.user).filter(valid_to__isnull=True)
    form = forms.IntakeForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_handle_case(request.user, data["body"]):
            raise PermissionDenied
        try:
            with transaction.atomic():
                applicant = create_applicant_from(request.user, data)
                req = transitions.register(
                    request.user,
                    data["body"],
                    received=data["received"],
                    channel=data["channel"],
                    subject=data["subject"],
                    applicant=applicant,
                )
                sub = keys.current(request)
                _code, secret = issue_tracking(request.user, req, secret=secret_from_key(sub.key))
                keys.bind(request, req)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            _tell_tracking(request, req, secret)
            return redirect("cases:case", pk=req.pk)
    return render(request, "cases/intake.html", {"form": form})


def _case_for(request: HttpRequest, pk: int) -> InformationRequest:
    req = get_object_or_404(InformationRequest.objects.select_related("body", "applicant"), pk=pk)
    if not permissions.can_view_org(request.user, req.body):
        raise PermissionDenied
    return req


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    req = _case_for(request, pk)
    can_handle = permissions.can_handle_case(request.user, req.body)
    bound: dict[str, djforms.Form] = {}
    revealed: dict[str, str] | None = None
    reveal_form = forms.RevealForm()
    if request.method == "POST":
        name = request.POST.get("action", "")
        allowed = may_run(request.user, ACTIONS[name], req) if name in ACTIONS else can_handle
        if not allowed:
            raise PermissionDenied
        if name == "reveal" and req.applicant is not None:
            reveal_form = forms.RevealForm(request.POST)
            if reveal_form.is_valid():
                revealed = reveal(request.user, req.applicant, reason=reveal_form.cleaned_data["reason"])
        elif name in ACTIONS:
            result = _run(request, req, name)
            if isinstance(result, HttpResponse):
                return result
            bound[name] = result
        else:
            raise Http404(_("没有这项操作"))
    actions = [
        (name, a.label, bound.get(name) or action_form(name, req))
        for name, a in ACTIONS.items()
        if req.state in a.states and a.applies(req) and may_run(request.user, a, req)
    ]
    context = {
        "case": req,
        "fee_hint": _fee_hint(req),
        "deadline": deadline_for(req),
        "events": people.timeline(req.events.order_by("at", "id")),
        "documents": _documents(request, req),
        "letters": _letters(req),
        "reviews": req.reviews.order_by("filed_on"),
        "lawsuits": req.lawsuits.order_by("filed_on"),
        "remedy_form": forms.RemedyFileForm(initial={"filed_on": timezone.localdate()}),
        "decide_form": forms.RemedyDecideForm(initial={"decided_on": timezone.localdate()}),
        "actions": actions,
        "can_handle": can_handle,
        "reveal_form": reveal_form,
        "revealed": revealed,
        "overdue": req.is_overdue_on(timezone.localdate()) and req.state in OPEN_STATES,
    }
    return render(request, "cases/case.html", context)


def _letters(req: InformationRequest) -> list[dict[str, Any]]:
    """The case's letters: each step that has one, whether it was sent, and periods running from delivery."""
    sent = {letter.event_id: letter for letter in Letter.objects.filter(request=req).select_related("event")}
    rows = []
    for event in req.events.filter(kind__in=letters.LETTER_EVENTS).order_by("at", "id"):
        letter = sent.get(event.pk)
        rows.append(
            {
                "event": event,
                "title": letters.compose(event).title,
                "sent": letter,
                "period": letters.period_from_delivery(letter) if letter else None,
            }
        )
    return rows


def _documents(request: HttpRequest, req: InformationRequest) -> list[AnswerDocument]:
    """The documents provided with the case's answers: listed only to the body's own staff."""
    if not permissions.can_handle_case(request.user, req.body):
        return []
    return list(req.answer_documents.order_by("event_id", "id"))


@login_required
def document_file(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document provided with an answer: served through the app, only to the handling body's staff (the
    media folder is never served directly)."""
    req = _case_for(request, pk)
    if not permissions.can_handle_case(request.user, req.body):
        raise PermissionDenied
    doc = get_object_or_404(AnswerDocument, pk=document_pk, request=req)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件缺失")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=doc.name,
        content_type=doc.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _fee_hint(req: InformationRequest) -> dict[str, Any] | None:
    """Which request of the applicant's month this is, and the fee by count (国办函〔2020〕109号)."""
    if req.applicant is None or req.regime != "2019" or req.receipt_date < FEES_FROM:
        return None
    nth = nth_request_in_month(req.applicant, req.receipt_date, req)
    return {"nth": nth, "fee": fee_by_count(nth)}


def _run(request: HttpRequest, req: InformationRequest, name: str) -> HttpResponse | djforms.Form:
    form = action_form(name, req, request.POST, request.FILES)
    if not form.is_valid():
        return form
    try:
        ACTIONS[name].run(request.user, req, action_data(form))
    except transitions.IllegalTransition as exc:  # the state moved on: say why, show the case as it is
        messages.error(request, str(exc))
        return redirect("cases:case", pk=req.pk)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for field, problems in errors.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        messages.success(request, _("已完成：%(action)s。") % {"action": ACTIONS[name].label})
        req.refresh_from_db()
        if not permissions.can_view_org(request.user, req.body):  # transferred or assigned away
            return redirect("cases:inbox")
        return redirect("cases:case", pk=req.pk)
    return form


LETTER_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _letter_event(request: HttpRequest, pk: int, event_pk: int) -> CaseEvent:
    req = _case_for(request, pk)
    event = get_object_or_404(
        CaseEvent.objects.select_related("request__body", "request__applicant"), pk=event_pk, request=req
    )
    if event.kind not in letters.LETTER_EVENTS:
        raise Http404(_("这一步没有告知书"))
    return event


@login_required
def letter_file(request: HttpRequest, pk: int, event_pk: int, fmt: str) -> HttpResponse:
    """The letter as sent (stored) or, before it is sent, rendered from the case now."""
    event = _letter_event(request, pk, event_pk)
    if fmt not in LETTER_TYPES:
        raise Http404
    sent = Letter.objects.filter(event=event).first()
    if sent is not None:
        data = (sent.docx if fmt == "docx" else sent.pdf).read()
    else:
        content = letters.compose(event)
        data = letters.render_docx(content) if fmt == "docx" else letters.render_pdf(content)
    response = HttpResponse(data, content_type=LETTER_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="letter-{pk}-{event_pk}.{fmt}"'
    return response


def _letter_confirm(request: HttpRequest, pk: int, event: CaseEvent) -> HttpResponse:
    """Before a letter is sent (GET on its send address): its preview, the 文号 it will get and the dispatch
    date; the form POSTs to the same address. Works without JavaScript."""
    if Letter.objects.filter(event=event).exists():
        messages.info(request, _("该告知书已发出。"))
        return redirect("cases:case", pk=pk)
    number = numbering.preview(event.request.body, letters.letter_year(event))
    context = {
        "case": event.request,
        "event": event,
        "letter": letters.compose(event, number=number),
        "number": number,
        "form": forms.DateForm(initial={"on": timezone.localdate()}),
    }
    return render(request, "cases/letter_confirm.html", context)


@login_required
def numbering_page(request: HttpRequest) -> HttpResponse:
    """The 文号 template of the user's body, by year: editable by the body's staff (audited)."""
    body = _own_body(request)
    year = timezone.localdate().year
    form = forms.NumberingForm(
        request.POST or None, initial={"year": year, "template": numbering.template_for(body, year)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            numbering.set_template(
                request.user, body, form.cleaned_data["year"], form.cleaned_data["template"]
            )
        except ValidationError as exc:
            for problem in exc.message_dict.get("template", exc.messages):
                form.add_error("template", problem)
        else:
            messages.success(request, _("文号模板已保存。"))
            return redirect(request.get_full_path())
    rows = body.letter_numberings.order_by("-year")
    context = {"body": body, "form": form, "rows": rows, "next": numbering.preview(body, year), "year": year}
    return render(request, "cases/numbering.html", context)


def _own_body(request: HttpRequest) -> Any:
    """The body whose staff the user is and whose cases they handle (PermissionDenied otherwise); a superuser
    names the body with ``?body=<id>``."""
    profile = getattr(request.user, "staff_profile", None)
    body = profile.body if profile is not None else None
    chosen = request.GET.get("body", "")
    if profile is None and chosen.isdigit():
        body = permissions.visible_orgs(request.user).filter(pk=int(chosen)).first()
    if body is None or not permissions.can_handle_case(request.user, body):
        raise PermissionDenied
    return body


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def letter_action(request: HttpRequest, pk: int, event_pk: int, what: str) -> HttpResponse:
    """``send`` (GET: the confirmation page; POST: send and store) or ``delivered`` (POST only)."""
    if request.method != "POST" and what != "send":
        return HttpResponseNotAllowed(["POST"])
    event = _letter_event(request, pk, event_pk)
    if not permissions.can_handle_case(request.user, event.request.body):
        raise PermissionDenied
    if request.method != "POST":
        return _letter_confirm(request, pk, event)
    form = forms.DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的日期"))
    elif what == "send":
        try:
            sent = letters.send(request.user, event, dispatched_on=form.cleaned_data["on"])
            messages.success(request, _("告知书已发出并存档。文号：%(number)s。") % {"number": sent.number})
        except ValueError:
            messages.error(request, _("该告知书已发出，不能再次发出。"))
    elif what == "delivered":
        sent = get_object_or_404(Letter, event=event)
        try:
            letters.record_delivery(request.user, sent, delivered_on=form.cleaned_data["on"])
            messages.success(request, _("已登记送达日期。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        raise Http404
    return redirect("cases:case", pk=pk)


EXPORT_COLUMNS: tuple[tuple[Any, Callable[[Any], Any]], ...] = (
    (gettext_lazy("收到申请日期"), lambda c: c.receipt_date),
    (gettext_lazy("申请内容"), lambda c: c.subject),
    (gettext_lazy("办理机关"), lambda c: c.body.name),
    (gettext_lazy("申请人"), lambda c: c.applicant.name if c.applicant else ""),
    (gettext_lazy("证件号码"), lambda c: c.applicant.id_number_masked if c.applicant else ""),
    (gettext_lazy("联系电话"), lambda c: c.applicant.phone_masked if c.applicant else ""),
    (gettext_lazy("申请人类别"), lambda c: str(c.get_applicant_kind_display())),
    (gettext_lazy("申请方式"), lambda c: str(c.get_channel_display())),
    (gettext_lazy("状态"), lambda c: str(c.get_state_display())),
    (gettext_lazy("答复期限"), lambda c: c.applicable_due),
    (gettext_lazy("期限暂定"), lambda c: "是" if c.provisional else ""),
    (gettext_lazy("办理结果"), lambda c: str(c.get_outcome_display()) if c.outcome else ""),
    (gettext_lazy("答复日期"), lambda c: c.answered_on),
)


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The inbox list as XLSX, with the same filters; identifiers masked as everywhere else. Every text is a
    string cell, never a formula, and without control characters (``gongkai.exportsafe``)."""
    from openpyxl import Workbook

    from gongkai.exportsafe import xlsx_cell

    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    view = request.GET.get("view", "open")
    outcome = request.GET.get("outcome", "")
    cases = (
        visible_cases(request).in_view(view, timezone.localdate(), outcome).order_by("applicable_due", "id")
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("依申请公开案件")))
    for column, width in zip(
        "ABCDEFGHIJKLM", (12, 40, 24, 12, 22, 14, 10, 8, 10, 12, 8, 30, 12), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.append([xlsx_cell(sheet, str(label)) for label, _get in EXPORT_COLUMNS])
    for req in cases.iterator(chunk_size=500):
        sheet.append([xlsx_cell(sheet, get(req)) for _label, get in EXPORT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="cases-{view}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@login_required
@require_POST
@idempotent("cases.remedy")
def remedy_action(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """File a review or lawsuit against the case, or record a decision (``what``: file, review-<id>, lawsuit-<id>)."""
    req = _case_for(request, pk)
    if not permissions.can_handle_case(request.user, req.body):
        raise PermissionDenied
    try:
        if what == "file":
            form = forms.RemedyFileForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors)
            data = form.cleaned_data
            if data["kind"] == "review":
                remedies.file_review(request.user, req, filed_on=data["filed_on"])
            else:
                remedies.file_lawsuit(
                    request.user, req, filed_on=data["filed_on"], after_review=data["kind"] == "after_review"
                )
        else:
            model_name, _sep, remedy_pk = what.partition("-")
            models_by_name: dict[str, type[AdministrativeReview] | type[Lawsuit]] = {
                "review": AdministrativeReview,
                "lawsuit": Lawsuit,
            }
            if model_name not in models_by_name or not remedy_pk.isdigit():
                raise Http404
            remedy = models_by_name[model_name].objects.filter(pk=int(remedy_pk), request=req).first()
            if remedy is None:
                raise Http404
            decision = forms.RemedyDecideForm(request.POST)
            if not decision.is_valid():
                raise ValidationError(decision.errors)
            remedies.decide(
                request.user,
                remedy,
                outcome=decision.cleaned_data["outcome"],
                decided_on=decision.cleaned_data["decided_on"],
            )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已登记。"))
    return redirect("cases:case", pk=pk)
