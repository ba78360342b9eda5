"""The demo city's 2014 catalog: channels and 115144 published items whose statistics equal the seed.

Every item has a primary channel; some website items also went out on a second channel (the gazette,
Weibo, WeChat), which is why the channel rows add up to more than the total (statutory-reference §3.1)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from gongkai import bulkrows as fast
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
from gongkai.demo import seed2014 as seed
from gongkai.demo.texts import make_text, make_title
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.workdays.calendar import WorkCalendar


@dataclass
class Item:
    body: Organisation
    primary: Channel
    published_on: dt.date | None
    document: bool = False
    normative: bool = False
    interpretation: bool = False
    secondary: list[Channel] = field(default_factory=list)


@dataclass
class Channels:
    portal: Channel
    gazette: Channel
    website: dict[int, Channel]
    weibo: dict[int, Channel]
    wechat: dict[int, Channel]
    other: dict[int, Channel]

    def own_or_government(
        self, accounts: dict[int, Channel], body: Organisation, city: Organisation
    ) -> Channel:
        """A body's own account, else its government's (county or city)."""
        if body.pk in accounts:
            return accounts[body.pk]
        if body.parent_id in accounts:
            return accounts[body.parent_id]
        return accounts[city.pk]


def create_channels(city: Organisation, bodies: list[Organisation]) -> Channels:
    kinds = {k.code: k for k in ChannelKind.objects.all()}
    rows: list[Channel] = []
    portal = Channel(
        name="许昌市人民政府门户网站",
        kind=kinds["website"],
        owner=city,
        is_portal=True,
        url="http://www.xuchang.gov.cn/",
    )
    gazette = Channel(name="许昌市人民政府公报", kind=kinds["gazette"], owner=city)
    rows += [portal, gazette]
    website: dict[int, Channel] = {city.pk: portal}
    weibo: dict[int, Channel] = {}
    wechat: dict[int, Channel] = {}
    other: dict[int, Channel] = {}
    for body in bodies:
        if body.kind != OrgKind.GENERAL_OFFICE and body.pk != city.pk:
            website[body.pk] = Channel(
                name=f"{body.name}网站",
                kind=kinds["website"],
                owner=body,
                is_portal=body.kind == OrgKind.COUNTY,
            )
        if body.kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY} or body.pk % 3 == 0:
            weibo[body.pk] = Channel(name=f"{body.display_name}政务微博", kind=kinds["weibo"], owner=body)
        if body.kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY} or body.pk % 4 == 0:
            wechat[body.pk] = Channel(name=f"{body.display_name}微信公众号", kind=kinds["wechat"], owner=body)
        other[body.pk] = Channel(name=f"{body.display_name}政务公开栏", kind=kinds["noticeboard"], owner=body)
    rows += [c for c in website.values() if c is not portal] + list(weibo.values()) + list(wechat.values())
    rows += list(other.values())
    Channel.objects.bulk_create(rows)
    return Channels(portal, gazette, website, weibo, wechat, other)


def weighted(
    rng: random.Random, bodies: list[Organisation], weights: dict[int, int], n: int
) -> list[Organisation]:
    return rng.choices(bodies, weights=[weights[b.pk] for b in bodies], k=n)


class CatalogBuilder:
    def __init__(
        self,
        rng: random.Random,
        city: Organisation,
        bodies: list[Organisation],
        weights: dict[int, int],
        calendar: WorkCalendar,
    ) -> None:
        self.rng = rng
        self.city = city
        self.bodies = bodies
        self.weights = weights
        self.general_office = next(
            b for b in bodies if b.parent_id == city.pk and b.kind == OrgKind.GENERAL_OFFICE
        )
        year_days = [dt.date(seed.YEAR, 1, 1) + dt.timedelta(days=i) for i in range(365)]
        self.working_days = [d for d in year_days if calendar.is_working_day(d)]
        self.all_days = year_days

    def plan(self, ch: Channels) -> list[Item]:
        rng, city, office = self.rng, self.city, self.general_office
        items: list[Item] = []
        # The city portal: the city's documents, other city-government items, departments' items.
        docs = [
            Item(
                city if i % 2 else office, ch.portal, None, document=True, normative=i < seed.PORTAL_NORMATIVE
            )
            for i in range(seed.PORTAL_DOCUMENTS)
        ]
        for item in docs[: seed.SECONDARY["gazette"]]:
            item.secondary.append(ch.gazette)
        city_rest = seed.PORTAL_ITEMS - seed.PORTAL_DOCUMENTS - seed.PORTAL_DEPARTMENT_ITEMS
        items += docs
        items += [Item(rng.choice([city, office]), ch.portal, None) for _ in range(city_rest)]
        city_departments = [b for b in self.bodies if b.parent_id == city.pk and b.kind == OrgKind.DEPARTMENT]
        items += [
            Item(b, ch.portal, None)
            for b in weighted(rng, city_departments, self.weights, seed.PORTAL_DEPARTMENT_ITEMS)
        ]
        # Every other body's own website.
        others = [
            b for b in self.bodies if b.pk not in {city.pk, office.pk} and b.kind != OrgKind.GENERAL_OFFICE
        ]
        own_site = seed.CHANNELS["website"] - seed.PORTAL_ITEMS
        items += [Item(b, ch.website[b.pk], None) for b in weighted(rng, others, self.weights, own_site)]
        # New media and other ways.
        for name, accounts in (("weibo", ch.weibo), ("wechat", ch.wechat)):
            n = seed.CHANNELS[name] - seed.SECONDARY.get(name, 0)
            items += [
                Item(b, ch.own_or_government(accounts, b, city), None)
                for b in weighted(rng, self.bodies, self.weights, n)
            ]
        items += [
            Item(b, ch.other[b.pk], None)
            for b in weighted(rng, self.bodies, self.weights, seed.CHANNELS["other"])
        ]
        assert len(items) == seed.ITEMS
        self._mark_departmental(items, ch)
        self._secondary_new_media(items, ch)
        self._dates(items)
        return items

    def _mark_departmental(self, items: list[Item], ch: Channels) -> None:
        """Normative documents and interpretations among the bodies' own website items."""
        site_items = [i for i in items if i.primary is not ch.portal and i.primary.kind.code == "website"]
        picks = self.rng.sample(
            site_items, seed.NORMATIVE_PUBLISHED - seed.PORTAL_NORMATIVE + seed.INTERPRETATIONS
        )
        for item in picks[: seed.NORMATIVE_PUBLISHED - seed.PORTAL_NORMATIVE]:
            item.document = item.normative = True
        for item in picks[seed.NORMATIVE_PUBLISHED - seed.PORTAL_NORMATIVE :]:
            item.interpretation = True

    def _secondary_new_media(self, items: list[Item], ch: Channels) -> None:
        candidates = [
            i for i in items if i.primary.kind.code == "website" and not i.secondary and not i.document
        ]
        picks = self.rng.sample(candidates, seed.SECONDARY["weibo"] + seed.SECONDARY["wechat"])
        for n, item in enumerate(picks):
            accounts = ch.weibo if n < seed.SECONDARY["weibo"] else ch.wechat
            item.secondary.append(ch.own_or_government(accounts, item.body, self.city))

    def _dates(self, items: list[Item]) -> None:
        for item in items:
            days = self.all_days if item.primary.kind.code in {"weibo", "wechat"} else self.working_days
            item.published_on = self.rng.choice(days)


