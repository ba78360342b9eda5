"""The public catalog (政府信息公开目录): which items the public sees and how they are filtered and counted.

Only published items are public (a draft awaits its confidentiality review; a withdrawn item's page says so and
shows nothing else). Filters are codes in the query string (``?body=…&topic=…&genre=…&area=…&year=…``), so a
filtered list has a stable URL; counts per year, genre and topic are aggregate queries over indexed columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog.models import Genre, KeyArea, Publication, PublicationQuerySet, PublicationStatus, Topic
from gongkai.catalogstats.models import PublishedCount
from gongkai.engagement import interpretations
from gongkai.organisations.models import Organisation

FIRST_YEAR = 1990


def public_items() -> PublicationQuerySet:
    """Published items, including those whose revision awaits review (shown as last published)."""
    return Publication.objects.public()


@dataclass(frozen=True)
class CatalogFilter:
    body: Organisation | None = None
    subtree: bool = False
    topic: Topic | None = None
    genre: Genre | None = None
    area: KeyArea | None = None
    year: int | None = None
    normative: bool = False
    uninterpreted: bool = False  # policies without a public interpretation (gongkai.engagement)

    @classmethod
    def from_params(cls, params: Mapping[str, str], body: Organisation | None = None) -> CatalogFilter:
        """Read the filters; an unknown code is a 404 (a stable URL either names something or nothing)."""
        if body is None and params.get("body"):
            body = _get_or_404(Organisation.objects.filter(org_code=params["body"]), _("机关"))
        topic = (
            _get_or_404(Topic.objects.filter(code=params["topic"]), _("主题分类"))
            if params.get("topic")
            else None
        )
        genre = (
            _get_or_404(Genre.objects.filter(code=params["genre"]), _("体裁"))
            if params.get("genre")
            else None
        )
        area = (
            _get_or_404(KeyArea.objects.filter(code=params["area"]), _("重点领域"))
            if params.get("area")
            else None
        )
        year = _year(params.get("year", ""))
        return cls(
            body=body,
            subtree=params.get("subtree") == "1",
            topic=topic,
            genre=genre,
            area=area,
            year=year,
            normative=params.get("normative") == "1",
            uninterpreted=params.get("uninterpreted") == "1",
        )

    def queryset(self) -> PublicationQuerySet:
        qs = public_items()
        if self.body is not None:
            if self.subtree:
                qs = qs.filter(body__path__startswith=self.body.path)
            else:
                qs = qs.filter(body=self.body)
        if self.topic is not None:
            qs = qs.filter(Q(topic=self.topic) | Q(topic__parent=self.topic))
        if self.genre is not None:
            qs = qs.filter(genre=self.genre)
        if self.area is not None:
            qs = qs.filter(key_area=self.area)
        if self.year is not None:
            qs = qs.filter(
                published_on__gte=dt.date(self.year, 1, 1), published_on__lte=dt.date(self.year, 12, 31)
            )
        if self.normative:
            qs = qs.normative()
        if self.uninterpreted:
            qs = interpretations.without_interpretation(qs)
        return qs

    def params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.body is not None:
            out["body"] = self.body.org_code
        if self.subtree:
            out["subtree"] = "1"
        if self.topic is not None:
            out["topic"] = self.topic.code
        if self.genre is not None:
            out["genre"] = self.genre.code
        if self.area is not None:
            out["area"] = self.area.code
        if self.year is not None:
            out["year"] = str(self.year)
        if self.normative:
            out["normative"] = "1"
        if self.uninterpreted:
            out["uninterpreted"] = "1"
        return out

    def querystring(self, **changes: Any) -> str:
        """The query string of this filter with some filters changed (``None`` removes one)."""
        return urlencode(replace(self, **changes).params())

    @property
    def active(self) -> bool:
        return bool(self.params())


def _get_or_404(qs: Any, what: str) -> Any:
    obj = qs.first()
    if obj is None:
        raise Http404(_("没有这个%(what)s") % {"what": what})
    return obj


def _year(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= timezone.localdate().year + 1:
        raise Http404(_("年份不正确"))
    return int(text)


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int


def facets(flt: CatalogFilter) -> dict[str, list[Facet]]:
    """Counts per year, genre and top-level topic under the other filters, from the count table
    (``gongkai.catalogstats``); filters it does not hold (key area, normative) count the catalog live."""
    if counted(flt) is None:
        return _live_facets(flt)
    genres = {pk: (code, name) for pk, code, name in Genre.objects.values_list("pk", "code", "name")}
    tops = _top_topics()
    by_year = _summed(counted(replace(flt, year=None)), "year")
    by_genre = _summed(counted(replace(flt, genre=None)), "genre_pk")
    by_top: dict[int, int] = {}
    for pk, n in _summed(counted(replace(flt, topic=None)), "topic_pk").items():
        if pk in tops:
            by_top[tops[pk][0]] = by_top.get(tops[pk][0], 0) + n
    top_labels = {top: (code, name) for top, code, name in tops.values()}
    return {
        "year": [Facet(str(y), str(y), n) for y, n in sorted(by_year.items(), reverse=True) if y and n],
        "genre": sorted(
            (Facet(genres[g][0], genres[g][1], n) for g, n in by_genre.items() if g in genres and n),
            key=lambda f: f.key,
        ),
        "topic": sorted(
            (Facet(top_labels[t][0], top_labels[t][1], n) for t, n in by_top.items() if n),
            key=lambda f: f.key,
        ),
    }


def counted(flt: CatalogFilter) -> QuerySet[PublishedCount] | None:
    """The count rows under ``flt`` (a body with its subtree: the sum over the subtree's bodies), or ``None``
    when ``flt`` filters by something the table does not hold."""
    if flt.area is not None or flt.normative or flt.uninterpreted:
        return None
    rows = PublishedCount.objects.all()
    if flt.body is not None:
        rows = (
            rows.filter(body__path__startswith=flt.body.path)
            if flt.subtree
            else rows.filter(body_id=flt.body.pk)
        )
    if flt.topic is not None:
        rows = rows.filter(Q(topic_pk=flt.topic.pk) | Q(topic_pk__in=flt.topic.children.values("pk")))
    if flt.genre is not None:
        rows = rows.filter(genre_pk=flt.genre.pk)
    if flt.year is not None:
        rows = rows.filter(year=flt.year)
    return rows


def total(flt: CatalogFilter) -> int | None:
    """The number of public items under ``flt`` from the count table, or ``None`` (count the catalog)."""
    rows = counted(flt)
    return None if rows is None else int(rows.aggregate(n=Sum("n"))["n"] or 0)


def _summed(rows: Any, field: str) -> dict[int, int]:
    return {r[field]: int(r["total"]) for r in rows.values(field).annotate(total=Sum("n")).order_by()}


def _top_topics() -> dict[int, tuple[int, str, str]]:
    """Every topic's top-level topic: pk → (top pk, top code, top name)."""
    topics = {
        pk: (parent, code, name)
        for pk, parent, code, name in Topic.objects.values_list("pk", "parent_id", "code", "name")
    }
    out = {}
    for pk, (parent, _code, _name) in topics.items():
        top = parent if parent in topics else pk
        out[pk] = (top, topics[top][1], str(topics[top][2]))
    return out


def _live_facets(flt: CatalogFilter) -> dict[str, list[Facet]]:
    """The facets counted over the catalog (filters the count table does not hold: key area, normative)."""
    years = (
        replace(flt, year=None)
        .queryset()
        .annotate(y=ExtractYear("published_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("-y")
    )
    genres = dict(Genre.objects.values_list("code", "name"))
    by_genre = (
        replace(flt, genre=None)
        .queryset()
        .values("genre__code")
        .annotate(n=Count("id"))
        .order_by("genre__code")
    )
    topics = dict(Topic.objects.filter(parent__isnull=True).values_list("code", "name"))
    by_topic = (
        replace(flt, topic=None)
        .queryset()
        .annotate(top=Coalesce("topic__parent__code", "topic__code"))
        .values("top")
        .annotate(n=Count("id"))
        .order_by("top")
    )
    return {
        "year": [Facet(str(r["y"]), str(r["y"]), r["n"]) for r in years if r["y"]],
        "genre": [
            Facet(r["genre__code"], genres[r["genre__code"]], r["n"]) for r in by_genre if r["genre__code"]
        ],
        "topic": [Facet(r["top"], str(topics.get(r["top"], r["top"])), r["n"]) for r in by_topic if r["top"]],
    }


def per_year(body: Organisation, *, subtree: bool, last: int = 8) -> list[tuple[int, int]]:
    """Items published per year, the last ``last`` years that have any (for the trend chart)."""
    rows = counted(CatalogFilter(body=body, subtree=subtree))
    assert rows is not None
    by_year = [(y, n) for y, n in _summed(rows, "year").items() if y and n]
    return sorted(by_year)[-last:]


def per_body() -> dict[int, int]:
    """Public items per body (the list of bodies), from the count table."""
    return _summed(PublishedCount.objects.all(), "body_id")


def document_or_404(index_code: str, year: int, serial: int) -> Publication:
    """A public document by its index number parts; drafts are not public (404)."""
    pub = (
        Publication.objects.select_related("body", "topic__parent", "genre", "key_area", "interprets")
        .filter(index_code=index_code, index_year=year, index_serial=serial)
        .exclude(status=PublicationStatus.DRAFT, published_on__isnull=True)
        .first()
    )
    if pub is None:
        raise Http404(_("没有这条政府信息"))
    return pub


@dataclass(frozen=True)
class TreeRow:
    """A body on the bodies page: its public items, how many bodies it has below it, whether they are shown."""

    org: Organisation
    items: int
    children: int
    expanded: bool
    trail: str = ""


def item_counts(ids: list[int]) -> dict[int, int]:
    """Public items of these bodies only, from the count table (an indexed lookup per body shown)."""
    return _summed(PublishedCount.objects.filter(body_id__in=ids), "body_id")


def body_tree(opened: Organisation | None) -> list[TreeRow]:
    """The bodies page at any size of the tree: the first two levels (the roots and their direct subordinates)
    and, for an opened body, the bodies under it and under each of its superiors. Each level is an indexed
    lookup by parent, so the page grows with what is shown, not with the tree (a province: 6,000 bodies)."""
    current = Organisation.objects.filter(valid_to__isnull=True)
    roots = list(current.filter(parent__isnull=True))
    expanded = {r.pk for r in roots}
    if opened is not None:
        expanded |= {int(seg) for seg in opened.path.split(".") if seg}
    orgs = {o.pk: o for o in [*roots, *current.filter(parent_id__in=expanded)]}
    children = {
        row["parent_id"]: row["n"]
        for row in current.filter(parent_id__in=list(orgs))
        .values("parent_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    counts = item_counts(list(orgs))
    return [
        TreeRow(o, counts.get(o.pk, 0), children.get(o.pk, 0), o.pk in expanded)
        for o in sorted(orgs.values(), key=lambda o: o.path)
    ]
