"""Staff pages of engagement (/staff/engagement/): public-concern events with their source, first-response time
(hours) and responses; the body's Weibo/WeChat posts; policy interpretations with the 同步解读 flag. Every
body's staff see their bodies' records (a supervisor: the supervised subtree); only the body's own staff write
(``permissions.can_record_engagement``). Writes go through ``gongkai.engagement.actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Publication
from gongkai.catalog.transitions import IllegalStep, find_by_index_number
from gongkai.engagement import actions
from gongkai.engagement.forms import (
    DescribeForm,
    EventForm,
    FirstResponseForm,
    InterpretationDraftForm,
    ResponseForm,
    SocialPostForm,
)
from gongkai.engagement.interpretations import is_interpretation, is_late, late_condition
from gongkai.engagement.models import Interpretation, PublicConcernEvent, ResponseAction, SocialPost
from gongkai.organisations.models import Organisation, OrganisationQuerySet

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> None:
    if not permissions.is_staff_member(request.user):
        raise PermissionDenied


def _writable(request: HttpRequest) -> OrganisationQuerySet:
    """The bodies the user records engagement for (their own; every existing body for a superuser)."""
    return permissions.draftable_orgs(request.user)


def _check_posted_body(request: HttpRequest, writable: OrganisationQuerySet) -> None:
    """A POST naming a body the user may not record for is refused (403), before the form is read."""
    if request.method != "POST":
        return
    if not writable.exists():
        raise PermissionDenied
    pk = request.POST.get("body", "")
    body = Organisation.objects.filter(pk=pk).first() if pk.isdigit() else None
    if body is not None and not permissions.can_record_engagement(request.user, body):
        raise PermissionDenied


def _year(request: HttpRequest) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 1990 <= year <= 2999 else None


def _errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The events of the visible bodies (newest first) with the hours to their first response; a form to
    register an event."""
    _staff(request)
    writable = _writable(request)
    _check_posted_body(request, writable)
    form = EventForm(request.POST or None, bodies=writable)
    if request.method == "POST" and form.is_valid():
        body: Organisation = form.cleaned_data["body"]
        if not permissions.can_record_engagement(request.user, body):
            raise PermissionDenied
        try:
            event = actions.record_event(
                request.user,
                body,
                title=form.cleaned_data["title"],
                noticed_on=form.cleaned_data["noticed_on"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("已登记事件"))
            return redirect("engagement_staff:event", pk=event.pk)
    qs = PublicConcernEvent.objects.filter(body__in=permissions.visible_orgs(request.user))
    year = _year(request)
    if year is not None:
        qs = qs.filter(noticed_on__year=year)
    qs = qs.select_related("body").annotate(n_actions=Count("actions")).order_by("-noticed_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/staff_events.html",
        {"page": page, "events": page.object_list, "form": form if writable.exists() else None, "year": year},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    event = get_object_or_404(
        PublicConcernEvent.objects.select_related("body").prefetch_related(
            Prefetch("actions", ResponseAction.objects.order_by("held_on", "id"))
        ),
        pk=pk,
    )
    if not permissions.can_view_org(request.user, event.body):
        raise PermissionDenied
    writable = permissions.can_record_engagement(request.user, event.body)
    form = ResponseForm(request.POST if request.POST.get("step") == "response" else None)
    first = FirstResponseForm(request.POST if request.POST.get("step") == "first_response" else None)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        try:
            if request.POST.get("step") == "response" and form.is_valid():
                actions.record_response(request.user, event=event, **form.cleaned_data)
                messages.success(request, _("已记录回应"))
                return redirect("engagement_staff:event", pk=event.pk)
            if request.POST.get("step") == "first_response" and first.is_valid():
                actions.set_first_response(request.user, event, first.cleaned_data["first_response_at"])
                messages.success(request, _("已记录首次回应时间"))
                return redirect("engagement_staff:event", pk=event.pk)
        except ValidationError as exc:
            _errors(form if request.POST.get("step") == "response" else first, exc)
    context = {"event": event, "form": form, "first": first, "writable": writable}
    return render(
        request, "engagement/staff_event.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def posts(request: HttpRequest) -> HttpResponse:
    """The visible bodies' Weibo/WeChat posts with their links; a form to record one (optionally answering an
    event of the same body: it then counts as that event's 微博微信回应)."""
    _staff(request)
    writable = _writable(request)
    _check_posted_body(request, writable)
    form = SocialPostForm(request.POST or None, bodies=writable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body: Organisation = data["body"]
        if not permissions.can_record_engagement(request.user, body):
            raise PermissionDenied
        event = None
        if data["event"]:
            event = PublicConcernEvent.objects.filter(pk=data["event"], body=body).first()
            if event is None:
                form.add_error("event", _("本机关没有这个事件"))
        if not form.errors:
            try:
                actions.record_social_post(
                    request.user,
                    body,
                    channel=data["channel"],
                    posted_at=data["posted_at"],
                    url=data["url"],
                    title=data["title"],
                    event=event,
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("已记录发布"))
                return redirect("engagement_staff:posts")
    qs = SocialPost.objects.filter(body__in=permissions.visible_orgs(request.user)).select_related(
        "body", "response__event"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/staff_posts.html",
        {"page": page, "posts": page.object_list, "form": form if writable.exists() else None},
        status=400 if request.method == "POST" else 200,
    )


def _draft_interpretation(request: HttpRequest, form: InterpretationDraftForm) -> Interpretation | None:
    """The interpretation a valid form drafts for a policy the user may see (None: the form says why)."""
    data = form.cleaned_data
    body: Organisation = data["body"]
    if not permissions.can_record_engagement(request.user, body):
        raise PermissionDenied
    policy = find_by_index_number(data["policy"])
    if policy is None or not (
        permissions.can_view_org(request.user, policy.body)
        or Publication.objects.public().filter(pk=policy.pk).exists()
    ):
        form.add_error("policy", _("没有这个索引号的政策文件"))
        return None
    fields = ("title", "made_on", "form", "text", "official_name", "official_post", "media_url")
    try:
        return actions.draft_interpretation(request.user, policy, body=body, **{k: data[k] for k in fields})
    except ValidationError as exc:
        _errors(form, exc)
    except IllegalStep as exc:
        form.add_error(None, str(exc))
    return None


@login_required
def interpretations(request: HttpRequest) -> HttpResponse:
    """The visible bodies' interpretations (drafts too), newest first, each flagged when published later than
    its policy (同步解读); a form to draft one (then 保密审查 and publication on the catalog's item page)."""
    _staff(request)
    writable = _writable(request)
    _check_posted_body(request, writable)
    form = InterpretationDraftForm(request.POST or None, bodies=writable)
    if request.method == "POST" and form.is_valid():
        interp = _draft_interpretation(request, form)
        if interp is not None:
            messages.success(request, _("已起草解读，请进行保密审查后发布"))
            return redirect("engagement_staff:interpretation", pk=interp.publication_id)
    qs = (
        Publication.objects.filter(is_interpretation(), body__in=permissions.visible_orgs(request.user))
        .select_related("body", "interprets", "interpretation_record")
        .order_by("-published_on", "-made_on", "-id")
    )
    if request.GET.get("late") == "1":
        qs = qs.filter(late_condition())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"pub": p, "late": is_late(p), "number": index_number(p)} for p in page.object_list]
    return render(
        request,
        "engagement/staff_interpretations.html",
        {
            "page": page,
            "rows": rows,
            "form": form if writable.exists() else None,
            "late_only": request.GET.get("late") == "1",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def interpretation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An interpretation's record: its policy, both publication dates and the 同步解读 flag; its form."""
    _staff(request)
    pub = get_object_or_404(
        Publication.objects.filter(is_interpretation()).select_related(
            "body", "interprets__body", "interpretation_record"
        ),
        pk=pk,
    )
    if not permissions.can_view_org(request.user, pub.body):
        raise PermissionDenied
    writable = permissions.can_record_engagement(request.user, pub.body)
    record = getattr(pub, "interpretation_record", None)
    initial = (
        {
            "form": record.form,
            "official_name": record.official_name,
            "official_post": record.official_post,
            "media_url": record.media_url,
        }
        if record
        else None
    )
    form = DescribeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.describe_interpretation(request.user, pub, **form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("engagement_staff:interpretation", pk=pub.pk)
    context = {
        "pub": pub,
        "record": record,
        "late": is_late(pub),
        "number": index_number(pub),
        "form": form,
        "writable": writable,
        "today": timezone.localdate(),
    }
    return render(
        request,
        "engagement/staff_interpretation.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
