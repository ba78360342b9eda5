"""Domain functions of engagement (atomic, audited): public-concern events (回应关切) and the actions answering
them, posts on the body's Weibo/WeChat channels, and policy interpretations (政策解读).

Every function validates its whole input before it writes, so bad input writes nothing; each write is one
audit entry (a bulk function: one entry per batch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import pagecache
from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog import transitions
from gongkai.catalog.models import Channel, Genre, Publication
from gongkai.engagement.models import (
    ConcernSource,
    Interpretation,
    InterpretationForm,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    SocialChannel,
    SocialPost,
)
from gongkai.figures.store import mark_dirty
from gongkai.organisations.models import Organisation

INTERPRETATIONS = "interpretations"  # the page-cache namespace of /interpretations/ (with pagecache.CATALOG)
LEADER_KINDS = frozenset({ResponseKind.PRESS_CONFERENCE, ResponseKind.ONLINE_INTERVIEW})


def _actor_body(actor: Actor) -> Organisation | None:
    """The body of a staff member (their StaffProfile), if any."""
    profile = getattr(actor, "staff_profile", None) if not isinstance(actor, str | None) else None
    return profile.body if profile is not None else None


def _text(value: str, limit: int, field: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise ValidationError({field: _("不得超过%(n)s个字符") % {"n": limit}})
    return value


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: _("时间须带时区")})
    return value


# 回应关切 ---------------------------------------------------------------------------------------------------


@transaction.atomic
def record_event(
    actor: Actor,
    body: Organisation,
    *,
    title: str,
    noticed_on: dt.date,
    source: str = ConcernSource.OTHER,
    noticed_at: dt.datetime | None = None,
) -> PublicConcernEvent:
    """Register a public-concern event (社会关注热点或重大舆情) a body must answer."""
    title = _text(title, 200, "title")
    if not title:
        raise ValidationError({"title": _("请填写事件")})
    if source not in ConcernSource.values:
        raise ValidationError({"source": _("未知的来源：%(v)s") % {"v": source}})
    noticed_at = _aware(noticed_at, "noticed_at")
    if noticed_at is not None and timezone.localdate(noticed_at) != noticed_on:
        raise ValidationError({"noticed_at": _("发现时间须在发现日期当天")})
    event = PublicConcernEvent(
        body=body, title=title, noticed_on=noticed_on, source=source, noticed_at=noticed_at
    )
    event.full_clean()
    event.save()
    record(actor, "engagement.event.create", event, after=snapshot(event), summary=title)
    return event


@transaction.atomic
def set_first_response(actor: Actor, event: PublicConcernEvent, at: dt.datetime) -> PublicConcernEvent:
    """Record when the body first answered the event (an aware datetime, not before it was noticed)."""
    at = _aware(at, "first_response_at")  # type: ignore[assignment]
    event = PublicConcernEvent.objects.select_for_update().get(pk=event.pk)
    if timezone.localdate(at) < event.noticed_on or (event.noticed_at and at < event.noticed_at):
        raise ValidationError({"first_response_at": _("首次回应时间不得早于发现时间")})
    before = snapshot(event)
    event.first_response_at = at
    event.save(update_fields=["first_response_at"])
    record(actor, "engagement.event.first_response", event, before=before, after=snapshot(event))
    return event


def _responding_body(
    actor: Actor, event: PublicConcernEvent | None, body: Organisation | None, held_on: dt.date
) -> Organisation:
    """The body of a response: the event's (not before the event was noticed), else ``body``, else the
    actor's own."""
    if event is not None:
        if body is not None and body.pk != event.body_id:
            raise ValidationError({"body": _("回应机关须是事件的回应机关")})
        if held_on < event.noticed_on:
            raise ValidationError({"held_on": _("回应日期不得早于事件发现日期")})
        return event.body
    found = body or _actor_body(actor)
    if found is None:
        raise ValidationError({"body": _("请指定回应机关")})
    return found


@transaction.atomic
def record_response(
    actor: Actor,
    *,
    kind: str,
    held_on: dt.date,
    event: PublicConcernEvent | None,
    principal_leader: bool = False,
    url: str = "",
    title: str = "",
    body: Organisation | None = None,
) -> ResponseAction:
    """Record one way a body answered: a press conference, an online interview, an article, a Weibo/WeChat
    post or other. ``event``: the public-concern event answered (None: a conference or interview not tied to
    one event — it counts as a conference or interview, not as an event). The action's body is the event's;
    without an event, ``body`` or else the actor's own body. An event's first response time is set from the
    earliest action when it had none (the start of that day)."""
    if kind not in ResponseKind.values:
        raise ValidationError({"kind": _("未知的回应方式：%(v)s") % {"v": kind}})
    if principal_leader and kind not in LEADER_KINDS:
        raise ValidationError({"principal_leader": _("只有新闻发布会和在线访谈记录主要负责同志参加")})
    body = _responding_body(actor, event, body, held_on)
    action = ResponseAction(
        body=body,
        event=event,
        kind=kind,
        held_on=held_on,
        principal_leader=principal_leader,
        url=(url or "").strip(),
        title=_text(title, 200, "title"),
    )
    action.full_clean()
    action.save()
    record(
        actor,
        "engagement.response.create",
        action,
        after=snapshot(action),
        summary=action.title or (event.title if event else str(action)),
    )
    if event is not None and event.first_response_at is None:
        event.first_response_at = timezone.make_aware(dt.datetime.combine(held_on, dt.time(9)))
        event.save(update_fields=["first_response_at"])
    return action


