"""Staff pages of the mailbox: the queue of the bodies a user may see (filters: open, due soon, overdue, answered,
all; by state) and a letter's page with its steps. Who may do what is ``gongkai.permissions``': the body's own
staff work a letter, a supervisor of the body's subtree presses for an answer (督办), the office head decides
whether the body accepts anonymous letters. A letter of a body the user may not see is refused (403)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai import permissions
from gongkai.mailbox import actions
from gongkai.mailbox.forms import (
    AnonymousForm,
    NoteForm,
    PublishForm,
    QueueFilter,
    ReasonForm,
    ReplyForm,
    TransferForm,
)
from gongkai.mailbox.models import ANSWERED_STATES, OPEN_STATES, Letter, LetterState
from gongkai.organisations.models import Organisation

PAGE_SIZE = 50


def _own_body(request: HttpRequest) -> Organisation | None:
    profile = getattr(request.user, "staff_profile", None)
    body = getattr(profile, "body", None)
    return body if isinstance(body, Organisation) else None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    filters = QueueFilter(request.GET or None)
    view = filters.data.get("view", "open") if filters.is_bound else "open"
    today = timezone.localdate()
    qs = Letter.objects.filter(body__in=permissions.visible_orgs(request.user)).select_related("body")
    state = request.GET.get("state", "")
    if state in LetterState.values:
        qs = qs.filter(state=state)
    qs = qs.in_view(str(view), today).order_by("due_on", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    body = _own_body(request)
    setting_form = None
    if body is not None and permissions.can_set_mailbox(request.user, body):
        setting_form = AnonymousForm(initial={"accepts_anonymous": actions.accepts_anonymous(body)})
        if request.method == "POST":
            setting_form = AnonymousForm(request.POST)
            if setting_form.is_valid():
                actions.set_accepts_anonymous(
                    request.user, body, setting_form.cleaned_data["accepts_anonymous"]
                )
                messages.success(request, _("信箱设置已保存"))
                return redirect("mailbox_staff:queue")
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "page": page,
        "letters": page.object_list,
        "view": view,
        "views": QueueFilter.VIEWS,
        "state": state,
        "states": LetterState.choices,
        "today": today,
        "soon": actions.due_soon_limit(today),
        "open_states": sorted(OPEN_STATES),
        "setting_form": setting_form,
        "own_body": body,
    }
    return render(request, "mailbox/staff_queue.html", context)


# step name -> (label, form class or None, permission, states it applies in)
STEPS: dict[str, tuple[Any, type[djforms.Form] | None, str, frozenset[str]]] = {
    "accept": (
        gettext_lazy("签收"),
        None,
        "handle",
        frozenset({LetterState.SUBMITTED, LetterState.TRANSFERRED}),
    ),
    "transfer": (gettext_lazy("转办"), TransferForm, "handle", OPEN_STATES),
    "return": (gettext_lazy("退回"), ReasonForm, "handle", OPEN_STATES),
    "supervise": (gettext_lazy("督办"), NoteForm, "supervise", OPEN_STATES),
    "reply": (gettext_lazy("答复"), ReplyForm, "handle", frozenset({LetterState.ACCEPTED})),
    "publish": (gettext_lazy("公开"), PublishForm, "handle", ANSWERED_STATES),
    "close": (gettext_lazy("办结"), None, "handle", frozenset({LetterState.REPLIED})),
    "convert": (gettext_lazy("转为政府信息公开申请"), None, "handle", OPEN_STATES),
    "reveal": (gettext_lazy("查看联系方式"), None, "handle", frozenset(LetterState.values)),
}


def _may(request: HttpRequest, who: str, letter: Letter) -> bool:
    if who == "supervise":
        return permissions.can_supervise(request.user, letter.body)
    return permissions.can_handle_letter(request.user, letter.body)


def _applies(name: str, letter: Letter) -> bool:
    if name == "publish":
        return letter.consent_to_publish and not letter.published and letter.state in ANSWERED_STATES
    return letter.state in STEPS[name][3]


def _run(request: HttpRequest, letter: Letter, name: str, form: djforms.Form | None) -> Any:
    data = form.cleaned_data if form is not None else {}
    user = request.user
    if name == "accept":
        return actions.accept(user, letter)
    if name == "transfer":
        return actions.transfer(user, letter, to_body=data["to_body"], reason=data["reason"])
    if name == "return":
        return actions.return_letter(user, letter, reason=data["reason"])
    if name == "supervise":
        return actions.supervise(user, letter, note=data["note"])
    if name == "reply":
        return actions.reply(user, letter, text=data["text"], channel=data["channel"], on=data["on"])
    if name == "publish":
        return actions.publish(
            user, letter, subject=data["subject"], text=data["text"], reply_text=data["reply_text"]
        )
    if name == "close":
        return actions.close(user, letter)
    if name == "convert":
        return actions.convert_to_request(user, letter)
    return actions.reveal_contact(user, letter)


@dataclass
class _Posted:
    """What a posted step leaves for the page shown again: the form with its errors, a revealed contact, the
    status (400: input refused; 409: the letter's state does not allow the step)."""

    bound: dict[str, djforms.Form] = field(default_factory=dict)
    revealed: Any = None
    status: int = 200


def _take_step(request: HttpRequest, letter: Letter, posted: _Posted) -> HttpResponse | None:
    """Run the posted step (its name in ``action``): a redirect when it is saved, else None with ``posted``
    filled in."""
    name = request.POST.get("action", "")
    if name not in STEPS:
        raise Http404(_("没有这项操作"))
    label, form_class, who, _states = STEPS[name]
    if not _may(request, who, letter):
        raise PermissionDenied
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        posted.status, posted.bound[name] = 400, form
        return None
    try:
        result = _run(request, letter, name, form)
    except actions.IllegalStep as exc:
        messages.error(request, str(exc))
        posted.status = 409
        return None
    except ValidationError as exc:
        posted.status = 400
        if form is None:
            messages.error(request, "；".join(exc.messages))
            return None
        for field_name, errs in exc.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errs)
        posted.bound[name] = form
        return None
    if name == "reveal":
        posted.revealed = result
        return None
    messages.success(request, _("已%(step)s") % {"step": label})
    return redirect("mailbox_staff:letter", pk=letter.pk)


@login_required
def letter_page(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter.objects.select_related("body", "request"), pk=pk)
    if not permissions.can_view_org(request.user, letter.body):
        raise PermissionDenied
    posted = _Posted()
    if request.method == "POST":
        done = _take_step(request, letter, posted)
        if done is not None:
            return done
        letter.refresh_from_db()
    bound, revealed, status = posted.bound, posted.revealed, posted.status
    steps = [
        (name, label, bound.get(name) or (cls() if cls is not None else None))
        for name, (label, cls, who, _states) in STEPS.items()
        if name != "reveal" and _applies(name, letter) and _may(request, who, letter)
    ]
    context = {
        "letter": letter,
        "events": letter.events.select_related("from_body", "to_body").order_by("at", "id"),
        "steps": steps,
        "can_reveal": permissions.can_handle_letter(request.user, letter.body),
        "revealed": revealed,
        "overdue": letter.is_overdue_on(timezone.localdate()),
    }
    return render(request, "mailbox/staff_letter.html", context, status=status)
