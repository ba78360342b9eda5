"""Every write of online interviews and press conferences (在线访谈、新闻发布会), one function each: atomic, audited
(``gongkai.audit``), with the public pages' cache invalidated (``gongkai.pagecache``, namespace ``interviews``).
Permission checks are the callers' (``gongkai.permissions``).

States: announced (预告; questions of the public accepted) → live (直播中; staff append the transcript) → ended
(已结束: recorded through ``gongkai.engagement.actions.record_response`` as a press conference or online
interview, principal leader when a guest is one, so the statistics count it) → published (已发布实录)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai import pagecache
from gongkai.audit.log import Actor, record, snapshot
from gongkai.engagement import actions as engagement
from gongkai.engagement.models import PublicConcernEvent
from gongkai.interviews.models import (
    RESPONSE_KIND,
    Guest,
    Interview,
    InterviewKind,
    InterviewState,
    Question,
    QuestionState,
    TranscriptLine,
)
from gongkai.organisations.models import Organisation

PAGES = "interviews"  # the page-cache namespace of the public pages
PUBLIC = "public"
S = InterviewState


class IllegalStep(Exception):
    """A step the interview's state does not allow; ``str()`` says why."""


@dataclass(frozen=True)
class GuestRow:
    name: str
    post: str = ""
    principal_leader: bool = False


def _snap(obj: Any) -> dict[str, Any]:
    return snapshot(obj, exclude=("text", "summary"))


def _locked(interview: Interview) -> Interview:
    return Interview.objects.select_for_update().select_related("body").get(pk=interview.pk)


def _require(interview: Interview, allowed: set[str], step: str) -> None:
    if interview.state not in allowed:
        raise IllegalStep(
            _("访谈处于“%(state)s”状态，不能%(step)s")
            % {"state": InterviewState(interview.state).label, "step": step}
        )


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError({field: [_("请填写正确的网址（http:// 或 https://）")]}) from None
    return value


def _guests(rows: Sequence[GuestRow]) -> list[GuestRow]:
    out = []
    for row in rows:
        name, post = row.name.strip(), row.post.strip()
        if not name and not post:
            continue
        if not name:
            raise ValidationError({"guests": [_("请填写嘉宾姓名")]})
        if len(name) > 50 or len(post) > 100:
            raise ValidationError({"guests": [_("嘉宾姓名或职务过长")]})
        out.append(GuestRow(name, post, row.principal_leader))
    return out


@transaction.atomic
def announce(
    actor: Actor,
    body: Organisation,
    *,
    kind: str,
    topic: str,
    starts_at: dt.datetime,
    guests: Sequence[GuestRow] = (),
    summary: str = "",
    video_url: str = "",
    event: PublicConcernEvent | None = None,
) -> Interview:
    """Announce an interview or press conference (listed publicly at once; questions accepted until it starts)."""
    errors: dict[str, list[str]] = {}
    if kind not in InterviewKind.values:
        errors["kind"] = [_("请选择类型")]
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = [_("请填写主题")]
    elif len(topic) > 200:
        errors["topic"] = [_("不得超过%(n)s个字符") % {"n": 200}]
    if timezone.is_naive(starts_at):
        errors["starts_at"] = [_("时间须带时区")]
    if event is not None and event.body_id != body.pk:
        errors["event"] = [_("关切事件须是本机关的")]
    if body.valid_to is not None:
        errors["body"] = [_("该机关已撤销")]
    if errors:
        raise ValidationError(errors)
    rows = _guests(guests)
    interview = Interview.objects.create(
        body=body,
        kind=kind,
        topic=topic,
        summary=(summary or "").strip(),
        starts_at=starts_at,
        video_url=_url(video_url, "video_url"),
        event=event,
    )
    Guest.objects.bulk_create(
        Guest(interview=interview, name=g.name, post=g.post, principal_leader=g.principal_leader, order=i)
        for i, g in enumerate(rows)
    )
    after = _snap(interview) | {"guests": [f"{g.name} {g.post}".strip() for g in rows]}
    record(actor, "interviews.announced", interview, after=after, summary=topic)
    pagecache.bump(PAGES)
    return interview


@transaction.atomic
def set_video(actor: Actor, interview: Interview, *, video_url: str) -> Interview:
    interview = _locked(interview)
    before = _snap(interview)
    interview.video_url = _url(video_url, "video_url")
    interview.save(update_fields=["video_url"])
    record(actor, "interviews.video", interview, before=before, after=_snap(interview))
    pagecache.bump(PAGES)
    return interview


