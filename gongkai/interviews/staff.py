"""Staff pages of interviews and press conferences: the list of the bodies a user may see, announcing one, and an
interview's page (moderate questions, go live, append the transcript, set the video link, end — recorded as a
response action for the statistics —, publish the record). The body's own staff do the work
(``permissions.can_handle_interview``); a supervisor of the subtree reads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai import permissions, staffsteps
from gongkai.interviews import actions
from gongkai.interviews.forms import GUEST_ROWS, AnnounceForm, LineForm, VideoForm
from gongkai.interviews.models import Interview, InterviewState, Question
from gongkai.organisations.models import Organisation

PAGE_SIZE = 50
STEPS = {"approve", "reject", "live", "line", "video", "end", "publish"}


def _own_body(request: HttpRequest) -> Organisation | None:
    body = getattr(getattr(request.user, "staff_profile", None), "body", None)
    return body if isinstance(body, Organisation) else None


@login_required
def interview_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied
    qs = (
        Interview.objects.filter(body__in=permissions.visible_orgs(request.user))
        .select_related("body")
        .order_by("-starts_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    body = _own_body(request)
    may_announce = body is not None and permissions.can_handle_interview(request.user, body)
    context = {"page": page, "interviews": page.object_list, "may_announce": may_announce}
    return render(request, "interviews/staff_list.html", context)


@login_required
def announce(request: HttpRequest) -> HttpResponse:
    body = _own_body(request)
    if body is None or not permissions.can_handle_interview(request.user, body):
        raise PermissionDenied
    form = AnnounceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            guests = [
                actions.GuestRow(d[f"guest_{i}_name"], d[f"guest_{i}_post"], d[f"guest_{i}_leader"])
                for i in range(GUEST_ROWS)
            ]
            try:
                interview = actions.announce(
                    request.user,
                    body,
                    kind=d["kind"],
                    topic=d["topic"],
                    summary=d["summary"],
                    starts_at=d["starts_at"],
                    video_url=d["video_url"],
                    guests=guests,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已发布预告"))
                return redirect("interviews_staff:detail", pk=interview.pk)
    return render(request, "interviews/staff_announce.html", {"form": form, "body": body}, status=status)


def _run(request: HttpRequest, i: Interview, name: str) -> Any:
    user = request.user
    if name in {"approve", "reject"}:
        pk = str(request.POST.get("question", ""))
        if not pk.isdigit():
            raise Http404
        question = get_object_or_404(Question, pk=int(pk), interview=i)
        return actions.moderate(user, question, approve=name == "approve")
    if name == "live":
        return actions.go_live(user, i)
    if name == "line":
        d = staffsteps.cleaned(LineForm(request.POST))
        return actions.append(user, i, speaker=d["speaker"], text=d["text"])
    if name == "video":
        d = staffsteps.cleaned(VideoForm(request.POST))
        return actions.set_video(user, i, video_url=d["video_url"])
    if name == "end":
        return actions.end(user, i, site=request.build_absolute_uri("/").rstrip("/"))
    return actions.publish(user, i)


@login_required
def interview_page(request: HttpRequest, pk: int) -> HttpResponse:
    i = get_object_or_404(Interview.objects.select_related("body", "response", "event"), pk=pk)
    if not permissions.can_view_org(request.user, i.body):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in STEPS:
            raise Http404(_("没有这项操作"))
        if not permissions.can_handle_interview(request.user, i.body):
            raise PermissionDenied
        done = reverse("interviews_staff:detail", args=[i.pk])
        outcome = staffsteps.run(
            request, lambda: _run(request, i, name), refused=actions.IllegalStep, done=done
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
        i.refresh_from_db()
    context = {
        "i": i,
        "guests": i.guests.all(),
        "questions": i.questions.all(),
        "lines": i.lines.all(),
        "may_handle": permissions.can_handle_interview(request.user, i.body),
        "line_form": LineForm(),
        "video_form": VideoForm(initial={"video_url": i.video_url}),
        "S": InterviewState,
    }
    return render(request, "interviews/staff_detail.html", context, status=status)
