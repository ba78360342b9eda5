"""Staff pages of public consultation: the list of the consultations of the bodies a user may see (overdue feedback
flagged), creating one, and a consultation's page (open, close, moderate and classify comments, generate, edit and
publish the feedback report). Who may do what is ``gongkai.permissions``': the body's own staff do the work, its
office head or admin publishes the feedback report, a supervisor of the subtree reads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import permissions, staffsteps
from gongkai.consultations import actions
from gongkai.consultations.forms import ClassifyForm, ConsultationForm, FeedbackForm
from gongkai.consultations.models import Comment, Consultation, ConsultationState, Moderation
from gongkai.organisations.models import Organisation

PAGE_SIZE = 50


def _own_body(request: HttpRequest) -> Organisation | None:
    body = getattr(getattr(request.user, "staff_profile", None), "body", None)
    return body if isinstance(body, Organisation) else None


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    qs = (
        Consultation.objects.filter(body__in=permissions.visible_orgs(request.user))
        .select_related("body")
        .order_by("-opens_on", "-id")
    )
    overdue_only = request.GET.get("overdue") == "1"  # the staff home's count links here
    if overdue_only:
        qs = qs.feedback_overdue_on(today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "c": c,
            "closed": c.is_closed_on(today),
            "due": actions.feedback_due(c),
            "overdue": actions.feedback_overdue(c, today),
            "pending": c.comments.filter(moderation=Moderation.PENDING).count(),
        }
        for c in page.object_list
    ]
    body = _own_body(request)
    may_create = body is not None and permissions.can_handle_consultation(request.user, body)
    return render(
        request,
        "consultations/staff_list.html",
        {"page": page, "rows": rows, "may_create": may_create, "overdue_only": overdue_only},
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    body = _own_body(request)
    if body is None or not permissions.can_handle_consultation(request.user, body):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, body=body)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation = actions.create(request.user, body, **data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("意见征集已保存，发布后公开"))
                return redirect("consultations_staff:detail", pk=consultation.pk)
    return render(request, "consultations/staff_create.html", {"form": form, "body": body}, status=status)


def _comment(consultation: Consultation, request: HttpRequest) -> Comment:
    pk = str(request.POST.get("comment", ""))
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(Comment, pk=int(pk), consultation=consultation)


def _run(request: HttpRequest, c: Consultation, name: str) -> Any:
    user = request.user
    if name == "open":
        return actions.open_consultation(user, c)
    if name == "close":
        return actions.close(user, c)
    if name in {"approve", "reject"}:
        return actions.moderate(user, _comment(c, request), approve=name == "approve")
    if name == "classify":
        data = staffsteps.cleaned(ClassifyForm(request.POST))
        return actions.classify(user, _comment(c, request), adoption=data["adoption"], reason=data["reason"])
    if name == "generate":
        return actions.generate_feedback(user, c)
    if name == "edit_feedback":
        text = staffsteps.cleaned(FeedbackForm(request.POST))["text"]
        return actions.edit_feedback(user, c, text=text)
    return actions.publish_feedback(user, c)


STEPS = {"open", "close", "approve", "reject", "classify", "generate", "edit_feedback", "publish"}


@login_required
def consultation_page(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Consultation.objects.select_related("body", "document"), pk=pk)
    if not permissions.can_view_org(request.user, c.body):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in STEPS:
            raise Http404(_("没有这项操作"))
        allowed = (
            permissions.can_publish_consultation_feedback(request.user, c.body)
            if name == "publish"
            else permissions.can_handle_consultation(request.user, c.body)
        )
        if not allowed:
            raise PermissionDenied
        done = reverse("consultations_staff:detail", args=[c.pk])
        outcome = staffsteps.run(
            request, lambda: _run(request, c, name), refused=actions.IllegalStep, done=done
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
        c.refresh_from_db()
    today = timezone.localdate()
    context = {
        "c": c,
        "comments": [
            (m, ClassifyForm(auto_id=f"id_c{m.pk}_%s", initial={"adoption": m.adoption, "reason": m.reason}))
            for m in c.comments.order_by("received_at", "id")
        ],
        "closed": c.is_closed_on(today),
        "due": actions.feedback_due(c),
        "overdue": actions.feedback_overdue(c, today),
        "counts": actions.feedback_counts(c),
        "may_handle": permissions.can_handle_consultation(request.user, c.body),
        "may_publish": permissions.can_publish_consultation_feedback(request.user, c.body),
        "feedback_form": FeedbackForm(initial={"text": c.feedback_text}),
        "draft": c.state == ConsultationState.DRAFT,
        "is_open": c.state == ConsultationState.OPEN,
    }
    return render(request, "consultations/staff_detail.html", context, status=status)