def build_publications(builder: CatalogBuilder, items: list[Item]) -> tuple[int, int]:
    """Create the planned items (plus the normative documents issued but never published); returns
    (publications, postings) counts."""
    rng = builder.rng
    genres = {g.code: g for g in Genre.objects.all()}
    topics = list(Topic.objects.filter(parent__isnull=True))
    areas = list(KeyArea.objects.all())
    unpublished = [
        Item(b, items[0].primary, None, document=True, normative=True)
        for b in weighted(
            rng, builder.bodies, builder.weights, seed.NORMATIVE_ISSUED - seed.NORMATIVE_PUBLISHED
        )
    ]
    ordered = sorted(items, key=lambda i: i.published_on or dt.date.max) + unpublished
    serials: dict[int, int] = defaultdict(int)
    doc_numbers: dict[int, int] = defaultdict(int)
    pubs: list[Publication] = []
    for item in ordered:
        pubs.append(_publication(rng, builder, item, genres, topics, areas, serials, doc_numbers))
    # Ids first, so interpretations can point at their policies before anything is written; then one prepared
    # INSERT per table (gongkai.bulkrows: bulk_create's per-value compiling took most of the demo's load time).
    fast.assign_ids(pubs, fast.next_id(Publication))
    _link_interpretations(rng, ordered, pubs)
    fast.insert(Publication, pubs)
    postings = [
        PublicationChannel(publication=pub, channel=channel, published_on=pub.published_on)
        for item, pub in zip(ordered, pubs, strict=True)
        if pub.published_on is not None
        for channel in [item.primary, *item.secondary]
    ]
    fast.assign_ids(postings, fast.next_id(PublicationChannel))
    fast.insert(PublicationChannel, postings)
    fast.reset_sequences(Publication, PublicationChannel)
    return len(pubs), len(postings)


