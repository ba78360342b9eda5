"""The demo city's public concern (回应关切), Weibo/WeChat posts and policy interpretations (政策解读) of
2024–2026, run through the real functions (``gongkai.engagement.actions`` and the catalog's workflow): events
with their first responses (a press conference with the principal leader, an article, a WeChat post), posts on
the bodies' accounts, and interpretations of published policies — on the policy's day (同步) and late, reviewed
(保密审查) by the body's office head before they are published. Deterministic: every date is fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from gongkai.catalog import transitions
from gongkai.catalog.models import Genre, Publication, PublicationStatus, ReviewConclusion
from gongkai.engagement import actions
from gongkai.engagement.interpretations import policies
from gongkai.engagement.models import ConcernSource, InterpretationForm, ResponseKind, SocialChannel
from gongkai.organisations.models import Organisation

ACTOR = "demo"
TZ = ZoneInfo("Asia/Shanghai")
CITY = "许昌市人民政府"
EDU = "许昌市教育局"

# (body, title, source, noticed, [(kind, day, leader, title)], first response at (hour, minute) on the first day)
EVENTS: tuple[
    tuple[str, str, str, dt.date, tuple[tuple[str, dt.date, bool, str], ...], tuple[int, int]], ...
] = (
    (
        EDU,
        "秋季学期义务教育阶段学位紧张",
        ConcernSource.ONLINE_OPINION,
        dt.date(2024, 8, 19),
        (
            (ResponseKind.WEIBO_WECHAT, dt.date(2024, 8, 19), False, "关于秋季学期学位安排的说明"),
            (ResponseKind.PRESS_CONFERENCE, dt.date(2024, 8, 22), True, "2024年秋季招生入学新闻发布会"),
        ),
        (16, 30),
    ),
    (
        CITY,
        "冬季供暖延期",
        ConcernSource.HOTLINE,
        dt.date(2024, 11, 14),
        ((ResponseKind.ARTICLE, dt.date(2024, 11, 15), False, "关于2024—2025年供暖季安排的答问"),),
        (10, 0),
    ),
    (
        CITY,
        "老旧小区改造进度",
        ConcernSource.DEPUTIES,
        dt.date(2025, 3, 4),
        ((ResponseKind.ONLINE_INTERVIEW, dt.date(2025, 3, 12), False, "老旧小区改造在线访谈"),),
        (15, 0),
    ),
    (
        EDU,
        "校外培训机构退费",
        ConcernSource.MEDIA,
        dt.date(2026, 4, 7),
        ((ResponseKind.OTHER, dt.date(2026, 4, 8), False, "约谈涉事机构并公布处理结果"),),
        (11, 20),
    ),
)

POSTS: tuple[tuple[str, str, dt.datetime, str, str], ...] = (
    (
        CITY,
        SocialChannel.WEIBO,
        dt.datetime(2024, 5, 6, 9, 0, tzinfo=TZ),
        "五一假期全市旅游接待情况",
        "weibo",
    ),
    (CITY, SocialChannel.WECHAT, dt.datetime(2025, 1, 20, 18, 0, tzinfo=TZ), "春节期间办事指南", "wechat"),
    (EDU, SocialChannel.WECHAT, dt.datetime(2026, 6, 1, 8, 30, tzinfo=TZ), "2026年中考报名提示", "wechat"),
)


def _bodies(current: Iterable[Organisation]) -> dict[str, Organisation]:
    return {o.name: o for o in current}


def build_recent_responses(current: Iterable[Organisation]) -> int:
    """Events with responses, posts and interpretations; returns how many records were written."""
    bodies = _bodies(current)
    written = 0
    for name, title, source, noticed, responses, (hour, minute) in EVENTS:
        body = bodies.get(name)
        if body is None:
            continue
        event = actions.record_event(ACTOR, body, title=title, noticed_on=noticed, source=source)
        actions.set_first_response(
            ACTOR, event, dt.datetime.combine(responses[0][1], dt.time(hour, minute), tzinfo=TZ)
        )
        for kind, day, leader, what in responses:
            url = f"https://www.xuchang.gov.cn/hygq/{day:%Y%m%d}.html"
            if kind == ResponseKind.WEIBO_WECHAT:
                actions.record_social_post(
                    ACTOR,
                    body,
                    channel=SocialChannel.WECHAT,
                    posted_at=dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ),
                    url=url,
                    title=what,
                    event=event,
                )
            else:
                actions.record_response(
                    ACTOR, kind=kind, held_on=day, event=event, principal_leader=leader, url=url, title=what
                )
            written += 1
        written += 1
    for name, channel, at, title, slug in POSTS:
        if name in bodies:
            actions.record_social_post(
                ACTOR,
                bodies[name],
                channel=channel,
                posted_at=at,
                url=f"https://{slug}.example.invalid/xuchang/{at:%Y%m%d}",
                title=title,
            )
            written += 1
    return written + _interpretations(bodies)


def _interpretations(bodies: dict[str, Organisation]) -> int:
    """Two interpretations of the education bureau's or city's published policies of 2024–2025: one published
    the policy's day (同步), one 12 days later (flagged), drafted by a clerk and reviewed by the office head."""
    users = get_user_model()
    drafter = users.objects.filter(username="edu-clerk").first()
    reviewer = users.objects.filter(username="edu-head").first()
    body = bodies.get(EDU)
    if drafter is None or reviewer is None or body is None:
        return 0
    explained = Publication.objects.filter(genre__code=Genre.INTERPRETATION).values("interprets_id")
    candidates = list(
        policies(
            Publication.objects.filter(
                status=PublicationStatus.PUBLISHED,
                body=body,
                published_on__gte=dt.date(2024, 1, 1),
                published_on__lte=dt.date(2025, 12, 1),
            )
        )
        .exclude(pk__in=explained)
        .order_by("published_on", "pk")[:2]
    )
    plans = (
        (0, InterpretationForm.OFFICIAL, "局长", "李明"),
        (12, InterpretationForm.GRAPHIC, "", ""),
    )
    written = 0
    for policy, (delay, form, post, name) in zip(candidates, plans, strict=False):
        assert policy.published_on is not None
        day = policy.published_on
        published = day + dt.timedelta(days=delay)
        interp = actions.draft_interpretation(
            drafter,
            policy,
            title=f"《{policy.title[:60]}》解读",
            made_on=day,
            form=form,
            text=f"一、出台背景\n二、主要内容\n三、适用对象\n（解读《{policy.title[:60]}》）",
            official_name=name,
            official_post=post,
            media_url="https://www.xuchang.gov.cn/tujie/1.html" if form == InterpretationForm.GRAPHIC else "",
        )
        transitions.review(reviewer, interp.publication, on=day, conclusion=ReviewConclusion.PASSED)
        actions.publish_interpretation(reviewer, interp, on=published)
        written += 1
    return written
