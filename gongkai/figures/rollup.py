"""Every body's report at once: one year's per-body figures loaded once and accumulated up the tree paths in
memory — the same membership rules as ``Context`` (reform predecessors, submissions, Table 2's merged
predecessors), checked cell by cell against it in tests/reports/test_figures.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from gongkai.figures.compute import stored_statistics
from gongkai.figures.models import BodyFigure
from gongkai.figures.store import refresh_dirty
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import default_format_for_year
from gongkai.reports.registry import Number, Statistic, Unit
from gongkai.submissions.models import Submission, SubmittedValue

Vector = dict[str, Decimal]


@dataclass(frozen=True)
class Body:
    pk: int
    path: str
    successor: int | None
    valid_to: dt.date | None


def _bodies() -> dict[int, Body]:
    rows = Organisation.objects.values_list("pk", "path", "successor_id", "valid_to")
    return {pk: Body(pk, path, succ, to) for pk, path, succ, to in rows}


def _ancestors(body: Body, by_path: dict[str, int]) -> list[int]:
    """The body and every body above it (its path's prefixes)."""
    parts = body.path.split(".")[:-1]
    return [
        by_path[".".join(parts[: i + 1]) + "."]
        for i in range(len(parts))
        if ".".join(parts[: i + 1]) + "." in by_path
    ]


def _own_vectors(year: int, keys: list[str]) -> dict[int, Vector]:
    rows = BodyFigure.objects.filter(year=year, key__in=keys).values_list("org_id", "key", "value")
    vectors: dict[int, Vector] = defaultdict(dict)
    for org, key, value in rows:
        vectors[org][key] = value
    return vectors


def _submitted(year: int, fmt: str) -> tuple[set[int], dict[int, Vector]]:
    current = Submission.objects.current().for_report(year, fmt)
    rows = (
        SubmittedValue.objects.in_range()
        .filter(submission__in=current)
        .values("submission__org_id", "statistic_key")
        .annotate(total=Sum("value"))
        .values_list("submission__org_id", "statistic_key", "total")
    )
    vectors: dict[int, Vector] = defaultdict(dict)
    for org, key, total in rows:
        vectors[org][key] = total
    return set(current.values_list("org_id", flat=True)), vectors


def _add(target: Vector, source: Vector) -> None:
    for key, value in source.items():
        target[key] = target.get(key, Decimal(0)) + value


def _targets(
    body: Body, bodies: dict[int, Body], by_path: dict[str, int], year: int
) -> tuple[set[int], set[int]]:
    """(reports whose own scope holds ``body``, reports whose subtree holds it): the body itself and its
    ancestors, plus its successor and the successor's ancestors when it was merged during ``year``."""
    own = {body.pk}
    subtree = set(_ancestors(body, by_path))
    if body.successor is not None and body.valid_to is not None and body.valid_to.year == year:
        successor = bodies.get(body.successor)
        if successor is not None:
            own.add(successor.pk)
            subtree.update(_ancestors(successor, by_path))
    return own, subtree


def _chain_targets(
    body: Body, bodies: dict[int, Body], by_path: dict[str, int], submitting: set[int], end: dt.date
) -> tuple[set[int], set[int]]:
    """Reports that count ``body``'s normative documents as a merged predecessor (stats_table2.
    merged_predecessor_ids): those whose bodies (``body_ids``) hold a body its reform chain reaches."""
    own: set[int] = set()
    subtree: set[int] = set()
    current, seen = body, {body.pk}
    while current.successor is not None and current.valid_to is not None and current.valid_to <= end:
        successor = bodies.get(current.successor)
        if successor is None or successor.pk in seen:
            break
        if successor.pk not in submitting:
            o, s = _targets(successor, bodies, by_path, end.year)
            own |= o
            subtree |= s
        current = successor
        seen.add(current.pk)
    return own, subtree


def _accumulate(
    year: int, fmt: str, stats: list[Statistic]
) -> tuple[dict[int, Vector], dict[int, Vector], dict[int, Body]]:
    """(own vectors, subtree vectors, bodies): every body's records and submissions added to the reports
    whose scope holds it."""
    bodies = _bodies()
    by_path = {b.path: b.pk for b in bodies.values()}
    normative = {s.key for s in stats if s.extra_bodies is not None}
    records = _own_vectors(year, [s.key for s in stats])
    submitting, submitted = _submitted(year, fmt)
    end = dt.date(year, 12, 31)
    own: dict[int, Vector] = defaultdict(dict)
    subtree: dict[int, Vector] = defaultdict(dict)
    for body in bodies.values():
        own_t, sub_t = _targets(body, bodies, by_path, year)
        vector = records.get(body.pk, {})
        plain = {k: v for k, v in vector.items() if k not in normative}
        extra = {k: v for k, v in vector.items() if k in normative}
        counted = submitted.get(body.pk, {}) if body.pk in submitting else plain
        chain_own, chain_sub = (
            _chain_targets(body, bodies, by_path, submitting, end) if extra else (set(), set())
        )
        norm_own = chain_own | (set() if body.pk in submitting else own_t)
        norm_sub = chain_sub | (set() if body.pk in submitting else sub_t)
        for targets, totals, norm_targets in ((own_t, own, norm_own), (sub_t, subtree, norm_sub)):
            for target in targets:
                _add(totals[target], counted)
            for target in norm_targets:
                _add(totals[target], extra)
    return own, subtree, bodies


def rollup_all(year: int, fmt: str = "") -> dict[tuple[int, str], dict[str, Number]]:
    """{(body id, "own" | "subtree"): {key: value}} for every body: the statistics stored for the year (the
    year's format and the narrative ones) and those derived from them. Non-additive statistics (the 2014 local
    portal rows, ``fees.requests``) are not included: compute them per body with ``Context``."""
    from gongkai.reports.registry import REGISTRY, Context, Scope

    fmt = fmt or default_format_for_year(year)
    refresh_dirty(year)
    stats = stored_statistics(year)
    own, subtree, bodies = _accumulate(year, fmt, stats)
    derived = [s for s in REGISTRY.values() if s.records is None and (not s.cells or fmt in s.cells)]
    zeros: dict[str, Number] = {s.key: _typed(s, Decimal(0)) for s in stats}
    counts = {s.key for s in stats if s.unit is Unit.COUNT}
    result: dict[tuple[int, str], dict[str, Number]] = {}
    for pk, body in bodies.items():
        for scope, totals in ((Scope.OWN, own), (Scope.SUBTREE, subtree)):
            values = dict(zeros)
            for key, value in totals.get(pk, {}).items():
                if key in zeros:
                    values[key] = int(value) if key in counts else value
            if derived:
                ctx = Context(org=Organisation(pk=pk, path=body.path), year=year, scope=scope, fmt=fmt)
                ctx._memo["gongkai.figures"] = values
                ctx._memo["submitted"] = {}
                for stat in derived:
                    values[stat.key] = ctx.value(stat.key)
            result[(pk, scope.value)] = values
    return result


def _typed(stat: Statistic, value: Decimal) -> Number:
    from gongkai.figures.read import typed

    return typed(stat, value)
