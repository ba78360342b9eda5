"""The public interview pages: the list (newest first) and an interview's page (guests, approved questions, the
transcript, the video link; while live a 刷新 button reloads it, and interviews/live.js updates the transcript every
``LIVE_REFRESH`` seconds unless the visitor unticks it) —
both cached and invalidated on every change, each transcript line included — and the question form (throttled,
idempotent: POST/redirect/GET back to the interview)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai import pagecache
from gongkai.acknowledgement import keys
from gongkai.acknowledgement.keys import idempotent
from gongkai.interviews import actions
from gongkai.interviews.forms import QuestionForm
from gongkai.interviews.models import Interview, InterviewState, QuestionState
from gongkai.pagecache import cached_page

PAGE_SIZE = 20
SCOPE = "interviews.ask"
LIVE_REFRESH = 30  # seconds between the live page's updates (no meta refresh: WCAG 2.2.1)


@require_GET
@cached_page(actions.PAGES, pagecache.BODIES)
def interview_list(request: HttpRequest) -> HttpResponse:
    qs = Interview.objects.select_related("body").order_by("-starts_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interviews/list.html", {"page": page, "interviews": page.object_list})


@require_GET
@cached_page(actions.PAGES, pagecache.BODIES)
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(Interview.objects.select_related("body"), pk=pk)
    context = {
        "i": interview,
        "guests": interview.guests.all(),
        "questions": interview.questions.filter(state=QuestionState.APPROVED),
        "lines": interview.lines.all(),
        "live": interview.state == InterviewState.LIVE,
        "refresh": LIVE_REFRESH,
        "asking": interview.state == InterviewState.ANNOUNCED,
    }
    return render(request, "interviews/detail.html", context)


@idempotent(SCOPE)
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A question before the event. Refused (400, nothing stored) once it has started; an invalid question answers
    400 with everything typed kept. Success: back to the interview with a notice."""
    interview = get_object_or_404(Interview.objects.select_related("body"), pk=pk)
    form = QuestionForm(request.POST or None)
    closed = interview.state != InterviewState.ANNOUNCED
    status = 200
    if request.method == "POST":
        status = 400
        if closed:
            form.add_error(None, _("访谈已开始或已结束，不再接收提问"))
        elif form.is_valid():
            try:
                done = actions.ask(
                    actions.PUBLIC,
                    interview,
                    text=form.cleaned_data["text"],
                    asker=form.cleaned_data["asker"],
                )
                keys.bind(request, done)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except OperationalError:
                form.add_error(None, _("系统繁忙，问题没有提交成功，也没有保存任何内容。请稍后再次提交。"))
                status = 503
            else:
                messages.success(request, _("您的问题已提交，经审核后公开。"))
                return redirect("interviews:detail", pk=interview.pk)
    context = {"i": interview, "form": form, "closed": closed, "checked": request.method == "POST"}
    response = render(request, "interviews/ask.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
