"""Reading the aggregates: a report's leaf statistics summed over its bodies, every body's report at once, and
the stamp that changes whenever a figure of a scope changes."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import router
from django.db.models import Count, Max, Q, Sum

from gongkai import pagecache
from gongkai.figures.compute import stored_statistics
from gongkai.figures.models import BodyFigure, FigureState
from gongkai.figures.store import refresh_dirty
from gongkai.reading import memo as reading_memo
from gongkai.reading import once
from gongkai.reports.registry import Context, Number, Statistic, Unit


def typed(stat: Statistic, value: Decimal) -> Number:
    return int(value) if stat.unit is Unit.COUNT else value


def scope_values(ctx: Context) -> dict[str, Number]:
    """{key: value summed over the context's bodies} for every statistic stored for the year (zero when no
    body has records), after recomputing the bodies of the scope whose records changed (read-your-writes).

    With the staff report cache on (``GONGKAI_REPORT_CACHE``), the sums are kept in the shared cache under the
    year's stamp (``year_stamp``, one query): a change recomputes the sums of the years it marked, never those
    of another year (last year's report, the trend)."""
    stats = stored_statistics(ctx.year)
    if not stats:
        return {}
    where = ("sums", ctx.org.pk, ctx.org.path, ctx.year, ctx.scope, ctx.report_format())

    def extras() -> dict[Any, list[int]]:
        return once(
            ("extras", *where),
            lambda: {f: sorted(set(f(ctx))) for f in {s.extra_bodies for s in stats} if f is not None},
        )

    if not settings.GONGKAI_REPORT_CACHE:
        return dict(once(where, lambda: _sums(ctx, stats, extras())))
    key = "figures:" + hashlib.sha256(repr((router.db_for_read(BodyFigure), where)).encode()).hexdigest()[:24]
    key += ":" + once(("stamp", ctx.year), lambda: year_stamp(ctx.year))
    memo = reading_memo()
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = pagecache.cache().get(key)
        if found is None:
            found = _sums(ctx, stats, extras())
            pagecache.cache().set(key, found, settings.GONGKAI_PAGE_CACHE_TIMEOUT)
        if memo is not None:
            memo[key] = found
    return dict(found)


def _sums(ctx: Context, stats: list[Statistic], extras: dict[Any, list[int]]) -> dict[str, Number]:
    """The sums read from the aggregates: one query for the dirty marks, one plain SUM over the scope's bodies,
    and one per kind of extra bodies over those of them not already in scope (a statistic with extra bodies
    counts the union). Plain SUMs, not one SUM with a FILTER per kind of scope: the filters tested every row
    of the year against each scope (the province at 6,000 bodies: SQLite 0.28 → 0.19 s, PostgreSQL 0.11 →
    0.06 s)."""
    touched = Q(org_id__in=ctx.scope_ids())
    for ids in extras.values():
        touched |= Q(org_id__in=ids)
    recomputed = refresh_dirty(ctx.year, touched)
    # just recomputed: read them where they were written (a replica may not have replayed them yet)
    figures = BodyFigure.objects.using(router.db_for_write(BodyFigure)) if recomputed else BodyFigure.objects
    plain = Q(org_id__in=ctx.body_ids())

    def summed(where: Q) -> dict[str, Decimal]:
        rows = figures.filter(where, year=ctx.year).values("key").annotate(total=Sum("value"))
        return {row["key"]: row["total"] for row in rows}

    base = summed(plain)
    added = {f: summed(Q(org_id__in=ids) & ~plain) for f, ids in extras.items() if ids}
    values: dict[str, Number] = {}
    for stat in stats:
        total = base.get(stat.key) or Decimal(0)
        if stat.extra_bodies in added:
            total += added[stat.extra_bodies].get(stat.key) or Decimal(0)
        values[stat.key] = typed(stat, total)
    return values


def scope_stamp(ctx: Context, extras: dict[Any, list[int]] | None = None) -> str:
    """A short string that changes whenever a figure of ``ctx``'s scope may have changed: the marks of its
    bodies and of ``extras`` (bodies merged into them: their count, latest change and versions — not the
    computations, which change no figure the marks did not announce), the tree, the year's submissions."""
    bodies = Q(org_id__in=ctx.scope_ids())
    for ids in (extras or {}).values():
        bodies |= Q(org_id__in=ids)
    state = FigureState.objects.filter(bodies, year=ctx.year).aggregate(
        n=Count("pk"), changed=Max("changed_at"), versions=Sum("version")
    )
    text = repr(
        (
            ctx.org.path,
            sorted(state.items()),
            once(("tree",), _tree),
            once(("sub", ctx.year), lambda: _submissions(ctx.year)),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def year_stamp(year: int) -> str:
    """A short string that changes whenever any figure of ``year`` may have changed: every body's marks of the
    year (count, latest change, sum of versions), the tree, the year's submissions. Coarser than
    ``scope_stamp`` but one query over the year's marks, with no scope to resolve."""
    state = FigureState.objects.filter(year=year).aggregate(
        n=Count("pk"), changed=Max("changed_at"), versions=Sum("version")
    )
    text = repr((year, sorted(state.items()), once(("tree",), _tree), _submissions(year)))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _tree() -> list[tuple[str, Any]]:
    from gongkai.organisations.models import Organisation

    tree = Organisation.objects.aggregate(
        n=Count("pk"),
        parents=Sum("parent_id"),
        successors=Sum("successor_id"),
        to=Count("valid_to"),
        last=Max("valid_to"),
    )
    return sorted(tree.items())


def _submissions(year: int) -> list[tuple[str, Any]]:
    from gongkai.submissions.models import Submission

    submitted = Submission.objects.filter(year=year).aggregate(
        n=Count("pk"),
        current=Count("pk", filter=Q(is_current=True)),
        last=Max("pk"),
        gone=Max("withdrawn_at"),
    )
    return sorted(submitted.items())


def stamp(org_id: int, year: int, scope: str) -> str:
    """``scope_stamp`` of the report of ``org_id`` (``scope``) for ``year`` (a cache key part)."""
    from gongkai.organisations.models import Organisation
    from gongkai.reports.registry import Scope

    ctx = Context(org=Organisation.objects.get(pk=org_id), year=year, scope=Scope(scope))
    stats = stored_statistics(year)
    extras = {f: sorted(set(f(ctx))) for f in {s.extra_bodies for s in stats} if f is not None}
    return scope_stamp(ctx, extras)


def computed_at(org_id: int, year: int, scope: str) -> dt.datetime | None:
    """The freshness stamp a report shows: the latest computation of its bodies' aggregates (one query)."""
    from gongkai.organisations.models import Organisation
    from gongkai.reports.registry import Scope

    ctx = Context(org=Organisation.objects.get(pk=org_id), year=year, scope=Scope(scope))
    states = FigureState.objects.filter(year=year, org_id__in=ctx.scope_ids())
    latest: dt.datetime | None = states.aggregate(t=Max("computed_at"))["t"]
    return latest
