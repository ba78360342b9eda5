"""Reading the aggregates: a report's leaf statistics summed over its bodies, every body's report at once, and
the stamp that changes whenever a figure of a scope changes."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import router
from django.db.models import Count, Max, Q, Sum

from gongkai.figures.compute import stored_statistics
from gongkai.figures.models import BodyFigure, FigureState
from gongkai.figures.store import refresh_dirty
from gongkai.reports.registry import Context, Number, Statistic, Unit


def typed(stat: Statistic, value: Decimal) -> Number:
    return int(value) if stat.unit is Unit.COUNT else value


def scope_values(ctx: Context) -> dict[str, Number]:
    """{key: value summed over the context's bodies} for every statistic stored for the year (zero when no
    body has records), after recomputing the bodies of the scope whose records changed (read-your-writes).
    One query for the dirty marks, one for the sums (a filtered SUM per kind of scope)."""
    stats = stored_statistics(ctx.year)
    if not stats:
        return {}
    extras = {f: sorted(set(f(ctx))) for f in {s.extra_bodies for s in stats} if f is not None}
    touched = Q(org_id__in=ctx.scope_ids())
    for ids in extras.values():
        touched |= Q(org_id__in=ids)
    recomputed = refresh_dirty(ctx.year, touched)
    # just recomputed: read them where they were written (a replica may not have replayed them yet)
    figures = BodyFigure.objects.using(router.db_for_write(BodyFigure)) if recomputed else BodyFigure.objects
    plain = Q(org_id__in=ctx.body_ids())
    scopes: dict[Any, Q] = {None: plain, **{f: plain | Q(org_id__in=ids) for f, ids in extras.items()}}
    names = {f: f"s{n}" for n, f in enumerate(scopes)}
    rows = (
        figures.filter(touched, year=ctx.year)
        .values("key")
        .annotate(**{names[f]: Sum("value", filter=q) for f, q in scopes.items()})
    )
    sums: dict[str, dict[str, Any]] = {row["key"]: dict(row) for row in rows}
    values: dict[str, Number] = {}
    for stat in stats:
        row = sums.get(stat.key)
        total = row[names[stat.extra_bodies]] if row is not None else None
        values[stat.key] = typed(stat, total or Decimal(0))
    return values


def stamp(org_id: int, year: int, scope: str) -> str:
    """A short string that changes whenever a figure of the report of ``org_id`` (``scope``) for ``year`` may
    have changed: the bodies' aggregates (marked or recomputed), the tree, the submissions. Three queries."""
    from gongkai.organisations.models import Organisation
    from gongkai.reports.registry import Scope
    from gongkai.submissions.models import Submission

    org = Organisation.objects.get(pk=org_id)
    ctx = Context(org=org, year=year, scope=Scope(scope))
    state = FigureState.objects.filter(year=year, org_id__in=ctx.scope_ids()).aggregate(
        n=Count("pk"), changed=Max("changed_at")
    )  # not computed_at: a refresh of marked bodies changes no figure the marks did not announce
    tree = Organisation.objects.aggregate(
        n=Count("pk"), parents=Sum("parent_id"), successors=Sum("successor_id"), to=Count("valid_to")
    )
    submitted = Submission.objects.filter(year=year).aggregate(
        n=Count("pk"),
        current=Count("pk", filter=Q(is_current=True)),
        last=Max("pk"),
        gone=Max("withdrawn_at"),
    )
    text = repr((org.path, sorted(state.items()), sorted(tree.items()), sorted(submitted.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def computed_at(org_id: int, year: int, scope: str) -> dt.datetime | None:
    """The freshness stamp a report shows: the latest computation of its bodies' aggregates (one query)."""
    from gongkai.organisations.models import Organisation
    from gongkai.reports.registry import Scope

    ctx = Context(org=Organisation.objects.get(pk=org_id), year=year, scope=Scope(scope))
    states = FigureState.objects.filter(year=year, org_id__in=ctx.scope_ids())
    latest: dt.datetime | None = states.aggregate(t=Max("computed_at"))["t"]
    return latest
