"""The demo city's catalog for 2024 and 2025, with the history Table 2 needs (issue 4, deliverable 2).

- Items of 2024 and 2025 across the bodies that exist then: normative documents (行政规范性文件; 规章 by the city
  government only, as a districted city's rules are its government's orders), other documents with numbers,
  interpretations (解读) linked to the policy they explain, and news, notices and statistics.
- Normative documents issued from 2015 to 2023 by the bodies of the time (including those merged in the 2017 and
  2019 reforms), some repealed before 2024, some in 2024 or 2025, the rest still in force, so that 现行有效
  carries over from year to year (in force = previous in force + issued − repealed).
- Every item is published on at least one channel within (mostly) 20 working days of being made (2019 art 26),
  after a passed confidentiality review (保密审查, 2019 art 17) by a staff member of its body who may review, else
  the city office's head, dated on or before publication.
- ``ProactiveFigures`` for 2023 (the source of 2024's 上一年项目数量), 2024 and 2025 for every body existing then.

Deterministic (its own seeded generator; no date depends on the day the demo is loaded); bulk inserts with one
audit entry per batch. No item is dated in 2014, so the 2014 figures are untouched.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max

from gongkai.accounts.models import Role, StaffProfile
from gongkai.audit.log import record
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    ConfidentialityReview,
    Genre,
    KeyArea,
    NormativeKind,
    ProactiveFigures,
    Publication,
    PublicationChannel,
    PublicationStatus,
    ReviewConclusion,
    Topic,
)
from gongkai.demo.catalog2014 import _doc_prefix
from gongkai.demo.city import CITY_NAME, body_specs
from gongkai.demo.texts import make_text, make_title
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.workdays.calendar import WorkCalendar

ACTOR = "demo"
RANDOM_SEED = 2024
YEARS = (2024, 2025)
ITEMS_PER_YEAR = {2024: 2400, 2025: 2600}
NORMATIVE_PER_YEAR = {2024: 64, 2025: 70}
HISTORY = range(2015, 2024)
HISTORY_NORMATIVE_PER_YEAR = 32
RULES_FROM = 2016  # the city's first government rules (规章)
FIGURE_YEARS = (2023, 2024, 2025)
LAST_DAY = dt.date(2025, 12, 31)
BATCH = 2000


@dataclass
class Item:
    kind: str  # rule | normative | document | interpretation | other
    body: Organisation
    made_on: dt.date
    published_on: dt.date
    channels: list[Channel]
    repealed_on: dt.date | None = None
    policy: Item | None = None
    pub: Publication | None = field(default=None, repr=False)


class World:
    """What the generator reads once: bodies, weights, channels, vocabularies, reviewers, working days."""

    def __init__(self, orgs: Iterable[Organisation], calendar: WorkCalendar) -> None:
        self.orgs = sorted(orgs, key=lambda o: o.pk)
        self.city = next(o for o in self.orgs if o.name == CITY_NAME)
        self.office = next(
            o for o in self.orgs if o.parent_id == self.city.pk and o.kind == OrgKind.GENERAL_OFFICE
        )
        self.weights = _weights(self.orgs)
        self.calendar = calendar
        self.channels = _channels(self.orgs, self.city)
        self.genres = {g.code: g for g in Genre.objects.all()}
        self.topics = list(Topic.objects.filter(parent__isnull=True).order_by("code"))
        self.areas = list(KeyArea.objects.order_by("code"))
        self.reviewers = _reviewers(self.city)
        self._working: dict[int, list[dt.date]] = {}

    def bodies_on(self, day: dt.date) -> list[Organisation]:
        return [o for o in self.orgs if o.is_valid_on(day) and self.weights.get(o.pk, 0) > 0]

    def pick(self, rng: random.Random, bodies: list[Organisation], n: int) -> list[Organisation]:
        return rng.choices(bodies, weights=[self.weights[b.pk] for b in bodies], k=n)

    def working_days(self, year: int) -> list[dt.date]:
        if year not in self._working:
            self._working[year] = self.calendar.working_days_in(dt.date(year, 1, 1), dt.date(year, 12, 31))
        return self._working[year]

    def channel(self, body: Organisation, kind: str) -> Channel:
        """The body's own channel of a kind, else its parent's, else the city's (the portal for websites)."""
        for owner in (body.pk, body.parent_id, self.city.pk):
            found = self.channels.get((owner, kind)) if owner is not None else None
            if found is not None:
                return found
        raise LookupError(kind)


