"""The demo city's 2014 responses, hotline and mailbox, requests, reviews and lawsuits, complaints and yearly
figures — records whose statistics equal the seed's city-wide figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from gongkai.cases.deadlines import compute_deadline
from gongkai.cases.models import AdministrativeReview, ApplicantKind, CaseState, InformationRequest, Lawsuit
from gongkai.catalog.models import Genre, Publication
from gongkai.demo import seed2014 as seed
from gongkai.engagement.actions import (
    EventRow,
    InterpretationRow,
    describe_interpretations_bulk,
    record_events_bulk,
)
from gongkai.engagement.models import Complaint, InterpretationForm, ResponseKind, YearlyFigures
from gongkai.hotline import actions as hotline_actions
from gongkai.hotline.models import Category, Source, TicketStatus
from gongkai.mailbox.actions import LetterRow, bulk_create_letters
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
        EventRow(
            body=b,
            title=f"关于{rng.choice(EVENT_TOPICS)}的社会关注",
            noticed_on=rng.choice(days[:-5]),
            responses=[],
        )
        for b in rng.choices(bodies, weights=weights, k=seed.EVENTS)
    ]
    responses: dict[int, list[tuple[str, dt.date, bool]]] = {i: [] for i in range(len(events))}
    targets = list(range(len(events))) + rng.sample(range(len(events)), len(kinds) - len(events))
    leaders = {
        ResponseKind.PRESS_CONFERENCE: seed.PRESS_CONFERENCES_LEADER,
        ResponseKind.ONLINE_INTERVIEW: seed.ONLINE_INTERVIEWS_LEADER,
    }
    for kind, target in zip(kinds, targets, strict=True):
        leader = leaders.get(kind, 0) > 0
        if leader:
            leaders[kind] -= 1
        held = events[target].noticed_on + dt.timedelta(days=rng.randint(0, 4))
        responses[target].append((kind, held, leader))
    rows = [dataclasses.replace(e, responses=responses[i]) for i, e in enumerate(events)]
    n_events, n_actions = record_events_bulk(
        "demo", rows, "演示数据：2014年回应关切事件及回应", batch_size=BATCH
    )
    return n_events + n_actions + _describe_interpretations()


def _describe_interpretations() -> int:
    """The forms of the 2014 catalog's interpretations (no random draw: the generator's sequence is unchanged):
    every 10th a graphic, every 15th a video, every 20th an official's reading, the rest text."""
    ids = (
        Publication.objects.filter(genre__code=Genre.INTERPRETATION, published_on__year=seed.YEAR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = []
    for n, pk in enumerate(ids, start=1):
        if n % 20 == 0:
            rows.append(InterpretationRow(pk, InterpretationForm.OFFICIAL, "王建国", "市政府副秘书长"))
        elif n % 15 == 0:
            rows.append(InterpretationRow(pk, InterpretationForm.VIDEO))
        elif n % 10 == 0:
            rows.append(InterpretationRow(pk, InterpretationForm.GRAPHIC))
        else:
            rows.append(InterpretationRow(pk, InterpretationForm.TEXT))
    return describe_interpretations_bulk("demo", rows, "演示数据：2014年政策解读形式", batch_size=BATCH)


def build_hotline_and_mailbox(rng: random.Random, bodies: list[Organisation], weights: list[int]) -> int:
    start = dt.datetime(seed.YEAR, 1, 1, 8, 0, tzinfo=TZ)
    calls = []
    for n, body in enumerate(rng.choices(bodies, weights=weights, k=seed.HOTLINE_CALLS)):
        received = start + dt.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 600))
        done = received + dt.timedelta(hours=rng.randint(2, 48)) if n < seed.HOTLINE_COMPLETED else None
        topic = rng.choice(("饮水", "供电", "教育", "医疗", "市政设施", "道路交通", "城市管理"))
        calls.append((body, received, done, topic))
    rng.shuffle(calls)
    hotline_actions.create_tickets_bulk(
        "demo",
        Source.DEMO,
        [
            hotline_actions.NewTicket(
                body,
                f"2014{n + 1:06d}",
                {"received_at": received, "topic": topic, "category": Category.HELP},
                status=TicketStatus.COMPLETED if done else TicketStatus.RECEIVED,
                completed_at=done,
                result="已办结" if done else "",
            )
            for n, (body, received, done, topic) in enumerate(calls)
        ],
        "演示数据：2014年12345热线工单",
    )
    letters = []
    for n, body in enumerate(rng.choices(bodies, weights=weights, k=seed.MAILBOX_LETTERS)):
        received_on = dt.date(seed.YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 357))
        replied = received_on + dt.timedelta(days=rng.randint(1, 7)) if n < seed.MAILBOX_REPLIED else None
        letters.append(LetterRow(body_id=body.pk, received_on=received_on, replied_on=replied))
    rng.shuffle(letters)
    bulk_create_letters("demo", letters, "演示数据：2014年书记市长信箱来信", batch_size=BATCH)
    return len(calls) + len(letters)


_SUBJECTS = (
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
    rows = [
        _request_row(rng, calendar, channel, outcome, body)
        for channel, outcome, body in zip(channels, outcomes, handling, strict=True)
    ]
    InformationRequest.objects.bulk_create(rows)
    return rows


def _request_row(
    rng: random.Random, calendar: WorkCalendar, channel: str, outcome: str, body: Organisation
) -> InformationRequest:
    """One 2014 request received on a random day, answered on a working day within its 15 (art 24)."""
    received = dt.date(seed.YEAR, 1, 2) + dt.timedelta(days=rng.randint(0, 320))
    deadline = compute_deadline(received, regime="2008", extend=0, calendar=calendar)
    answer_window = working_days(calendar, deadline.receipt_date, deadline.due_date)
    return InformationRequest(
        body=body,
        received_on=received,
        receipt_date=deadline.receipt_date,
        channel=channel,
        applicant_kind=ApplicantKind.NATURAL_PERSON if rng.random() < 0.85 else ApplicantKind.BUSINESS,
        subject=f"申请公开{rng.choice(_SUBJECTS)}",
        regime="2008",
        due_date=deadline.due_date,
        answered_on=rng.choice(answer_window[1:] or answer_window),
        outcome=outcome,
        state=CaseState.ANSWERED,
    )


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
