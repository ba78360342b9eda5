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

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog.models import Genre, KeyArea, Publication, PublicationQuerySet, PublicationStatus, Topic
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
    """Counts per year, genre and top-level topic under the other filters (one grouped query each)."""
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
    flt = CatalogFilter(body=body, subtree=subtree)
    rows = (
        flt.queryset()
        .annotate(y=ExtractYear("published_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("-y")[:last]
    )
    return sorted((r["y"], r["n"]) for r in rows if r["y"])


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