def _weights(orgs: list[Organisation]) -> dict[int, int]:
    """The city's shares of records; a body created in a reform takes over its predecessors' shares."""
    specs = body_specs()
    by_name = {s.name: s.weight for s in specs}
    for spec in specs:
        if spec.successor:
            by_name[spec.successor] = by_name.get(spec.successor, 0) + spec.weight
    return {o.pk: by_name.get(o.name, 0) for o in orgs}


def _channels(orgs: list[Organisation], city: Organisation) -> dict[tuple[int, str], Channel]:
    """The 2014 channels, plus a website, a notice board and (for a government) new-media accounts for the
    bodies created since (建安区 and its departments, the merged departments of 2019)."""
    kinds = {k.code: k for k in ChannelKind.objects.all()}
    found: dict[tuple[int, str], Channel] = {}
    for channel in Channel.objects.select_related("kind").order_by("pk"):
        key = (channel.owner_id, "gazette" if channel.kind.code == "gazette" else channel.kind.code)
        found.setdefault(key, channel)
    found[(city.pk, "website")] = next(
        c for c in Channel.objects.filter(owner=city, is_portal=True).order_by("pk")
    )
    new: list[Channel] = []
    for org in orgs:
        if org.valid_to is not None or (org.pk, "noticeboard") in found:
            continue
        wanted = ["website", "noticeboard"] + (["weibo", "wechat"] if org.kind == OrgKind.COUNTY else [])
        for kind in wanted:
            suffix = {
                "website": "网站",
                "noticeboard": "政务公开栏",
                "weibo": "政务微博",
                "wechat": "微信公众号",
            }
            name = (org.name if kind == "website" else org.display_name) + suffix[kind]
            channel = Channel(
                name=name,
                kind=kinds[kind],
                owner=org,
                is_portal=kind == "website" and org.kind == OrgKind.COUNTY,
            )
            new.append(channel)
            found[(org.pk, kind)] = channel
    Channel.objects.bulk_create(new)
    if new:
        record(
            ACTOR,
            "demo.bulk_create",
            object_type="catalog.channel",
            summary="演示数据：新设机关的发布渠道",
            batch_size=len(new),
        )
    return found


def _reviewers(city: Organisation) -> dict[int, User]:
    """Per body, a demo user who may review (reviewer, office head or admin of that body); ``city.pk`` maps to
    the city office's head, who reviews for bodies without their own."""
    profiles = StaffProfile.objects.filter(
        role__in=[Role.REVIEWER, Role.OFFICE_HEAD, Role.ADMIN]
    ).select_related("user")
    reviewers: dict[int, User] = {}
    for profile in profiles.order_by("pk"):
        reviewers.setdefault(profile.body_id, profile.user)
    if city.pk not in reviewers:
        raise LookupError("the demo needs an office head of the city government to review items")
    return reviewers


# Planning --------------------------------------------------------------------------------------------------


def _published_after(rng: random.Random, world: World, made: dt.date) -> dt.date:
    """Usually within 20 working days (2019 art 26); a few late ones for the timeliness check to flag."""
    days = rng.randint(21, 28) if rng.random() < 0.04 else rng.randint(1, 15)
    return min(world.calendar.add_working_days(made, days), LAST_DAY)


def _issue_days(world: World, year: int) -> list[dt.date]:
    """Working days a document of ``year`` may be made on (2025's are published by the end of 2025)."""
    days = world.working_days(year)
    return [d for d in days if d <= dt.date(2025, 11, 28)] if year == YEARS[-1] else days


def _normative(rng: random.Random, world: World, year: int, n: int) -> list[Item]:
    items = []
    days = _issue_days(world, year)
    for _i in range(n):
        made = rng.choice(days)
        body = world.pick(rng, world.bodies_on(made), 1)[0]
        channels = [world.channel(body, "website")]
        if body.pk in {world.city.pk, world.office.pk}:
            channels.append(world.channel(world.city, "gazette"))
        items.append(Item("normative", body, made, _published_after(rng, world, made), channels))
    return items


