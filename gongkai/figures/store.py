"""Writing the aggregates: dirty marks, rebuilds, the years built, the freshness stamp."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Concat, ExtractYear
from django.utils import timezone

from gongkai.dbrouting import reading_from_primary
from gongkai.figures.compute import compute_year, moved_keys
from gongkai.figures.models import BodyFigure, FigureState, FigureYear
from gongkai.organisations.models import Organisation

CHUNK = 500  # bodies per grouped query of a partial rebuild (well under SQLite's parameter limit)
Progress = Callable[[int, int], None]
Keys = Collection[str] | None  # the statistics to recompute (None: every one)


def mark_dirty(org_ids: Iterable[int], years: Iterable[int], tables: Iterable[str] | None = None) -> None:
    """Mark the bodies' aggregates of ``years`` stale: recomputed before the next report reads them. Call it
    in the transaction of the write (the signal handlers do, for every save and delete of a counted record).
    ``tables``: those of the records written (only the statistics reading them are recomputed); None: any."""
    years = set(years)
    mark_pairs({(o, y) for o in set(org_ids) for y in years}, tables)


def _tables_after(tables: Iterable[str] | None) -> tuple[str, Any]:
    """(the tables of a new mark, the expression of a marked row's tables): the mark's tables added."""
    new = "*" if tables is None else ",".join(sorted(set(tables))) or "*"
    if new == "*":
        return new, Value("*")
    return new, Case(
        When(dirty=False, then=Value(new)),
        When(Q(tables="*") | Q(tables__contains=new), then=F("tables")),
        default=Concat(F("tables"), Value("," + new)),
        output_field=TextField(),
    )


def mark_pairs(pairs: Iterable[tuple[int, int]], tables: Iterable[str] | None = None) -> None:
    """Mark each (body id, year) dirty and count the mark in its ``version``: the missing rows in one insert
    per CHUNK rows, then one update per set of bodies marked for the same years (usually one)."""
    now = timezone.now()
    todo = sorted(set(pairs))
    if not todo:
        return
    new, expression = _tables_after(tables)
    FigureState.objects.bulk_create(
        [FigureState(org_id=o, year=y, dirty=True, changed_at=now, tables=new) for o, y in todo],
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    by_year: dict[int, list[int]] = defaultdict(list)
    for org, year in todo:
        by_year[year].append(org)
    by_bodies: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for year, marked in by_year.items():
        by_bodies[tuple(marked)].append(year)
    for orgs, years in by_bodies.items():
        for start in range(0, len(orgs), CHUNK):
            FigureState.objects.filter(year__in=years, org_id__in=orgs[start : start + CHUNK]).update(
                dirty=True, changed_at=now, version=F("version") + 1, tables=expression
            )


def invalidate_all() -> None:
    """Something every body's figures depend on changed (an outcome mapping, a channel kind): every body's
    figures are recomputed before they are read again (a refresh running now keeps none of its results)."""
    FigureState.objects.update(dirty=True, changed_at=timezone.now(), version=F("version") + 1, tables="*")


BUILT = "#built"  # the ``tables`` column of a ``FigureYear`` row in ``_marks_and_builds`` (no table name)


def year_built(year: int) -> bool:
    """Whether the year's aggregates are complete (read each time, with the dirty marks in ``refresh_dirty``:
    a process's memory would outlive a rolled-back or restored database).

    A build covers ``year`` only if it ran by the end of the year before: an open record (an unanswered
    request, a document in force) is marked up to the year after its write, so a later year nobody wrote in
    since is built whole when first read (tests/figures/test_rollover.py)."""
    built = FigureYear.objects.filter(year__in=(0, year)).values_list("built_at", flat=True)
    return any(timezone.localtime(at).year + 1 >= year for at in built)


def _marks_and_builds(year: int, where: Q | None) -> tuple[list[tuple[int, str]], bool]:
    """(the dirty marks of ``year`` matching ``where``: (body id, tables), whether the year was built): one
    query, the builds' local years unioned to the marks."""
    marks = FigureState.objects.filter(year=year, dirty=True)
    if where is not None:
        marks = marks.filter(where)
    builds = (
        FigureYear.objects.filter(year__in=(0, year))
        .annotate(local=ExtractYear("built_at"), tag=Value(BUILT, output_field=TextField()))
        .values_list("local", "tag")
    )
    rows = list(marks.values_list("org_id", "tables").union(builds, all=True))
    built = any(local + 1 >= year for local, tag in rows if tag == BUILT)
    return [(org, tables) for org, tables in rows if tables != BUILT], built


def _versions(year: int, ids: list[int] | None, *, lock: bool = False) -> dict[int, tuple[int, int]]:
    """{body id: (state row id, version)} of ``year`` for ``ids`` (None = every body), locked if ``lock``."""
    states = FigureState.objects.filter(year=year)
    if ids is not None:
        states = states.filter(org_id__in=ids)
    if lock:
        states = states.select_for_update()
    return {org: (pk, version) for pk, org, version in states.values_list("pk", "org_id", "version")}


def _store(
    year: int, values: dict[tuple[int, str], Decimal], ids: list[int] | None, stale: set[int], keys: Keys
) -> None:
    """Replace the figures of ``year`` for ``ids`` (None = every body) but the ``stale`` bodies (only the
    statistics ``keys``, if given)."""
    old = BodyFigure.objects.filter(year=year)
    if keys is not None:
        old = old.filter(key__in=keys)
    (old if ids is None else old.filter(org_id__in=ids)).exclude(org_id__in=stale).delete()
    BodyFigure.objects.bulk_create(
        [BodyFigure(org_id=o, year=year, key=k, value=v) for (o, k), v in values.items() if o not in stale],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["org", "year", "key"],
        update_fields=["value"],
    )


def _write(year: int, ids: list[int] | None, started: dt.datetime, explicit: bool, keys: Keys = None) -> int:
    """Recompute and replace the figures of ``year`` for ``ids`` (None = every body); returns bodies done.

    The bodies' versions are read before computing and again, locked, before storing: a body marked meanwhile
    (its version moved) keeps its figures and stays dirty — another refresh may have stored newer ones, and
    the next read recomputes it. ``explicit`` (a rebuild, not a refresh of marked bodies) also moves
    ``changed_at``, so the stamp changes after a bulk write that marked nothing. ``keys``: the statistics to
    recompute (None = all; ``compute.moved_keys``)."""
    read = _versions(year, ids)
    values = compute_year(year, ids, keys)
    with transaction.atomic():
        now = _versions(year, ids, lock=True)
        stale = {org for org, (_pk, version) in now.items() if version != read.get(org, (0, 0))[1]}
        _store(year, values, ids, stale, keys)
        bodies = ids if ids is not None else list(Organisation.objects.values_list("pk", flat=True))
        FigureState.objects.bulk_create(  # bodies never marked: a row (a mark racing in wins the conflict)
            [
                FigureState(
                    org_id=o, year=year, dirty=False, changed_at=started, computed_at=started, tables=""
                )
                for o in bodies
                if o not in now
            ],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        kept = [pk for org, (pk, _version) in now.items() if org not in stale]
        fields: dict[str, Any] = {"dirty": False, "computed_at": started, "tables": ""}
        if explicit:
            fields["changed_at"] = started
        for start in range(0, len(kept), CHUNK):
            FigureState.objects.filter(pk__in=kept[start : start + CHUNK]).update(**fields)
        if ids is None:
            FigureYear.objects.update_or_create(year=year, defaults={"built_at": started})
    return len(bodies) - len(stale)


def refresh(
    year: int,
    ids: list[int] | None,
    progress: Progress | None = None,
    *,
    explicit: bool = False,
    keys: Keys = None,
) -> int:
    """Recompute ``year`` for ``ids`` (None: every body), in batches of CHUNK bodies; returns bodies done.
    ``keys``: only those statistics (None: all)."""
    started = timezone.now()
    if ids is None:
        return _write(year, None, started, explicit, keys)
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += _write(year, ids[start : start + CHUNK], started, explicit, keys)
        if progress is not None:
            progress(done, len(ids))
    return done


def ensure_year(year: int) -> None:
    """Build the year whole if it never was (a database that had records before the aggregates existed)."""
    if not year_built(year):
        refresh(year, None)


def refresh_dirty(year: int, where: Q | None = None) -> int:
    """Recompute the dirty bodies of ``year`` (those matching ``where``, a condition on ``org_id``, if given):
    only the statistics reading the tables their marks name (a publication recorded recomputes the publication
    statistics, not Table 3); many dirty bodies (after an invalidation) are recomputed whole in one pass over
    every body. Reads the primary even during a request routed to a replica: a lagging copy's counts must never
    be stored as fresh."""
    with reading_from_primary():
        found, built = _marks_and_builds(year, where)
        if not built or len(found) > CHUNK:
            return refresh(year, None)
        by_tables: dict[str, list[int]] = defaultdict(list)
        for org, tables in found:
            by_tables[tables].append(org)
        done = 0
        for tables, ids in by_tables.items():  # usually one: the tables a staff member's write touched
            done += refresh(year, ids, keys=moved_keys(year, tables.split(",") if tables else ["*"]))
        return done
