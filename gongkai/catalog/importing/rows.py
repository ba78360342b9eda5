"""One row of a publication file checked on its own: every value parsed, every reference resolved, every
problem named with its row and column. What the row means for a publication already in the catalog is decided
in ``plan``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.catalog.importing.files import Mapping, Problem, SourceRow, Value
from gongkai.catalog.importing.lookups import Existing, IndexKey, Lookups, not_found, parse_index_number
from gongkai.catalog.models import (
    Channel,
    NormativeKind,
    Publication,
    PublicationStatus,
    ReviewConclusion,
)
from gongkai.exportsafe import is_formula_like
from gongkai.inputs import InputError, normalise_text, strip_illegal
from gongkai.masking import personal_data_found
from gongkai.organisations.actions import require_valid_on
from gongkai.organisations.models import Organisation

S = PublicationStatus
T = TypeVar("T")
# Fields whose change makes a new version (and needs a new review before the item is published again).
VERSIONED = (
    "title",
    "text",
    "description",
    "document_number",
    "publisher",
    "keywords",
    "made_on",
    "topic_id",
    "genre_id",
    "key_area_id",
    "normative_kind",
    "issued_on",
)
TEXT_FIELDS = ("title", "document_number", "publisher", "keywords", "description", "text")
MULTILINE = frozenset({"description", "text", "review_note"})  # the others are one line
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T ][\d:.]+)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SEPARATORS = re.compile(r"[;；\n]")


def _choices(enum: type[models.TextChoices], extra: dict[str, str]) -> dict[str, str]:
    names = {str(v).lower(): str(v) for v in enum.values} | {str(label): v for v, label in enum.choices}
    return names | extra


STATUSES = _choices(PublicationStatus, {"撤回": S.WITHDRAWN, "发布": S.PUBLISHED})
NORMATIVE = _choices(NormativeKind, {"规范性文件": NormativeKind.NORMATIVE, "否": NormativeKind.NONE})
CONCLUSIONS = _choices(
    ReviewConclusion,
    {"通过": ReviewConclusion.PASSED, "同意": ReviewConclusion.PASSED, "不通过": ReviewConclusion.FAILED},
)


@dataclass
class Review:
    reviewer: User
    on: dt.date
    conclusion: str
    note: str

    def key(self) -> tuple[int, dt.date, str]:
        return (int(self.reviewer.pk), self.on, self.conclusion)


@dataclass
class Planned:
    """A good row: the publication it describes and how it goes out."""

    where: str
    index_number: str
    key: IndexKey
    body: Organisation
    fields: dict[str, Any]
    repealed_on: dt.date | None
    interprets: str
    status: str | None  # None: not given, derived in ``plan``
    published_on: dt.date | None
    channels: list[Channel]
    review: Review | None
    warnings: list[str] = field(default_factory=list)
    interprets_key: IndexKey | None = None
    interprets_problem: str = ""  # a rule of transitions.check_interprets the link breaks
    existing: Existing | None = None
    action: str = ""


Normalised = tuple[str, str]  # (the text, the reason it was refused or "")
_CACHED = 64  # values up to this length are normalised once per file (codes, dates, names repeat)


@dataclass
class Seen:
    """What a file repeats, worked out once per distinct value: normalised texts and parsed dates."""

    texts: dict[tuple[bool, str], Normalised] = field(default_factory=dict)
    dates: dict[str, dt.date | None] = field(default_factory=dict)  # None: not a valid date


class _Row:
    def __init__(self, source: SourceRow, mapping: Mapping, seen: Seen) -> None:
        self.where, self.mapping, self.seen = source.where, mapping, seen
        self.values = {key: source.cells.get(header, "") for key, header in mapping.headers.items()}
        self.problems: list[Problem] = []
        if "" in source.cells:
            self.problems.append(Problem(self.where, "", str(source.cells[""])))

    def scratch(self) -> _Row:
        """The same values with no problems yet (``RowParser._once``)."""
        other = object.__new__(_Row)
        other.where, other.mapping, other.seen, other.values = (
            self.where,
            self.mapping,
            self.seen,
            self.values,
        )
        other.problems = []
        return other

    def error(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.where, self.mapping.label(key), message))

    def text(self, key: str, required: bool = False) -> str:
        value: Value = self.values.get(key, "")
        if not value:
            value = ""
        elif isinstance(value, list):
            value = self.normal(key, "；".join(value))
        elif isinstance(value, dt.date):
            value = value.isoformat()
        else:
            value = self.normal(key, value)
        if required and not value:
            self.error(key, _("必须填写"))
        return value

    def normal(self, key: str, value: str) -> str:
        """``value`` normalised (``gongkai.inputs.normalise_text``); a refused character is an error of this
        row and column. The apostrophe the CSV export puts before formula-like text
        (``gongkai.exportsafe.csv_value``) is removed again. Short values are normalised once per file."""
        if len(value) > _CACHED:
            found = _normalise(key, value)
        else:
            cache = (key in MULTILINE, value)
            found = self.seen.texts.get(cache) or self.seen.texts.setdefault(cache, _normalise(key, value))
        text, refused = found
        if refused:
            self.error(key, refused)
        return text

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self.values.get(key, "")
        if isinstance(value, dt.date):
            return value
        text = self.text(key, required)
        if not text:
            return None
        if text not in self.seen.dates:
            self.seen.dates[text] = _parse_date(text)
        day = self.seen.dates[text]
        if day is None:
            self.error(key, _("“%(v)s”不是有效日期（应为YYYY-MM-DD）") % {"v": text})
        return day

    def items(self, key: str) -> list[str]:
        value = self.values.get(key, "")
        if isinstance(value, list):
            parts = [self.normal(key, p) for p in value]
        else:
            parts = _SEPARATORS.split(self.text(key))
        return list(dict.fromkeys(p.strip() for p in parts if p.strip()))

    def choice(self, key: str, choices: dict[str, str]) -> str | None:
        text = self.text(key)
        if not text:
            return None
        if text.lower() not in choices:
            known = "、".join(sorted({k for k in choices if not k.isascii()}))
            self.error(key, _("“%(v)s”不是可选值（%(known)s）") % {"v": text, "known": known})
            return None
        return choices[text.lower()]


_REVIEW_KEYS = ("reviewer", "reviewed_on", "review_conclusion", "review_note")


def _hashable(value: Value) -> object:
    return tuple(value) if isinstance(value, list) else value


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    try:
        return None if match is None else dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _normalise(key: str, value: str) -> Normalised:
    if value[:1] == "'" and is_formula_like(value[1:]):
        value = value[1:]
    try:
        return normalise_text(value, multiline=key in MULTILINE), ""
    except InputError as exc:
        return strip_illegal(value), str(exc)


class RowParser:
    """Parses rows against the look-ups; ``today`` bounds publication and review dates."""

    def __init__(self, lookups: Lookups, mapping: Mapping, today: dt.date) -> None:
        self.lookups, self.mapping, self.today = lookups, mapping, today
        self.labels = {"topic": _("主题分类"), "genre": _("体裁"), "key_area": _("重点领域")}
        self.limits: dict[str, int] = {}
        self.seen = Seen()
        self.may_review: dict[tuple[int, int], bool] = {}
        self.memo: dict[tuple[object, ...], tuple[Any, list[tuple[str, str]]]] = {}
        for name in TEXT_FIELDS:
            limit = getattr(Publication._meta.get_field(name), "max_length", None)
            if isinstance(limit, int):
                self.limits[name] = limit

    def parse(self, source: SourceRow) -> tuple[Planned | None, list[Problem]]:
        row = _Row(source, self.mapping, self.seen)
        made_on = row.date("made_on", required=True)
        body = self._body(row, made_on)
        index_text = row.text("index_number", required=True)
        key = self._index_key(row, body, index_text, made_on)
        fields = self._fields(row, body, made_on)
        repealed_on = self._normative(row, fields)
        status = row.choice("status", STATUSES)
        published_on = row.date("published")
        body_pk = body.pk if body is not None else None
        channels = self._once(row, ("channels",), body_pk, lambda r: self._channels(r, body))
        review = self._once(row, _REVIEW_KEYS, body_pk, lambda r: self._review(r, body))
        self._dates(row, body, made_on, published_on)
        if review is not None and made_on is not None and review.on < made_on:
            row.error("reviewed_on", _("审查日期不能早于成文日期"))
        if row.problems or body is None or key is None:
            return None, row.problems
        found = personal_data_found(f"{fields['title']}\n{fields['text']}")
        return Planned(
            where=row.where,
            index_number=index_text,
            key=key,
            body=body,
            fields=fields,
            repealed_on=repealed_on,
            interprets=row.text("interprets"),
            status=status,
            published_on=published_on,
            channels=channels,
            review=review,
            warnings=[_("疑似包含个人信息：%(items)s") % {"items": "、".join(found)}] if found else [],
        ), []

    def _body(self, row: _Row, made_on: dt.date | None) -> Organisation | None:
        text = row.text("body", required=True)
        if not text:
            return None
        body = self.lookups.body(text, made_on.year if made_on else None)
        if isinstance(body, str):
            row.error("body", body)
            return None
        return body

    def _index_key(
        self, row: _Row, body: Organisation | None, text: str, made_on: dt.date | None
    ) -> IndexKey | None:
        if body is None or not text:
            return None
        template = self.lookups.template(body)
        codes = [body.org_code, body.credit_code or ""]
        key = parse_index_number(template, text, codes, made_on.year if made_on else None)
        if key is None:
            row.error(
                "index_number",
                _("“%(v)s”不符合%(body)s的索引号格式“%(t)s”") % {"v": text, "body": body.name, "t": template},
            )
        return key

    def _fields(self, row: _Row, body: Organisation | None, made_on: dt.date | None) -> dict[str, Any]:
        fields: dict[str, Any] = {name: row.text(name) for name in TEXT_FIELDS}
        if not fields["title"]:
            row.error("title", _("必须填写"))
        for name, limit in self.limits.items():
            if len(fields[name]) > limit:
                row.error(
                    name, _("不能超过%(n)d个字符（现有%(m)d个）") % {"n": limit, "m": len(fields[name])}
                )
        if body is not None and fields["publisher"] == body.name:
            fields["publisher"] = ""  # blank means the body's own name (Publication.publisher)
        vocabulary = self.lookups.vocabulary
        for key, index, label in (
            ("topic", vocabulary.topics, self.labels["topic"]),
            ("genre", vocabulary.genres, self.labels["genre"]),
            ("key_area", vocabulary.key_areas, self.labels["key_area"]),
        ):
            text = row.text(key)
            item = index.get(text) if text else None
            if text and item is None:
                reason = _("有多个同名的%(what)s，请用代码") if text in index else not_found("%(what)s", text)
                row.error(key, reason % {"what": label})
            fields[f"{key}_id"] = item.pk if item is not None else None
        fields["made_on"] = made_on
        return fields

    def _normative(self, row: _Row, fields: dict[str, Any]) -> dt.date | None:
        """规范性文件: an issue date (the date it was made if none is given); only they are repealed."""
        kind = row.choice("normative_kind", NORMATIVE) or NormativeKind.NONE
        issued_on, repealed_on = row.date("issued_on"), row.date("repealed_on")
        if kind and issued_on is None:
            issued_on = fields["made_on"]
        if not kind and (issued_on or repealed_on):
            row.error("normative_kind", _("只有规范性文件有印发日期和废止日期"))
        if issued_on and repealed_on and repealed_on < issued_on:
            row.error("repealed_on", _("废止日期不能早于印发日期"))
        fields["normative_kind"], fields["issued_on"] = kind, issued_on
        return repealed_on

    def _once(self, row: _Row, keys: tuple[str, ...], extra: object, check: Callable[[_Row], T]) -> T:
        """``check(row)``, worked out once per distinct (raw values of ``keys``, ``extra``): the result is shared
        and its problems are replayed as this row's (a review or a channel list repeats across a file)."""
        raw = (keys, extra, *(_hashable(row.values.get(k, "")) for k in keys))
        if raw not in self.memo:
            scratch = row.scratch()
            result = check(scratch)
            self.memo[raw] = (result, [(p.field, p.message) for p in scratch.problems])
        result, problems = self.memo[raw]
        row.problems += [Problem(row.where, label, message) for label, message in problems]
        return result

    def _channels(self, row: _Row, body: Organisation | None) -> list[Channel]:
        if body is None:
            return []
        available = self.lookups.channels(body)
        found = []
        for name in row.items("channels"):
            if name in available:
                found.append(available[name])
            else:
                row.error("channels", _("“%(v)s”不是本机关或上级机关的发布渠道") % {"v": name})
        return list(dict.fromkeys(found))

    def _review(self, row: _Row, body: Organisation | None) -> Review | None:
        """保密审查 (2019 Regulations art 17) by the body's reviewer, office head or admin."""
        raw = {key: row.text(key) for key in ("reviewer", "reviewed_on", "review_conclusion")}
        note = row.text("review_note")
        if not any(raw.values()):
            if note:
                row.error("review_conclusion", _("有审查意见时须填写审查人、审查日期和审查结论"))
            return None
        for key in (k for k, v in raw.items() if not v):
            row.error(key, _("审查记录须同时填写审查人、审查日期和审查结论"))
        username, conclusion = raw["reviewer"], row.choice("review_conclusion", CONCLUSIONS)
        on = row.date("reviewed_on")
        reviewer = self.lookups.reviewers.get(username)
        if username and reviewer is None:
            row.error("reviewer", not_found(_("用户"), username))
        elif reviewer is not None and body is not None and not self._may_review(reviewer, body):
            row.error("reviewer", _("%(u)s不是%(body)s的审核人或负责人") % {"u": username, "body": body.name})
        if on is not None and on > self.today:
            row.error("reviewed_on", _("日期不能晚于今天"))
        if conclusion == ReviewConclusion.FAILED and not note:
            row.error("review_note", _("不同意公开的，请写明理由"))
        if reviewer is None or on is None or conclusion is None:
            return None
        return Review(reviewer, on, conclusion, note)

    def _may_review(self, reviewer: User, body: Organisation) -> bool:
        key = (int(reviewer.pk), int(body.pk))
        if key not in self.may_review:
            self.may_review[key] = permissions.can_review_publication(reviewer, body)
        return self.may_review[key]

    def _dates(
        self, row: _Row, body: Organisation | None, made_on: dt.date | None, published_on: dt.date | None
    ) -> None:
        if published_on is not None and published_on > self.today:
            row.error("published", _("日期不能晚于今天"))
        if published_on is not None and made_on is not None and published_on < made_on:
            row.error("published", _("发布日期不能早于成文日期"))
        day = published_on or made_on
        if body is not None and day is not None:
            try:
                require_valid_on(body, day)
            except ValidationError as exc:
                for message in exc.message_dict.get("body", []):
                    row.error("body", message)
