"""The synthetic province's records, bulk-written in batches: publications with their channel postings,
requests (cases) with reviews, lawsuits and fees, hotline calls, mailbox letters, public-concern events and
yearly figures. Every record falls inside its body's existence; sizes follow a Zipf-like law (a few big
bodies, many small ones); volumes grow over the years."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction
from opencc import OpenCC

from gongkai import bulkrows as fast
from gongkai.audit.log import record
from gongkai.cases import outcomes
from gongkai.cases.deadlines import compute_deadline
from gongkai.cases.models import (
    AdministrativeReview,
    Applicant,
    ApplicantKind,
    CaseState,
    FeeCollected,
    InformationRequest,
    Lawsuit,
    RemedyOutcome,
    RequestChannel,
)
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    Genre,
    KeyArea,
    NormativeKind,
    Publication,
    PublicationChannel,
    PublicationStatus,
    Topic,
)
from gongkai.demo.texts import AREA_SUBJECTS, make_text, make_title
from gongkai.engagement.models import (
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
from gongkai.hotline.models import Source, Ticket, TicketStatus
from gongkai.mailbox.actions import reply_due
from gongkai.mailbox.models import Letter as MailboxLetter
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.synth.applicants import ApplicantMaker, write_applicants
from gongkai.synth.progress import Progress
from gongkai.workdays.calendar import get_calendar

ACTOR = "synth"
TZ = ZoneInfo("Asia/Shanghai")
REFORM_2019 = dt.date(2019, 5, 15)
GOVERNMENTS = (OrgKind.GOVERNMENT, OrgKind.COUNTY)
REQUEST_CHANNELS = (
    (RequestChannel.ONLINE, 55),
    (RequestChannel.IN_PERSON, 20),
    (RequestChannel.LETTER, 18),
    (RequestChannel.EMAIL, 5),
    (RequestChannel.FAX, 2),
)
APPLICANTS = (
    (ApplicantKind.NATURAL_PERSON, 86),
    (ApplicantKind.BUSINESS, 8),
    (ApplicantKind.LEGAL_SERVICE, 3),
    (ApplicantKind.RESEARCH, 1),
    (ApplicantKind.PUBLIC_INTEREST, 1),
    (ApplicantKind.OTHER, 1),
)
SUBJECTS = (
    "房屋征收补偿安置方案",
    "征地补偿标准",
    "本单位年度部门预算",
    "低保审批名单",
    "建设项目环评批复",
    "食品抽检结果",
    "土地出让合同",
    "学校划片招生方案",
    "保障性住房分配名单",
    "行政处罚决定书",
)
HOTLINE_TOPICS = ("供暖", "物业纠纷", "道路维修", "噪声扰民", "拖欠工资", "医保报销", "入学咨询", "公交线路")


@dataclass
class Body:
    org: Organisation
    weight: float
    government: Organisation
    start: dt.date
    end: dt.date


class Picker:
    """Draws a body for a day in proportion to its weight, among the bodies existing on that day."""

    def __init__(self, rng: random.Random, bodies: Sequence[Body], years: tuple[int, int]) -> None:
        self.rng = rng
        self.by_year: dict[int, tuple[list[Body], list[float]]] = {}
        for year in range(years[0], years[1] + 1):
            alive = [b for b in bodies if b.start <= dt.date(year, 12, 31) and b.end >= dt.date(year, 1, 1)]
            self.by_year[year] = (alive, list(itertools.accumulate(b.weight for b in alive)))

    def body(self, day: dt.date) -> Body:
        alive, cum = self.by_year[day.year]
        while True:
            b = alive[bisect.bisect(cum, self.rng.random() * cum[-1])]
            if b.start <= day <= b.end:
                return b


class Synth:
    def __init__(self, rng: random.Random, orgs: Sequence[Organisation], years: tuple[int, int], batch: int):
        self.rng, self.years, self.batch = rng, years, batch
        self.first, self.last = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
        govs = {o.pk: o for o in orgs if o.kind in GOVERNMENTS}
        by_pk = {o.pk: o for o in orgs}
        ranks = list(range(1, len(orgs) + 1))
        rng.shuffle(ranks)
        self.bodies = [
            Body(
                o,
                (3.0 if o.kind in GOVERNMENTS else 1.0) / r**0.8,
                _government(o, govs, by_pk),
                max(o.valid_from, self.first),
                min(o.valid_to or self.last, self.last),
            )
            for o, r in zip(orgs, ranks, strict=True)
        ]
        self.picker = Picker(rng, self.bodies, years)
        weights = [1.0 + 0.12 * (y - years[0]) for y in range(years[0], years[1] + 1)]
        self.year_cum = list(itertools.accumulate(weights))
        self.t2s = OpenCC("s2t")

    def day(self) -> dt.date:
        """A day in the years, later years more likely (volumes grow)."""
        year = self.years[0] + bisect.bisect(self.year_cum, self.rng.random() * self.year_cum[-1])
        start = dt.date(year, 1, 1)
        return start + dt.timedelta(days=self.rng.randrange((dt.date(year, 12, 31) - start).days + 1))

    def batches(self, n: int) -> Iterator[int]:
        for start in range(0, n, self.batch):
            yield min(self.batch, n - start)


def _government(
    org: Organisation, govs: dict[int, Organisation], by_pk: dict[int, Organisation]
) -> Organisation:
    node: Organisation | None = org
    while node is not None and node.pk not in govs:
        node = by_pk.get(node.parent_id) if node.parent_id else None
    return node or org


def write(model: type[models.Model], rows: list[Any], what: str, summary: str) -> list[Any]:
    """One batch: the rows (ids assigned after the table's maximum) and one audit entry, in one transaction."""
    with transaction.atomic():
        start = _NEXT.get(model) or fast.next_id(model)
        _NEXT[model] = fast.assign_ids(rows, start)
        fast.insert(model, rows)
        record(ACTOR, "synth.bulk_create", object_type=what, summary=summary, batch_size=len(rows))
    return rows


_NEXT: dict[type[models.Model], int] = {}


def finish() -> None:
    """After the load: PostgreSQL's sequences past the assigned ids; the id counters forgotten."""
    fast.reset_sequences(*_NEXT)
    _NEXT.clear()


# 主动公开 ------------------------------------------------------------------------------------------


class Catalog:
    def __init__(self, s: Synth) -> None:
        self.s = s
        self.topics = list(Topic.objects.all())
        self.genres = list(Genre.objects.all())
        self.areas = [a for a in KeyArea.objects.all() if a.code in AREA_SUBJECTS] or list(
            KeyArea.objects.all()
        )
        self.serials: dict[tuple[int, int], int] = {}
        self.channels = _channels(s)

    def publication(self) -> tuple[dict[str, Any], list[Channel]]:
        s, rng = self.s, self.s.rng
        day = s.day()
        body = s.picker.body(day)
        genre = rng.choice(self.genres)
        area = rng.choice(self.areas)
        area_code = area.code if area.code in AREA_SUBJECTS else "housing"
        title = make_title(rng, genre.code, area_code, body.org.name, day.year)
        text = make_text(rng, area_code, body.org.name, day.year)
        if rng.random() < 0.02:  # items typed in Traditional script
            title, text = s.t2s.convert(title), s.t2s.convert(text)
        key = (body.org.pk, day.year)
        self.serials[key] = self.serials.get(key, 0) + 1
        roll = rng.random()
        normative = NormativeKind.NORMATIVE if roll < 0.03 else NormativeKind.RULE if roll < 0.032 else ""
        made = max(day - dt.timedelta(days=rng.randint(0, 10)), body.start)
        status = PublicationStatus.WITHDRAWN if rng.random() < 0.005 else PublicationStatus.PUBLISHED
        pub = {
            "body_id": body.org.pk,
            "index_code": body.org.org_code,
            "index_year": day.year,
            "index_serial": self.serials[key],
            "title": title[:300],
            "text": text,
            "keywords": area.name,
            "document_number": f"{body.org.name[:2]}政〔{day.year}〕{self.serials[key]}号"
            if roll < 0.15
            else "",
            "made_on": made,
            "published_on": day,
            "topic_id": rng.choice(self.topics).pk if self.topics else None,
            "genre_id": genre.pk,
            "key_area_id": area.pk,
            "normative_kind": normative,
            "issued_on": made if normative else None,
            "repealed_on": _repeal(rng, day, s.last) if normative else None,
            "status": status,
            "version_published_on": day,
            "withdrawn_on": min(day + dt.timedelta(days=30), s.last)
            if status == PublicationStatus.WITHDRAWN
            else None,
        }
        return pub, self._postings(body)

    def _postings(self, body: Body) -> list[Channel]:
        own = self.channels.get(body.government.pk, {})
        chosen = [own["website"]] if "website" in own else []
        for kind, share in (("weibo", 0.25), ("wechat", 0.3), ("gazette", 0.04), ("noticeboard", 0.05)):
            if kind in own and self.s.rng.random() < share:
                chosen.append(own[kind])
        return chosen


def _repeal(rng: random.Random, day: dt.date, last: dt.date) -> dt.date | None:
    if rng.random() < 0.2:
        repealed = day + dt.timedelta(days=rng.randint(200, 2500))
        return repealed if repealed <= last else None
    return None


def _channels(s: Synth) -> dict[int, dict[str, Channel]]:
    """Each people's government runs a portal website, Weibo, WeChat, a notice board; province and cities a
    gazette too. Departments post on their government's channels."""
    kinds = {k.code: k for k in ChannelKind.objects.all()}
    rows = []
    for b in s.bodies:
        if b.org.kind not in GOVERNMENTS:
            continue
        name = b.org.name.removesuffix("人民政府")
        wanted = ["website", "weibo", "wechat", "noticeboard"] + (["gazette"] if b.org.depth <= 1 else [])
        rows += [
            Channel(name=f"{name}{kinds[k].name}", kind=kinds[k], owner=b.org, is_portal=k == "website")
            for k in wanted
            if k in kinds
        ]
    out: dict[int, dict[str, Channel]] = {}
    for ch in write(Channel, rows, "catalog.channel", "合成数据：发布渠道"):
        out.setdefault(ch.owner_id, {})[ch.kind.code] = ch
    return out


def publications(s: Synth, n: int) -> int:
    catalog = Catalog(s)
    pubs, posts = fast.Rows(Publication), fast.Rows(PublicationChannel)
    bar = Progress("publications", n)
    for size in s.batches(n):
        made = [catalog.publication() for _ in range(size)]
        ids = _ids(Publication, size)
        postings = [
            {"publication_id": pk, "channel_id": c.pk, "published_on": p["published_on"]}
            for pk, (p, chans) in zip(ids, made, strict=True)
            for c in chans
        ]
        for pk, (p, _) in zip(ids, made, strict=True):
            p["id"] = pk
        for pk, row in zip(_ids(PublicationChannel, len(postings)), postings, strict=True):
            row["id"] = pk
        write_rows(pubs, [p for p, _ in made], "catalog.publication", "合成数据：主动公开政府信息")
        write_rows(posts, postings, "catalog.publicationchannel", "合成数据：渠道发布记录")
        bar.advance(size)
    return n


def _ids(model: type[models.Model], n: int) -> range:
    start = _NEXT.get(model) or fast.next_id(model)
    _NEXT[model] = start + n
    return range(start, start + n)


def write_rows(rows: fast.Rows, values: list[dict[str, Any]], what: str, summary: str) -> None:
    """One batch of rows given as attribute dicts (ids included) and one audit entry, in one transaction."""
    with transaction.atomic():
        rows.insert([rows.row(v) for v in values])
        record(ACTOR, "synth.bulk_create", object_type=what, summary=summary, batch_size=len(values))


# 依申请公开 ----------------------------------------------------------------------------------------


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


class Requests:
    def __init__(self, s: Synth) -> None:
        self.s = s
        self.calendar = get_calendar()
        self.codes = {r: outcomes.codes_for_regime(r) for r in ("2008", "2019")}
        self.weights = {
            r: [8 if ".disclosed" in c or "already" in c else 1 for c in self.codes[r]] for r in self.codes
        }

    def case(self) -> dict[str, Any]:
        s, rng = self.s, self.s.rng
        received = s.day()
        body = s.picker.body(received)
        regime = "2008" if received < REFORM_2019 else "2019"
        extend = rng.random() < 0.07
        deadline = compute_deadline(
            received,
            regime=regime,
            extend=(15 if regime == "2008" else 20) if extend else 0,
            calendar=self.calendar,
        )
        answered = self._answer_day(
            received, deadline.due_date, deadline.extended_due_date if extend else None
        )
        if answered is not None and answered > body.end and body.end < s.last:
            answered = body.end  # a body answers its cases before it is abolished
        if answered is not None and answered > s.last:
            answered = None  # still pending at the end of the range
        outcome = rng.choices(self.codes[regime], weights=self.weights[regime])[0] if answered else ""
        return {
            "body_id": body.org.pk,
            "received_on": received,
            "receipt_date": deadline.receipt_date,
            "channel": _weighted(rng, REQUEST_CHANNELS),
            "applicant_kind": _weighted(rng, APPLICANTS),
            "subject": f"申请公开{rng.choice(SUBJECTS)}",
            "regime": regime,
            "due_date": deadline.due_date,
            "extension_days": deadline.extension_days if extend else 0,
            "extended_due_date": deadline.extended_due_date if extend else None,
            "answered_on": answered,
            "outcome": outcome,
            "state": CaseState.ANSWERED if answered else CaseState.RECEIVED,
        }

    def _answer_day(self, received: dt.date, due: dt.date, extended: dt.date | None) -> dt.date | None:
        rng = self.s.rng
        if (self.s.last - received).days < 25 and rng.random() < 0.7:
            return None  # received in the last weeks of the range: mostly not answered yet
        roll = rng.random()
        if roll < 0.003:
            return None  # a rare case left open for years (a realistic defect the report shows as overdue)
        if extended is not None and roll < 0.5:
            return due + dt.timedelta(days=rng.randint(1, max(1, (extended - due).days)))
        if roll < 0.033:
            return due + dt.timedelta(days=rng.randint(1, 20))  # late (about 3 %)
        return received + dt.timedelta(days=rng.randint(0, max(0, (due - received).days)))


def requests(s: Synth, n: int) -> int:
    gen = Requests(s)
    people = ApplicantMaker(s.rng)  # identifiers encrypted once, reused (gongkai/synth/applicants.py)
    bar = Progress("cases", n)
    rows = fast.Rows(InformationRequest)
    for size in s.batches(n):
        cases = [gen.case() for _ in range(size)]
        applicants = [people.row(case["applicant_kind"]) for case in cases]
        applicant_ids = write_applicants(applicants, _ids(Applicant, size).start)
        for pk, applicant_id, case in zip(_ids(InformationRequest, size), applicant_ids, cases, strict=True):
            case["id"], case["applicant_id"] = pk, applicant_id
        write_rows(rows, cases, "cases.informationrequest", "合成数据：政府信息公开申请")
        _remedies_and_fees(s, cases)
        bar.advance(size)
    return n


def _remedies_and_fees(s: Synth, cases: list[dict[str, Any]]) -> None:
    rng = s.rng
    reviews: list[AdministrativeReview] = []
    suits: list[Lawsuit] = []
    fees: list[FeeCollected] = []
    for case in cases:
        answered = case["answered_on"]
        if answered is None:
            continue
        who = {"body_id": case["body_id"], "request_id": case["id"]}
        roll = rng.random()
        if roll < 0.025:
            reviews.append(AdministrativeReview(**who, **_remedy(rng, answered, s.last, 30)))
        elif roll < 0.035:
            suits.append(Lawsuit(**who, **_remedy(rng, answered, s.last, 60)))
        elif roll < 0.04 and case["regime"] == "2008":
            fees.append(
                FeeCollected(**who, amount_yuan=Decimal(rng.choice((10, 25, 60, 120))), collected_on=answered)
            )
    for model, rows, what in (
        (AdministrativeReview, reviews, "cases.administrativereview"),
        (Lawsuit, suits, "cases.lawsuit"),
        (FeeCollected, fees, "cases.feecollected"),
    ):
        if rows:
            write(model, rows, what, "合成数据：行政复议、行政诉讼和收费")


def _remedy(rng: random.Random, answered: dt.date, last: dt.date, after: int) -> dict[str, Any]:
    filed = answered + dt.timedelta(days=rng.randint(5, after))
    decided = filed + dt.timedelta(days=rng.randint(30, 120))
    if filed > last:
        filed = last
    if decided > last:
        return {"filed_on": filed, "decided_on": None, "outcome": RemedyOutcome.PENDING}
    outcome = rng.choices(
        [RemedyOutcome.UPHELD, RemedyOutcome.CORRECTED, RemedyOutcome.OTHER], weights=[7, 2, 1]
    )[0]
    return {"filed_on": filed, "decided_on": decided, "outcome": outcome}


# 互动回应 -----------------------------------------------------------------------------------------


def hotline(s: Synth, n: int) -> int:
    """Hotline tickets, and a mailbox letter for every fourth ticket."""
    rng = s.rng
    bar = Progress("tickets", n)
    call_rows, letter_rows = fast.Rows(Ticket), fast.Rows(MailboxLetter)
    for size in s.batches(n):
        calls: list[dict[str, Any]] = []
        letters: list[dict[str, Any]] = []
        for i in range(size):
            day = s.day()
            body = s.picker.body(day)
            at = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)), TZ)
            done = (
                at + dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8))
                if rng.random() < 0.95
                else None
            )
            calls.append(
                {
                    "source": Source.SYNTH,
                    "body_id": body.org.pk,
                    "received_at": at,
                    "status": TicketStatus.COMPLETED if done else TicketStatus.RECEIVED,
                    "completed_at": done,
                    "topic": rng.choice(HOTLINE_TOPICS),
                }
            )
            if i % 4 == 0:
                replied = day + dt.timedelta(days=rng.randint(1, 25)) if rng.random() < 0.97 else None
                letters.append(
                    {
                        "body_id": body.org.pk,
                        "received_at": at,
                        "received_on": day,
                        "due_on": reply_due(day),
                        "state": "closed" if replied else "accepted",
                        "replied_on": replied,
                    }
                )
        for model, values in ((Ticket, calls), (MailboxLetter, letters)):
            for pk, v in zip(_ids(model, len(values)), values, strict=True):
                v["id"] = pk
        for v in calls:
            v["number"] = f"S{v['id']}"
        write_rows(call_rows, calls, "hotline.ticket", "合成数据：12345热线工单")
        write_rows(letter_rows, letters, "mailbox.letter", "合成数据：信箱来信")
        bar.advance(size)
    return n


