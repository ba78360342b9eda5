"""Computing the per-body aggregates: every stored statistic's value for many bodies in one GROUP BY query.

A statistic's ``records`` (the drill-down queryset, gongkai.reports.registry) are evaluated in a
``BatchContext`` whose ``bodies()`` restricts them to a batch of bodies (or to none: every body) instead of a
report's scope, then grouped by the records' body — so the aggregate and the drill-down share one declaration.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import Count, F, Model, QuerySet, Sum

from gongkai.catalog.models import PublicationChannel
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import default_format_for_year
from gongkai.reports.registry import QS, REGISTRY, Context, Scope, Statistic

QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')  # an identifier in SQLite's and PostgreSQL's compiled SQL
# The relation from a counted record to its body, where it is not ``body``.
BODY_RELATIONS: dict[type[Model], str] = {
    PublicationChannel: "publication__body",
}


def body_relation(model: type[Model]) -> str:
    return BODY_RELATIONS.get(model, "body")


def is_stored(stat: Statistic) -> bool:
    """A leaf statistic summed over bodies: it has records and is additive (derived ones never are stored)."""
    return stat.records is not None and stat.additive


def stored_formats(year: int) -> tuple[str, ...]:
    """The formats whose statistics are kept for ``year``: the 2014 table before 2019, the 2019 trial and 2021
    formats from 2019 (they share most statistics, and either may be printed for those years)."""
    return ("2014",) if default_format_for_year(year) == "2014" else ("2019", "2021")


def stored_statistics(year: int) -> list[Statistic]:
    """The statistics kept per body for ``year``: those of its formats and those in no table (narrative
    placeholders). A report printed in another format computes its other cells live."""
    formats = stored_formats(year)
    return [
        s for s in REGISTRY.values() if is_stored(s) and (not s.cells or any(f in s.cells for f in formats))
    ]


@dataclass
class BatchContext(Context):
    """A context whose bodies are a batch (``ids``; None = every body), for grouped per-body queries."""

    ids: list[int] | None = field(default=None, repr=False)

    def bodies(self, qs: QS, rel: str = "body") -> QS:
        return qs if self.ids is None else qs.filter(**{f"{rel}__in": self.ids})

    def scope_ids(self) -> QuerySet[Any]:
        base = Organisation.objects.all()
        return (base if self.ids is None else base.filter(pk__in=self.ids)).values("pk")

    def body_ids(self) -> QuerySet[Any]:
        return self.scope_ids()


def batch_context(year: int, ids: list[int] | None) -> BatchContext:
    anchor = Organisation(pk=0, path="", name="")  # never read: stored statistics count ``bodies()`` only
    return BatchContext(org=anchor, year=year, scope=Scope.OWN, live=True, ids=ids)


def grouped(stat: Statistic, ctx: BatchContext) -> QuerySet[Any]:
    """The statistic's records grouped by their body: (body id, value) rows."""
    assert stat.records is not None
    qs = stat.records(ctx)
    measure = stat.measure
    if measure is None:
        measure = Sum("figure") if "figure" in qs.query.annotations else Count("pk")
    rows = qs.order_by().values(_body=F(body_relation(qs.model))).annotate(_value=measure)
    result: QuerySet[Any] = rows.values_list("_body", "_value")
    return result


def per_body(stat: Statistic, ctx: BatchContext) -> dict[int, Decimal]:
    """{body id: the statistic's value from the body's own records} for the bodies of ``ctx`` (one query)."""
    values: dict[int, Decimal] = {}
    for row in grouped(stat, ctx):
        if row[0] is not None and row[1]:
            values[row[0]] = Decimal(row[1]) / stat.divisor if stat.divisor != 1 else Decimal(row[1])
    return values


def compute_year(
    year: int, ids: Iterable[int] | None, keys: Collection[str] | None = None
) -> dict[tuple[int, str], Decimal]:
    """{(body id, key): value} for the stored statistics of ``year`` (those named in ``keys``, if given) and the
    bodies ``ids`` (None = all)."""
    wanted = None if ids is None else sorted(set(ids))
    ctx = batch_context(year, wanted)
    keep = None if wanted is None else set(wanted)
    result: dict[tuple[int, str], Decimal] = {}
    for stat in stored_statistics(year):
        if keys is not None and stat.key not in keys:
            continue
        for body, value in per_body(stat, ctx).items():
            if keep is None or body in keep:
                result[(body, stat.key)] = value
    return result


# Which statistics a change can move ------------------------------------------------------------------------


@functools.cache
def _fingerprint() -> str:
    """Changes with the code declaring the statistics' queries (a deployment), not with the data."""
    modules = {inspect.getmodule(s.records) for s in REGISTRY.values() if s.records is not None}
    files = sorted({m.__file__ for m in modules if m is not None and m.__file__} | {__file__})
    digest = hashlib.sha256(repr(sorted(REGISTRY)).encode())
    for name in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:16]


_TABLES: dict[str, dict[str, frozenset[str]]] = {}


def tables_read(year: int) -> dict[str, frozenset[str]]:
    """{statistic key: the tables its query reads} for the statistics stored for ``year``: what a change to a
    table can move. Built from the compiled queries once per deployment (kept in the shared cache) and year
    format; which tables a query reads does not depend on the data."""
    from gongkai import pagecache

    key = f"figures-tables:{_fingerprint()}:{','.join(stored_formats(year))}"
    if key not in _TABLES:
        found = pagecache.cache().get(key)
        if found is None:
            ctx = batch_context(year, [0])
            found = {s.key: _tables(grouped(s, ctx)) for s in stored_statistics(year)}
            pagecache.cache().set(key, found, None)
        _TABLES[key] = found
    return _TABLES[key]


def _tables(qs: QuerySet[Any]) -> frozenset[str]:
    """The tables the compiled query names ("*" when it does not compile to SQL: an empty ``IN``)."""
    try:
        sql = qs.query.sql_with_params()[0]
    except (EmptyResultSet, FullResultSet):
        return frozenset({"*"})
    return frozenset(QUOTED.findall(sql)) & {m._meta.db_table for m in apps.get_models()}


def moved_keys(year: int, tables: Collection[str]) -> set[str] | None:
    """The statistics of ``year`` a change to ``tables`` can move (None: every one — "*" or no table known)."""
    if not tables or "*" in tables:
        return None
    reads = tables_read(year)
    changed = set(tables) | {"*"}
    return {s.key for s in stored_statistics(year) if s.key not in reads or reads[s.key] & changed}
