"""The public consultation pages: the list (newest first, open ones with the days left), a consultation's page
(draft, linked document, approved comments, the feedback report once published) — both cached and invalidated on
every change — and the comment form (throttled, idempotent: POST/redirect/GET back to the consultation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai import pagecache
from gongkai.acknowledgement import keys
from gongkai.acknowledgement.keys import idempotent
from gongkai.consultations import actions
from gongkai.consultations.forms import CommentForm
from gongkai.consultations.models import Consultation, ConsultationState, Moderation
from gongkai.pagecache import cached_page

PAGE_SIZE = 20
SCOPE = "consultations.comment"


@require_GET
@cached_page(actions.PAGES, pagecache.BODIES)
def consultation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = Consultation.objects.exclude(state=ConsultationState.DRAFT).select_related("body")
    page = Paginator(qs.order_by("-opens_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, c.days_left(today), c.is_closed_on(today)) for c in page.object_list]
    return render(request, "consultations/list.html", {"page": page, "rows": rows, "today": today})


@require_GET
@cached_page(actions.PAGES, pagecache.BODIES, pagecache.CATALOG)
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(
        Consultation.objects.exclude(state=ConsultationState.DRAFT).select_related("body", "document"), pk=pk
    )
    today = timezone.localdate()
    document = consultation.document
    public_document = document is not None and type(document).objects.public().filter(pk=document.pk).exists()
    context = {
        "c": consultation,
        "comments": consultation.comments.filter(moderation=Moderation.APPROVED).order_by(
            "received_at", "id"
        ),
        "open": consultation.accepts_comments_on(today),
        "closed": consultation.is_closed_on(today),
        "refusal": actions.refusal(consultation, today),
        "days_left": consultation.days_left(today),
        "public_document": public_document,
    }
    return render(request, "consultations/detail.html", context)


@idempotent(SCOPE)
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment form of an open consultation. Refused (400, nothing stored) on a closed consultation, with its
    close date; an invalid comment answers 400 with everything typed kept. Success: back to the consultation
    with a notice (the comment appears once approved)."""
    consultation = get_object_or_404(
        Consultation.objects.exclude(state=ConsultationState.DRAFT).select_related("body"), pk=pk
    )
    form = CommentForm(request.POST or None, requires_contact=consultation.requires_contact)
    today = timezone.localdate()
    refusal = actions.refusal(consultation, today)
    status = 200
    if request.method == "POST":
        status = 400
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                done = actions.submit_comment(
                    actions.PUBLIC,
                    consultation,
                    text=data["text"],
                    name=data["name"],
                    contact=data["contact"],
                )
                keys.bind(request, done)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except OperationalError:
                form.add_error(None, _("系统繁忙，意见没有提交成功，也没有保存任何内容。请稍后再次提交。"))
                status = 503
            else:
                messages.success(request, _("您的意见已提交，经审核后公开。感谢您的参与！"))
                return redirect("consultations:detail", pk=consultation.pk)
    context = {"c": consultation, "form": form, "refusal": refusal, "checked": request.method == "POST"}
    response = render(request, "consultations/comment.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