@transaction.atomic
def ask(
    actor: Actor, interview: Interview, *, text: str, asker: str = "", at: dt.datetime | None = None
) -> Question:
    """A question of the public, before the event goes live; shown once approved."""
    interview = Interview.objects.get(pk=interview.pk)
    if interview.state != S.ANNOUNCED:
        raise ValidationError({"__all__": [_("访谈已开始或已结束，不再接收提问")]})
    text, asker = (text or "").strip(), (asker or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("请填写问题")]
    elif len(text) > 1000:
        errors["text"] = [_("不得超过%(n)s个字符") % {"n": 1000}]
    if len(asker) > 30:
        errors["asker"] = [_("不得超过%(n)s个字符") % {"n": 30}]
    if errors:
        raise ValidationError(errors)
    question = Question.objects.create(
        interview=interview, text=text, asker=asker, received_at=at or timezone.now()
    )
    record(actor, "interviews.question.asked", question, after=_snap(question))
    return question


@transaction.atomic
def moderate(actor: Actor, question: Question, *, approve: bool) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = _snap(question)
    question.state = QuestionState.APPROVED if approve else QuestionState.REJECTED
    question.save(update_fields=["state"])
    record(actor, "interviews.question.moderated", question, before=before, after=_snap(question))
    pagecache.bump(PAGES)
    return question


@transaction.atomic
def go_live(actor: Actor, interview: Interview, *, at: dt.datetime | None = None) -> Interview:
    interview = _locked(interview)
    _require(interview, {S.ANNOUNCED}, _("开始直播"))
    before = _snap(interview)
    interview.state = S.LIVE
    interview.went_live_at = at or timezone.now()
    interview.save(update_fields=["state", "went_live_at"])
    record(actor, "interviews.live", interview, before=before, after=_snap(interview))
    pagecache.bump(PAGES)
    return interview


@transaction.atomic
def append(
    actor: Actor, interview: Interview, *, speaker: str, text: str, at: dt.datetime | None = None
) -> TranscriptLine:
    """One line of the live transcript (also after the end, to complete the record before it is published)."""
    interview = _locked(interview)
    _require(interview, {S.LIVE, S.ENDED}, _("记录实录"))
    speaker, text = (speaker or "").strip(), (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not speaker:
        errors["speaker"] = [_("请填写发言人")]
    elif len(speaker) > 60:
        errors["speaker"] = [_("不得超过%(n)s个字符") % {"n": 60}]
    if not text:
        errors["text"] = [_("请填写内容")]
    if errors:
        raise ValidationError(errors)
    line = TranscriptLine.objects.create(
        interview=interview, speaker=speaker, text=text, at=at or timezone.now()
    )
    record(actor, "interviews.transcript.appended", line, after=_snap(line) | {"speaker": speaker})
    pagecache.bump(PAGES)
    return line


def public_path(interview: Interview) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("interviews:detail", kwargs={"pk": interview.pk})


def _page_url(site: str, interview: Interview) -> str:
    """The public page's absolute address on ``site``; "" without a site or on one no link can name (a host
    without a domain, such as ``localhost``)."""
    url = site.rstrip("/") + public_path(interview) if site else ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


@transaction.atomic
def end(actor: Actor, interview: Interview, *, at: dt.datetime | None = None, site: str = "") -> Interview:
    """The event is over: it is recorded as a response action (press conference or online interview; principal
    leader when any guest is one) dated the day it was held, with the public page's address (``site``: the
    site's origin, e.g. ``https://gk.example.cn``; without it no address is stored)."""
    interview = _locked(interview)
    _require(interview, {S.LIVE}, _("结束"))
    before = _snap(interview)
    ended = at or timezone.now()
    held_on = timezone.localdate(interview.went_live_at or ended)
    action = engagement.record_response(
        actor,
        kind=RESPONSE_KIND[InterviewKind(interview.kind)],
        held_on=held_on,
        event=interview.event,
        principal_leader=interview.principal_leader,
        url=_page_url(site, interview),
        title=interview.topic,
        body=interview.body,
    )
    interview.state, interview.ended_at, interview.held_on, interview.response = (
        S.ENDED,
        ended,
        held_on,
        action,
    )
    interview.save(update_fields=["state", "ended_at", "held_on", "response"])
    record(actor, "interviews.ended", interview, before=before, after=_snap(interview))
    pagecache.bump(PAGES)
    return interview


@transaction.atomic
def publish(actor: Actor, interview: Interview, *, at: dt.datetime | None = None) -> Interview:
    """Publish the record (实录) of an event that was held."""
    interview = _locked(interview)
    _require(interview, {S.ENDED}, _("发布实录"))
    before = _snap(interview)
    interview.state = S.PUBLISHED
    interview.published_at = at or timezone.now()
    interview.save(update_fields=["state", "published_at"])
    record(actor, "interviews.published", interview, before=before, after=_snap(interview))
    pagecache.bump(PAGES)
    return interview