@dataclass(frozen=True)
class EventRow:
    """One event for ``record_events_bulk`` with the responses answering it: (kind, held_on, leader)."""

    body: Organisation
    title: str
    noticed_on: dt.date
    responses: Sequence[tuple[str, dt.date, bool]]
    source: str = ConcernSource.OTHER


def _check_event_row(row: EventRow, where: str) -> None:
    """One row of a bulk load: a title, a known source, known response kinds (a principal leader only at a
    conference or interview), no response before the event was noticed. ``where`` names the row."""
    if not row.title.strip() or len(row.title) > 200:
        raise ValidationError({"title": where})
    if row.source not in ConcernSource.values:
        raise ValidationError({"source": where})
    for kind, held, leader in row.responses:
        if kind not in ResponseKind.values or (leader and kind not in LEADER_KINDS):
            raise ValidationError({"kind": where})
        if held < row.noticed_on:
            raise ValidationError({"held_on": where})


@transaction.atomic
def record_events_bulk(
    actor: Actor, rows: Sequence[EventRow], summary: str, *, batch_size: int = 5000
) -> tuple[int, int]:
    """Many events and their responses at once (imports, the demo's 2014 year): validated first, then
    written in bulk with one audit entry for the batch; the figures of their bodies and years are marked
    dirty. Each event's first response time is the start (09:00) of its earliest response's day.
    Returns (events, actions)."""
    for n, row in enumerate(rows):
        _check_event_row(row, _("第%(n)s条") % {"n": n + 1})
    events = [
        PublicConcernEvent(
            body=r.body,
            title=r.title.strip(),
            noticed_on=r.noticed_on,
            source=r.source,
            first_response_at=(
                timezone.make_aware(dt.datetime.combine(min(h for _k, h, _l in r.responses), dt.time(9)))
                if r.responses
                else None
            ),
        )
        for r in rows
    ]
    PublicConcernEvent.objects.bulk_create(events, batch_size=batch_size)
    actions = [
        ResponseAction(body=r.body, event=e, kind=kind, held_on=held, principal_leader=leader)
        for r, e in zip(rows, events, strict=True)
        for kind, held, leader in r.responses
    ]
    ResponseAction.objects.bulk_create(actions, batch_size=batch_size)
    years = {e.noticed_on.year for e in events} | {a.held_on.year for a in actions}
    bodies = {r.body.pk for r in rows}
    if bodies and years:
        mark_dirty(bodies, years, [PublicConcernEvent._meta.db_table, ResponseAction._meta.db_table])
    record(
        actor,
        "engagement.event.bulk_create",
        object_type=PublicConcernEvent._meta.label_lower,
        summary=summary,
        after={"events": len(events), "actions": len(actions)},
        batch_size=len(events) + len(actions),
    )
    return len(events), len(actions)


# 政务新媒体 ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_social_post(
    actor: Actor,
    body: Organisation,
    *,
    channel: str,
    posted_at: dt.datetime,
    url: str,
    title: str,
    event: PublicConcernEvent | None = None,
) -> SocialPost:
    """A post on the body's Weibo or WeChat account, with its link. A post answering ``event`` is also
    recorded as that event's response (kind 微博微信回应, on the post's day)."""
    if channel not in SocialChannel.values:
        raise ValidationError({"channel": _("未知的平台：%(v)s") % {"v": channel}})
    _aware(posted_at, "posted_at")
    title = _text(title, 200, "title")
    if event is not None and event.body_id != body.pk:
        raise ValidationError({"event": _("回应机关须是事件的回应机关")})
    post = SocialPost(body=body, channel=channel, posted_at=posted_at, url=(url or "").strip(), title=title)
    post.full_clean()
    if event is not None:
        post.response = record_response(
            actor,
            kind=ResponseKind.WEIBO_WECHAT,
            held_on=timezone.localdate(posted_at),
            event=event,
            url=post.url,
            title=title,
        )
    post.save()
    record(actor, "engagement.social_post.create", post, after=snapshot(post), summary=title)
    return post


# 政策解读 ---------------------------------------------------------------------------------------------------


def _check_interpretation(form: str, official_name: str, official_post: str) -> None:
    if form not in InterpretationForm.values:
        raise ValidationError({"form": _("未知的解读形式：%(v)s") % {"v": form}})
    if form == InterpretationForm.OFFICIAL and not (official_name and official_post):
        raise ValidationError({"official_name": _("负责人解读须写明解读人的姓名和职务")})