def concern_and_figures(s: Synth) -> int:
    """Per people's government and year: a few public-concern events with responses; yearly figures for
    every body existing in the year."""
    rng = s.rng
    events, actions_for, figures = [], [], []
    for b in s.bodies:
        for year in range(b.start.year, b.end.year + 1):
            figures.append(
                YearlyFigures(
                    body=b.org,
                    year=year,
                    fulltime_staff=rng.randint(0, 2),
                    parttime_staff=rng.randint(1, 3),
                    meetings=rng.randint(0, 4),
                    training_sessions=rng.randint(0, 3),
                    people_trained=rng.randint(0, 60),
                )
            )
            if b.org.kind not in GOVERNMENTS:
                continue
            for _ in range(rng.randint(0, 4)):
                day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if b.start <= day <= b.end:
                    events.append(
                        PublicConcernEvent(
                            body=b.org, title=f"关于{rng.choice(SUBJECTS)}的社会关注", noticed_on=day
                        )
                    )
                    actions_for.append(rng.choice([k for k in ResponseKind if k != ResponseKind.ARTICLE]))
    created = write(PublicConcernEvent, events, "engagement.publicconcernevent", "合成数据：社会关注事件")
    actions = [
        ResponseAction(
            body=e.body,
            event=e,
            kind=k,
            held_on=min(e.noticed_on + dt.timedelta(days=2), s.last),
            principal_leader=k == ResponseKind.PRESS_CONFERENCE and rng.random() < 0.3,
        )
        for e, k in zip(created, actions_for, strict=True)
    ]
    write(ResponseAction, actions, "engagement.responseaction", "合成数据：回应解读")
    write(YearlyFigures, figures, "engagement.yearlyfigures", "合成数据：机构、经费、会议和培训")
    return len(events) + len(figures)


Step = Callable[[Synth, int], int]
