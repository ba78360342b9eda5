"""Set-wise look-ups for an import: bodies, index-number templates, vocabularies, channels, reviewers and the
publications that already exist (fetched by index number in chunks, with their postings and reviews)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from gongkai.catalog.actions import index_template, render_index_number
from gongkai.catalog.models import (
    Channel,
    ConfidentialityReview,
    Genre,
    IndexNumberTemplate,
    KeyArea,
    Publication,
    PublicationChannel,
    Topic,
)
from gongkai.organisations.actions import OrganisationNotFound, resolve_org
from gongkai.organisations.models import Organisation

CHUNK = 1000
M = TypeVar("M")


class IndexKey(NamedTuple):
    code: str
    year: int
    serial: int


_FIELD_PATTERNS = {"code": r"[0-9A-Za-z]{1,18}", "year": r"\d{4}", "serial": r"\d{1,9}"}


@functools.lru_cache(maxsize=512)
def _pattern(template: str, code_pattern: str) -> re.Pattern[str]:
    parts, seen = ["^"], set()
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if not name:
            continue
        if name in seen:
            parts.append(f"(?P={name})")
            continue
        seen.add(name)
        parts.append(f"(?P<{name}>{code_pattern if name == 'code' else _FIELD_PATTERNS[name]})")
    return re.compile("".join(parts) + "$")


def parse_index_number(
    template: str, text: str, codes: Iterable[str] = (), default_year: int | None = None
) -> IndexKey | None:
    """(code, year, serial) from an index number written with ``template``; the body's own codes are tried
    first (so a code followed by digits splits right), then any code. The number must render back exactly
    (``00222`` under ``{serial:05d}``, not ``222``)."""
    for code_pattern in [*(re.escape(c) for c in codes if c), _FIELD_PATTERNS["code"]]:
        match = _pattern(template, code_pattern).match(text)
        if match is None:
            continue
        groups = match.groupdict()
        code = groups.get("code") or next(iter(codes), "")
        year = int(groups["year"]) if "year" in groups else default_year
        if year is None or "serial" not in groups:
            return None
        key = IndexKey(code, year, int(groups["serial"]))
        if render_index_number(template, *key) == text:
            return key
    return None


@dataclass
class Existing:
    """A publication already in the catalog, with its channels and reviews (version, reviewer, date, result)."""

    pub: Publication
    channel_ids: set[int] = field(default_factory=set)
    reviews: list[tuple[int, int, dt.date, str]] = field(default_factory=list)

    def review_keys(self) -> set[tuple[int, dt.date, str]]:
        return {(r, d, c) for _v, r, d, c in self.reviews}

    def passed(self, version: int) -> bool:
        """The latest review of ``version`` passed (transitions.publish's rule)."""
        latest = [c for v, _r, _d, c in self.reviews if v == version]
        return bool(latest) and latest[-1] == "passed"


def fetch_existing(keys: Iterable[IndexKey]) -> dict[IndexKey, Existing]:
    """The publications with these index numbers: one query per (code, year) and chunk of serials."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for key in set(keys):
        groups[(key.code, key.year)].append(key.serial)
    found: dict[IndexKey, Existing] = {}
    for (code, year), serials in groups.items():
        serials.sort()
        for start in range(0, len(serials), CHUNK):
            chunk = serials[start : start + CHUNK]
            for pub in Publication.objects.filter(index_code=code, index_year=year, index_serial__in=chunk):
                found[IndexKey(code, year, pub.index_serial)] = Existing(pub)
    _attach_history(found.values())
    return found


def _attach_history(existing: Iterable[Existing]) -> None:
    by_id = {e.pub.pk: e for e in existing}
    ids = sorted(by_id)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        postings = PublicationChannel.objects.filter(publication_id__in=chunk)
        for pub_id, channel_id in postings.values_list("publication_id", "channel_id"):
            by_id[pub_id].channel_ids.add(channel_id)
        reviews = ConfidentialityReview.objects.filter(publication_id__in=chunk).order_by("id")
        for pub_id, version, reviewer_id, on, conclusion in reviews.values_list(
            "publication_id", "version", "reviewer_id", "reviewed_on", "conclusion"
        ):
            by_id[pub_id].reviews.append((version, reviewer_id, on, conclusion))


class Vocabulary:
    """Topics by code, ``parent\\child`` or a name used once; genres and key areas by code or name."""

    def __init__(self) -> None:
        topics = list(Topic.objects.select_related("parent"))
        self.topics = self._index(topics, lambda t: (t.code, str(t), t.name))
        self.genres = self._index(list(Genre.objects.all()), lambda g: (g.code, g.name))
        self.key_areas = self._index(list(KeyArea.objects.all()), lambda k: (k.code, k.name))

    @staticmethod
    def _index(items: list[M], names: Callable[[M], tuple[str, ...]]) -> dict[str, M | None]:
        """name -> item, or None where a name is shared by several items (ambiguous)."""
        index: dict[str, M | None] = {}
        for item in items:
            for name in names(item):
                if name in index and index[name] is not item:
                    index[name] = None
                else:
                    index[name] = item
        return index


class Lookups:
    """Everything a row refers to, fetched once per distinct value."""

    def __init__(self, reviewers: Iterable[str]) -> None:
        self.vocabulary = Vocabulary()
        self._bodies: dict[tuple[str, int | None], Organisation | str] = {}
        self._templates: dict[int, str] = {}
        self._channels: dict[int, dict[str, Channel]] = {}
        users = User.objects.filter(username__in=set(reviewers)).select_related("staff_profile")
        self.reviewers: dict[str, User] = {u.get_username(): u for u in users}
        self.all_templates = sorted(
            {
                str(settings.GONGKAI_INDEX_TEMPLATE),
                *IndexNumberTemplate.objects.values_list("template", flat=True),
            }
        )

    def body(self, text: str, year: int | None) -> Organisation | str:
        """The body, or the reason it cannot be resolved."""
        key = (text, year)
        if key not in self._bodies:
            try:
                self._bodies[key] = resolve_org(text, year)
            except OrganisationNotFound as exc:
                self._bodies[key] = str(exc)
        return self._bodies[key]

    def template(self, body: Organisation) -> str:
        if body.pk not in self._templates:
            self._templates[body.pk] = index_template(body)
        return self._templates[body.pk]

    def channels(self, body: Organisation) -> dict[str, Channel]:
        """Channels by name that the body may publish on: its own, then its ancestors' (nearest first); each
        also as ``ORGCODE:name``."""
        if body.pk not in self._channels:
            ids = [int(seg) for seg in body.path.split(".") if seg]
            owned = list(Channel.objects.filter(owner_id__in=ids).select_related("owner"))
            rank = {pk: n for n, pk in enumerate(ids)}
            names: dict[str, Channel] = {}
            for channel in sorted(owned, key=lambda c: rank[c.owner_id]):
                names[channel.name] = channel
                names[f"{channel.owner.org_code}:{channel.name}"] = channel
            self._channels[body.pk] = names
        return self._channels[body.pk]

    def channel_label(self, body: Organisation, channel: Channel) -> str:
        """How an export names a channel so that it resolves back to the same one."""
        return (
            channel.name
            if self.channels(body).get(channel.name) == channel
            else (f"{channel.owner.org_code}:{channel.name}")
        )

    def interprets_candidates(self, text: str) -> set[IndexKey]:
        """The index numbers ``text`` may be under any template in use (checked against the catalog later)."""
        return {key for t in self.all_templates if (key := parse_index_number(t, text)) is not None}


def not_found(what: str, value: str) -> str:
    return _("找不到%(what)s“%(value)s”") % {"what": what, "value": value}