def _publication(
    rng: random.Random,
    builder: CatalogBuilder,
    item: Item,
    genres: dict[str, Genre],
    topics: list[Topic],
    areas: list[KeyArea],
    serials: dict[int, int],
    doc_numbers: dict[int, int],
) -> Publication:
    body = item.body
    serials[body.pk] += 1
    area = rng.choice(areas)
    genre = genres[_genre_code(rng, item)]
    published = item.published_on
    made = _made_on(rng, item)
    number = ""
    if item.document:
        doc_numbers[body.pk] += 1
        number = f"{_doc_prefix(body)}〔{seed.YEAR}〕{doc_numbers[body.pk]}号"
    title = make_title(rng, genre.code, area.code, body.name, seed.YEAR)  # other genres use 其他's patterns
    return Publication(
        body=body,
        index_code=body.org_code,
        index_year=seed.YEAR,
        index_serial=serials[body.pk],
        title=title,
        text=make_text(rng, area.code, body.name, seed.YEAR),
        document_number=number,
        made_on=made,
        published_on=published,
        topic=rng.choice(topics),
        genre=genre,
        key_area=area,
        normative_kind=NormativeKind.NORMATIVE if item.normative else NormativeKind.NONE,
        status=PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT,
        issued_on=made if item.normative else None,
    )


def _genre_code(rng: random.Random, item: Item) -> str:
    """An interpretation is 解读; a document a kind of official document (a normative one 通知, 意见, 决定 or
    令); anything else mostly 其他."""
    if item.interpretation:
        return Genre.INTERPRETATION
    if item.document:
        kinds = (
            ["tongzhi", "yijian", "jueding", "ling"]
            if item.normative
            else ["tongzhi", "yijian", "pifu", "han", "tongbao"]
        )
        return rng.choice(kinds)
    return rng.choice(["qita", "qita", "qita", "gonggao", "tongbao", "baogao", "jiyao"])


def _made_on(rng: random.Random, item: Item) -> dt.date:
    """Made up to ten days before publication (the year's end for an unpublished item); a normative document
    not before the year began."""
    latest = item.published_on or dt.date(seed.YEAR, 12, 31)
    made = latest - dt.timedelta(days=rng.randint(0, 10))
    return max(dt.date(seed.YEAR, 1, 1), made) if item.normative else made


def _doc_prefix(body: Organisation) -> str:
    """Document-number prefixes in the local style: 许政, 许政办, 许教, 魏政, 魏政办, 魏教 …"""
    if body.kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY}:
        return f"{body.display_name[0]}政"
    parent = body.parent
    assert parent is not None
    place = "许" if parent.kind == OrgKind.GOVERNMENT else parent.display_name[0]
    if body.kind == OrgKind.GENERAL_OFFICE:
        return f"{place}政办"
    own = body.display_name.removeprefix("市").removeprefix(parent.display_name)
    return f"{place}{own[0]}"


def _link_interpretations(rng: random.Random, items: list[Item], pubs: list[Publication]) -> None:
    """Each interpretation explains a document published on or before its own date."""
    documents = [p for i, p in zip(items, pubs, strict=True) if i.document and p.published_on is not None]
    documents.sort(key=lambda p: p.published_on)  # type: ignore[arg-type, return-value]
    for item, pub in zip(items, pubs, strict=True):
        if not item.interpretation:
            continue
        earlier = [d for d in documents if d.published_on <= pub.published_on] or documents[:1]  # type: ignore[operator]
        policy = rng.choice(earlier)
        pub.interprets = policy
        pub.published_on = max(pub.published_on, policy.published_on)  # type: ignore[type-var]
        pub.title = f"《{policy.title}》政策解读"