def _rules(rng: random.Random, world: World, year: int) -> list[Item]:
    """The city government's rules (政府令), two or three a year."""
    if year < RULES_FROM:
        return []
    days = _issue_days(world, year)
    channels = [world.channel(world.city, "website"), world.channel(world.city, "gazette")]
    return [
        Item("rule", world.city, made, _published_after(rng, world, made), list(channels))
        for made in sorted(rng.sample(days, rng.choice((2, 2, 3))))
    ]


def _repeal_on(rng: random.Random, world: World, item: Item) -> dt.date | None:
    """Documents of 2015-2023: about a third repealed before 2024, some in 2024 or 2025, the rest in force;
    a few of 2024's replaced in 2025. Rules are repealed less often."""
    scale = 0.4 if item.kind == "rule" else 1.0
    roll = rng.random() / scale
    issued = item.made_on
    if issued.year >= YEARS[0]:
        years: tuple[int, ...] = (2025,) if issued.year == 2024 and roll < 0.06 else ()
    elif roll < 0.35:
        years = tuple(range(issued.year + 2, YEARS[0]))
    elif roll < 0.5:
        years = (2024,)
    elif roll < 0.62:
        years = (2025,)
    else:
        years = ()
    days = [d for y in years for d in world.working_days(y) if d > issued]
    return rng.choice(days) if days else None


def _interpretations(rng: random.Random, world: World, policies: list[Item], share: float) -> list[Item]:
    """解读 of a share of the policies, by the same body (the city's by its general office), published with
    the policy or a few working days after it."""
    items = []
    for policy in policies:
        if rng.random() >= share:
            continue
        body = world.office if policy.body.pk == world.city.pk else policy.body
        published = min(world.calendar.add_working_days(policy.published_on, rng.randint(0, 3)), LAST_DAY)
        published = max(published, policy.published_on)
        items.append(
            Item(
                "interpretation",
                body,
                policy.published_on,
                published,
                [world.channel(body, "website")],
                policy=policy,
            )
        )
    return items


def _documents(rng: random.Random, world: World, year: int, n: int) -> list[Item]:
    """Numbered documents that are not normative (通知, 批复, 函 …) on the body's website."""
    days = _issue_days(world, year)
    bodies = world.bodies_on(dt.date(year, 1, 1))
    items = []
    for body in world.pick(rng, bodies, n):
        made = rng.choice(days)
        items.append(
            Item("document", body, made, _published_after(rng, world, made), [world.channel(body, "website")])
        )
    return items


