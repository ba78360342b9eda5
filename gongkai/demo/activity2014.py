"""The demo city's 2014 responses, hotline and mailbox, requests, reviews and lawsuits, complaints and yearly
figures — records whose statistics equal the seed's city-wide figures."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from gongkai.cases.deadlines import compute_deadline
from gongkai.cases.models import AdministrativeReview, ApplicantKind, CaseState, InformationRequest, Lawsuit
from gongkai.demo import seed2014 as seed
from gongkai.engagement.models import (
    Complaint,
    HotlineCall,
    MailboxLetter,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.workdays.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 5000
EVENT_TOPICS = (
    "城区道路施工",
    "冬季供暖",
    "学区划分",
    "出租车管理",
    "菜价波动",
    "空气质量",
    "饮水安全",
    "医保报销",
    "棚户区改造进度",
    "公交线路调整",
    "食品安全抽检结果",
    "农民工工资",
)


def working_days(calendar: WorkCalendar, start: dt.date, end: dt.date) -> list[dt.date]:
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [d for d in days if calendar.is_working_day(d)]


def build_responses(
    rng: random.Random, bodies: list[Organisation], weights: list[int], calendar: WorkCalendar
) -> int:
    """4179 events answered by 4411 actions: every event at least once, 232 of them twice."""
    days = working_days(calendar, dt.date(seed.YEAR, 1, 2), dt.date(seed.YEAR, 12, 30))
    kinds = (
        [ResponseKind.PRESS_CONFERENCE] * seed.PRESS_CONFERENCES
        + [ResponseKind.ONLINE_INTERVIEW] * seed.ONLINE_INTERVIEWS
        + [ResponseKind.WEIBO_WECHAT] * seed.WEIBO_WECHAT_RESPONSES
        + [ResponseKind.OTHER] * seed.OTHER_RESPONSES
    )
    rng.shuffle(kinds)
    events = [
        PublicConcernEvent(
            body=b, title=f"关于{rng.choice(EVENT_TOPICS)}的社会关注", noticed_on=rng.choice(days[:-5])
        )
        for b in rng.choices(bodies, weights=weights, k=seed.EVENTS)
    ]
    PublicConcernEvent.objects.bulk_create(events, batch_size=BATCH)
    targets = events + rng.sample(events, len(kinds) - len(events))
    leaders = {
        ResponseKind.PRESS_CONFERENCE: seed.PRESS_CONFERENCES_LEADER,
        ResponseKind.ONLINE_INTERVIEW: seed.ONLINE_INTERVIEWS_LEADER,
    }
    actions = []
    for kind, event in zip(kinds, targets, strict=True):
        leader = leaders.get(kind, 0) > 0
        if leader:
            leaders[kind] -= 1
        held = event.noticed_on + dt.timedelta(days=rng.randint(0, 4))
        actions.append(ResponseAction(event=event, kind=kind, held_on=held, principal_leader=leader))
    ResponseAction.objects.bulk_create(actions, batch_size=BATCH)
    return len(events) + len(actions)


def build_hotline_and_mailbox(rng: random.Random, bodies: list[Organisation], weights: list[int]) -> int:
    start = dt.datetime(seed.YEAR, 1, 1, 8, 0, tzinfo=TZ)
    calls = []
    for n, body in enumerate(rng.choices(bodies, weights=weights, k=seed.HOTLINE_CALLS)):
        received = start + dt.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 600))
        done = received + dt.timedelta(hours=rng.randint(2, 48)) if n < seed.HOTLINE_COMPLETED else None
        calls.append(
            HotlineCall(
                body=body,
                received_at=received,
                completed_at=done,
                topic=rng.choice(("饮水", "供电", "教育", "医疗", "市政设施", "道路交通", "城市管理")),
            )
        )
    rng.shuffle(calls)
    HotlineCall.objects.bulk_create(calls, batch_size=BATCH)
    letters = []
    for n, body in enumerate(rng.choices(bodies, weights=weights, k=seed.MAILBOX_LETTERS)):
        received_on = dt.date(seed.YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 357))
        replied = received_on + dt.timedelta(days=rng.randint(1, 7)) if n < seed.MAILBOX_REPLIED else None
        letters.append(MailboxLetter(body=body, received_on=received_on, replied_on=replied))
    rng.shuffle(letters)
    MailboxLetter.objects.bulk_create(letters, batch_size=BATCH)
    return len(calls) + len(letters)


def build_requests(
    rng: random.Random,
    bodies: list[Organisation],
    weights: list[int],
    city: Organisation,
    calendar: WorkCalendar,
) -> list[InformationRequest]:
    """112 requests under the 2008 Regulations, all answered within 15 working days (art 24)."""
    channels = [c for c, n in seed.REQUEST_CHANNELS.items() for _ in range(n)]
    outcomes = [o for o, n in seed.REQUEST_OUTCOMES.items() for _ in range(n)]
    rng.shuffle(channels)
    rng.shuffle(outcomes)
    handling = [city] * seed.CITY_REQUESTS + rng.choices(
        [b for b in bodies if b.pk != city.pk],
        weights=[w for b, w in zip(bodies, weights, strict=True) if b.pk != city.pk],
        k=len(channels) - seed.CITY_REQUESTS,
    )
    subjects = (
        "房屋征收补偿安置方案",
        "某路段改造工程招标文件",
        "本单位年度部门预算",
        "低保审批名单",
        "建设项目环评批复",
        "食品抽检结果",
        "土地出让合同",
        "学校划片招生方案",
        "企业信用信息",
    )
    rows = []
    for channel, outcome, body in zip(channels, outcomes, handling, strict=True):
        received = dt.date(seed.YEAR, 1, 2) + dt.timedelta(days=rng.randint(0, 320))
        deadline = compute_deadline(received, regime="2008", extend=0, calendar=calendar)
        answer_window = working_days(calendar, deadline.receipt_date, deadline.due_date)
        rows.append(
            InformationRequest(
                body=body,
                received_on=received,
                receipt_date=deadline.receipt_date,
                channel=channel,
                applicant_kind=ApplicantKind.NATURAL_PERSON
                if rng.random() < 0.85
                else ApplicantKind.BUSINESS,
                subject=f"申请公开{rng.choice(subjects)}",
                regime="2008",
                due_date=deadline.due_date,
                answered_on=rng.choice(answer_window[1:] or answer_window),
                outcome=outcome,
                state=CaseState.ANSWERED,
            )
        )
    InformationRequest.objects.bulk_create(rows)
    return rows


def build_remedies(rng: random.Random, requests: list[InformationRequest]) -> int:
    contested = [
        r
        for r in requests
        if (r.outcome.startswith("2008.refused") or r.outcome == "2008.partly_disclosed")
        and r.answered_on is not None
        and r.answered_on < dt.date(seed.YEAR, 10, 1)
    ]
    picks = rng.sample(contested, sum(seed.REVIEWS.values()) + sum(seed.LAWSUITS.values()))
    reviews = _remedies(AdministrativeReview, seed.REVIEWS, picks, filed_after=20, decided_after=45)
    suits = _remedies(Lawsuit, seed.LAWSUITS, picks, filed_after=30, decided_after=90)
    return len(reviews) + len(suits)


def _remedies(
    model: type[AdministrativeReview] | type[Lawsuit],
    outcomes: dict[str, int],
    picks: list[InformationRequest],
    *,
    filed_after: int,
    decided_after: int,
) -> list[AdministrativeReview] | list[Lawsuit]:
    """Reviews or lawsuits against answered requests (``picks`` is consumed), filed and decided days later."""
    rows = []
    for outcome, n in outcomes.items():
        for req in (picks.pop() for _ in range(n)):
            assert req.answered_on is not None
            filed = req.answered_on + dt.timedelta(days=filed_after)
            rows.append(
                model(
                    body=req.body,
                    request=req,
                    filed_on=filed,
                    decided_on=filed + dt.timedelta(days=decided_after),
                    outcome=outcome,
                )
            )
    return model.objects.bulk_create(rows)  # type: ignore[arg-type]


def build_complaints_and_figures(rng: random.Random, bodies: list[Organisation]) -> int:
    complaints = [
        Complaint(body=b, received_on=dt.date(seed.YEAR, 3 + 3 * n, 10), summary="反映政府信息公开不及时")
        for n, b in enumerate(rng.sample(bodies, seed.COMPLAINTS))
    ]
    Complaint.objects.bulk_create(complaints)
    figures = []
    for body in bodies:
        government = body.kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY}
        figures.append(
            YearlyFigures(
                body=body,
                year=seed.YEAR,
                dedicated_offices=1 if government else 0,
                reading_points=rng.randint(1, 3) if government else rng.randint(0, 1),
                fulltime_staff=rng.randint(2, 4) if government else rng.randint(0, 1),
                parttime_staff=rng.randint(1, 3),
                budget_wan_yuan=Decimal(rng.randint(5, 30)) if government else Decimal(rng.randint(0, 4)) / 2,
                meetings=rng.randint(1, 4),
                training_sessions=rng.randint(0, 2) + (2 if government else 0),
                people_trained=rng.randint(5, 40) + (100 if government else 0),
            )
        )
    YearlyFigures.objects.bulk_create(figures)
    return len(complaints) + len(figures)