@transaction.atomic
def draft_interpretation(
    actor: Actor,
    policy: Publication,
    *,
    title: str,
    made_on: dt.date,
    form: str,
    text: str = "",
    official_name: str = "",
    official_post: str = "",
    media_url: str = "",
    body: Organisation | None = None,
) -> Interpretation:
    """Draft an interpretation of ``policy``: a catalog item of genre 解读 (index number, 保密审查 and
    publication through the catalog's workflow, ``publish_interpretation``) linked to the policy, with the
    interpretation's form. ``body``: the interpreting body (default the policy's)."""
    official_name = _text(official_name, 50, "official_name")
    official_post = _text(official_post, 100, "official_post")
    _check_interpretation(form, official_name, official_post)
    genre = Genre.objects.filter(code=Genre.INTERPRETATION).first()
    if genre is None:
        raise ValidationError({"form": _("体裁“解读”不存在")})
    body = body or policy.body
    pub, _warnings = transitions.create_draft(
        actor, body, title=title, made_on=made_on, genre=genre, interprets=policy, text=text.strip()
    )
    transitions.check_interprets(pub)
    interp = Interpretation(
        publication=pub,
        form=form,
        official_name=official_name,
        official_post=official_post,
        media_url=(media_url or "").strip(),
    )
    interp.full_clean()
    interp.save()
    record(actor, "engagement.interpretation.create", interp, after=snapshot(interp), summary=pub.title[:100])
    return interp


@transaction.atomic
def describe_interpretation(
    actor: Actor,
    pub: Publication,
    *,
    form: str,
    official_name: str = "",
    official_post: str = "",
    media_url: str = "",
) -> Interpretation:
    """Record or change the form of an existing interpretation (a catalog item of genre 解读, e.g. imported)."""
    if pub.genre is None or pub.genre.code != Genre.INTERPRETATION:
        raise ValidationError({"publication": _("只有体裁为“解读”的信息才是政策解读")})
    official_name = _text(official_name, 50, "official_name")
    official_post = _text(official_post, 100, "official_post")
    _check_interpretation(form, official_name, official_post)
    interp = Interpretation.objects.select_for_update().filter(publication=pub).first()
    before = snapshot(interp) if interp else None
    interp = interp or Interpretation(publication=pub)
    interp.form, interp.official_name, interp.official_post = form, official_name, official_post
    interp.media_url = (media_url or "").strip()
    interp.full_clean()
    interp.save()
    record(actor, "engagement.interpretation.describe", interp, before=before, after=snapshot(interp))
    pagecache.bump(pagecache.CATALOG, INTERPRETATIONS)
    return interp


@transaction.atomic
def publish_interpretation(
    actor: Actor, interp: Interpretation, *, on: dt.date, channels: Sequence[Channel] = ()
) -> Interpretation:
    """Publish the interpretation through the catalog (refused unless its 保密审查 passed). Without channels,
    the body's website channels (else its policy's channels). Published later than its policy, it is flagged (同步解读)."""
    pub = interp.publication
    if not channels and pub.published_on is None:
        channels = list(Channel.objects.filter(owner=pub.body, kind__category="website"))
        if not channels and pub.interprets is not None:  # else where its policy was published
            channels = list(Channel.objects.filter(postings__publication=pub.interprets).distinct())
    transitions.publish(actor, pub, on=on, channels=channels)
    interp.publication.refresh_from_db()
    record(
        actor,
        "engagement.interpretation.publish",
        interp,
        after={"published_on": on.isoformat(), "late": interp.late},
        summary=pub.title[:100],
    )
    pagecache.bump(pagecache.CATALOG, INTERPRETATIONS)
    return interp


@dataclass(frozen=True)
class InterpretationRow:
    """An existing interpretation (catalog item of genre 解读) and its form, for ``describe_interpretations_bulk``."""

    publication_id: int
    form: str
    official_name: str = ""
    official_post: str = ""


@transaction.atomic
def describe_interpretations_bulk(
    actor: Actor, rows: Sequence[InterpretationRow], summary: str, *, batch_size: int = 5000
) -> int:
    """The forms of many existing interpretations at once (the demo's 2014 year, imports): validated first,
    written in bulk, one audit entry for the batch."""
    ids = [r.publication_id for r in rows]
    jiedu = set(
        Publication.objects.filter(pk__in=ids, genre__code=Genre.INTERPRETATION).values_list("pk", flat=True)
    )
    for n, r in enumerate(rows):
        if r.publication_id not in jiedu:
            raise ValidationError({"publication": _("第%(n)s条不是解读") % {"n": n + 1}})
        _check_interpretation(r.form, r.official_name, r.official_post)
    objs = [
        Interpretation(
            publication_id=r.publication_id,
            form=r.form,
            official_name=r.official_name,
            official_post=r.official_post,
        )
        for r in rows
    ]
    Interpretation.objects.bulk_create(objs, batch_size=batch_size)
    record(
        actor,
        "engagement.interpretation.bulk_describe",
        object_type=Interpretation._meta.label_lower,
        summary=summary,
        after={"interpretations": len(objs)},
        batch_size=len(objs),
    )
    pagecache.bump(pagecache.CATALOG, INTERPRETATIONS)
    return len(objs)