def _others(rng: random.Random, world: World, year: int, n: int) -> list[Item]:
    """News, notices, guides and statistics: on a website, new media or a notice board; some website items go
    out on Weibo or WeChat too."""
    working = world.working_days(year)
    every_day = [
        dt.date(year, 1, 1) + dt.timedelta(days=i)
        for i in range((dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1)
    ]
    bodies = world.bodies_on(dt.date(year, 1, 1))
    items = []
    for body in world.pick(rng, bodies, n):
        roll = rng.random()
        kind = (
            "website"
            if roll < 0.62
            else "weibo"
            if roll < 0.72
            else "wechat"
            if roll < 0.82
            else "noticeboard"
        )
        published = rng.choice(every_day if kind in {"weibo", "wechat"} else working)
        channels = [world.channel(body, kind)]
        if kind == "website" and rng.random() < 0.08:
            channels.append(world.channel(body, rng.choice(("weibo", "wechat"))))
        made = max(published - dt.timedelta(days=rng.randint(0, 10)), dt.date(year, 1, 1))
        items.append(Item("other", body, made, published, channels))
    return items


def plan(rng: random.Random, world: World) -> list[Item]:
    """Every item of 2015-2025 this module creates (the 2014 catalog is catalog2014's)."""
    items: list[Item] = []
    for year in HISTORY:
        policies = _rules(rng, world, year) + _normative(rng, world, year, HISTORY_NORMATIVE_PER_YEAR)
        items += policies + _interpretations(rng, world, policies, 0.5)
    for year in YEARS:
        policies = _rules(rng, world, year) + _normative(rng, world, year, NORMATIVE_PER_YEAR[year])
        documents = _documents(rng, world, year, ITEMS_PER_YEAR[year] // 7)
        explained = _interpretations(rng, world, policies, 0.7) + _interpretations(
            rng, world, documents, 0.08
        )
        planned = policies + documents + explained
        items += planned + _others(rng, world, year, ITEMS_PER_YEAR[year] - len(planned))
    for item in items:
        if item.kind in {"rule", "normative"}:
            item.repealed_on = _repeal_on(rng, world, item)
    return items


# Creating --------------------------------------------------------------------------------------------------


class Numbers:
    """Index serials (continuing any already taken), document numbers per body and year, rule numbers."""

    def __init__(self) -> None:
        taken = (
            Publication.objects.filter(index_year__gte=HISTORY[0])
            .order_by()
            .values_list("index_code", "index_year")
            .annotate(last=Max("index_serial"))
        )
        self.serials: dict[tuple[str, int], int] = defaultdict(int)
        for code, year, last in taken:
            self.serials[(code, year)] = last
        self.documents: dict[tuple[int, int], int] = defaultdict(int)
        self.rules = 0

    def serial(self, body: Organisation, year: int) -> int:
        self.serials[(body.org_code, year)] += 1
        return self.serials[(body.org_code, year)]

    def document_number(self, item: Item) -> str:
        year = item.made_on.year
        if item.kind == "rule":
            self.rules += 1
            return f"许昌市人民政府令第{self.rules}号"
        if item.kind not in {"normative", "document"}:
            return ""
        self.documents[(item.body.pk, year)] += 1
        return f"{_doc_prefix(item.body)}〔{year}〕{self.documents[(item.body.pk, year)]}号"


GENRE_CHOICES = {
    "rule": ("ling",),
    "normative": ("tongzhi", "yijian", "jueding", "tongzhi"),
    "document": ("tongzhi", "yijian", "pifu", "han", "tongbao"),
    "interpretation": ("jiedu",),
    "other": ("qita", "qita", "qita", "gonggao", "tongbao", "baogao", "jiyao"),
}


def _publication(rng: random.Random, world: World, item: Item, numbers: Numbers) -> Publication:
    body, year = item.body, item.made_on.year
    area = rng.choice(world.areas)
    genre = world.genres[rng.choice(GENRE_CHOICES[item.kind])]
    if item.kind == "interpretation" and item.policy is not None and item.policy.pub is not None:
        title = f"《{item.policy.pub.title}》政策解读"
    else:
        org = "许昌市" if item.kind == "rule" else body.name
        title = make_title(rng, genre.code, area.code, org, year)
    normative = {"rule": NormativeKind.RULE, "normative": NormativeKind.NORMATIVE}.get(
        item.kind, NormativeKind.NONE
    )
    return Publication(
        body=body,
        index_code=body.org_code,
        index_year=year,
        index_serial=numbers.serial(body, year),
        title=title,
        text=make_text(rng, area.code, body.name, year),
        document_number=numbers.document_number(item),
        keywords=area.name,
        made_on=item.made_on,
        published_on=item.published_on,
        topic=rng.choice(world.topics),
        genre=genre,
        key_area=area,
        normative_kind=normative,
        issued_on=item.made_on if normative else None,
        repealed_on=item.repealed_on,
        status=PublicationStatus.PUBLISHED,
    )


def _review(rng: random.Random, world: World, item: Item) -> ConfidentialityReview:
    """A passed review of version 1 by a reviewer of the body (else the city office), on or before the day of
    publication and not before the item was made."""
    assert item.pub is not None
    reviewer = world.reviewers.get(item.body.pk) or world.reviewers[world.city.pk]
    day = max(item.published_on - dt.timedelta(days=rng.randint(0, 3)), item.made_on)
    return ConfidentialityReview(
        publication=item.pub,
        version=1,
        reviewer=reviewer,
        reviewed_on=min(day, item.published_on),
        conclusion=ReviewConclusion.PASSED,
    )


def create(rng: random.Random, world: World, items: list[Item]) -> dict[str, int]:
    """Bulk-insert the items (in publication order, so serials follow it), their postings and reviews; link
    interpretations to their policies."""
    items = sorted(items, key=lambda i: i.published_on)
    numbers = Numbers()
    for item in items:  # a policy's title is needed by its interpretation: policies first, then the rest
        if item.kind != "interpretation":
            item.pub = _publication(rng, world, item, numbers)
    for item in items:
        if item.kind == "interpretation":
            item.pub = _publication(rng, world, item, numbers)
    pubs = [i.pub for i in items if i.pub is not None]
    Publication.objects.bulk_create(pubs, batch_size=BATCH)
    linked = []
    for item in items:
        if item.policy is not None and item.pub is not None:
            item.pub.interprets = item.policy.pub
            linked.append(item.pub)
    Publication.objects.bulk_update(linked, ["interprets"], batch_size=BATCH)
    postings = [
        PublicationChannel(publication=i.pub, channel=c, published_on=i.published_on)
        for i in items
        for c in i.channels
    ]
    PublicationChannel.objects.bulk_create(postings, batch_size=BATCH)
    reviews = [_review(rng, world, i) for i in items]
    ConfidentialityReview.objects.bulk_create(reviews, batch_size=BATCH)
    for what, n, summary in (
        (
            "catalog.publication.recent",
            len(pubs),
            "演示数据：2015—2025年主动公开政府信息（含规范性文件和解读）",
        ),
        ("catalog.publicationchannel", len(postings), "演示数据：2015—2025年渠道发布记录"),
        ("catalog.confidentialityreview", len(reviews), "演示数据：2015—2025年保密审查记录"),
    ):
        record(ACTOR, "demo.bulk_create", object_type=what, summary=summary, batch_size=n)
    return {
        "recent_publications": len(pubs),
        "recent_postings": len(postings),
        "recent_reviews": len(reviews),
    }


# Table 2 figures -------------------------------------------------------------------------------------------


def _profile(rng: random.Random, body: Organisation, weight: int) -> dict[str, Any]:
    """A body's 2023 figures: departments hold most licensing, penalty and enforcement powers."""
    department = body.kind == OrgKind.DEPARTMENT
    government = body.kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY}
    licensing = rng.randint(weight // 4, weight) if department else rng.randint(0, 3) if government else 0
    service = rng.randint(2, 20) if department else rng.randint(0, 5)
    penalty = rng.randint(weight, weight * 5) if department else 0
    enforcement = rng.randint(0, 15) if department else 0
    fees = rng.randint(0, 6) if department else 0
    return {
        "licensing_items": licensing,
        "service_items": service,
        "penalty_items": penalty,
        "enforcement_items": enforcement,
        "fee_items": fees,
    }


def _year_figures(
    rng: random.Random, body: Organisation, year: int, items: dict[str, int]
) -> ProactiveFigures:
    fee_amount = Decimal(rng.randint(2_000, 9_000_000)) / 10_000 if items["fee_items"] else Decimal(0)
    return ProactiveFigures(
        body=body,
        year=year,
        **items,
        licensing_decisions=items["licensing_items"] * rng.randint(15, 200),
        service_decisions=items["service_items"] * rng.randint(10, 120),
        penalty_decisions=rng.randint(0, items["penalty_items"] * 2),
        enforcement_decisions=rng.randint(0, items["enforcement_items"] * 4),
        fee_amount_wan_yuan=fee_amount,
        procurement_projects=(projects := rng.randint(1, 30)),
        procurement_amount_wan_yuan=Decimal(projects * rng.randint(10_000, 2_000_000)) / 10_000,
    )


def build_figures(rng: random.Random, world: World) -> int:
    """Figures of 2023-2025 for every body existing in the year; item counts drift (mostly down: powers are
    devolved or cancelled), so 本年增/减 is sometimes negative."""
    rows: list[ProactiveFigures] = []
    for body in world.orgs:
        weight = world.weights.get(body.pk, 0)
        if weight == 0:
            continue
        items = _profile(rng, body, weight)
        for year in FIGURE_YEARS:
            if year > FIGURE_YEARS[0]:
                items = {k: max(0, v + rng.randint(-3, 2)) for k, v in items.items()}
            if body.existed_in(year):
                rows.append(_year_figures(rng, body, year, items))
    ProactiveFigures.objects.bulk_create(rows, batch_size=BATCH)
    record(
        ACTOR,
        "demo.bulk_create",
        object_type="catalog.proactivefigures",
        summary="演示数据：2023—2025年主动公开年度数据（表二）",
        batch_size=len(rows),
    )
    return len(rows)


def build_recent_catalog(orgs: Iterable[Organisation], calendar: WorkCalendar) -> dict[str, int]:
    """Create the 2015-2025 catalog and the 2023-2025 Table 2 figures; returns counts by kind."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - deterministic demo data, not security
    world = World(orgs, calendar)
    counts = create(rng, world, plan(rng, world))
    counts["proactive_figures"] = build_figures(rng, world)
    return counts
