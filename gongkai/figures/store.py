"""Writing the aggregates: dirty marks, rebuilds, the years built, the freshness stamp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.dbrouting import reading_from_primary
from gongkai.figures.compute import compute_year
from gongkai.figures.models import BodyFigure, FigureState, FigureYear
from gongkai.organisations.models import Organisation

CHUNK = 500  # bodies per grouped query of a partial rebuild (well under SQLite's parameter limit)
Progress = Callable[[int, int], None]


def mark_dirty(org_ids: Iterable[int], years: Iterable[int]) -> None:
    """Mark the bodies' aggregates of ``years`` stale: recomputed before the next report reads them. Call it
    in the transaction of the write (the signal handlers do, for every save and delete of a counted record)."""
    years = set(years)
    mark_pairs({(o, y) for o in set(org_ids) for y in years})


def mark_pairs(pairs: Iterable[tuple[int, int]]) -> None:
    """Mark each (body id, year) dirty, in one upsert per CHUNK rows."""
    now = timezone.now()
    rows = [FigureState(org_id=o, year=y, dirty=True, changed_at=now) for o, y in sorted(set(pairs))]
    if rows:
        FigureState.objects.bulk_create(
            rows,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["org", "year"],
            update_fields=["dirty", "changed_at"],
        )


def invalidate_all() -> None:
    """Something every body's figures depend on changed (an outcome mapping, a channel kind): every body's
    figures are recomputed before they are read again."""
    FigureState.objects.filter(dirty=False).update(dirty=True, changed_at=timezone.now())


_BUILT: set[tuple[str, int]] = set()  # (database, year) seen complete by this process


def year_built(year: int) -> bool:
    """Whether the year's aggregates are complete; once seen, they stay so (invalidation marks bodies dirty
    instead of dropping a year), so the answer is kept for the process.

    A build covers ``year`` only if it ran by the end of the year before: an open record (an unanswered
    request, a document in force) is marked up to the year after its write, so a later year nobody wrote in
    since is built whole when first read (tests/figures/test_rollover.py)."""
    key = (FigureYear.objects.db, year)
    if key not in _BUILT:
        built = FigureYear.objects.filter(year__in=(0, year)).values_list("built_at", flat=True)
        if any(timezone.localtime(at).year + 1 >= year for at in built):
            _BUILT.add(key)
    return key in _BUILT


def _write(year: int, ids: list[int] | None, started: dt.datetime, explicit: bool) -> int:
    """Recompute and replace the figures of ``year`` for ``ids`` (None = every body); returns bodies done.
    ``explicit`` (a rebuild, not a refresh of marked bodies) also moves ``changed_at``, so the stamp changes
    after a bulk write that marked nothing. Rows are upserted: two refreshes racing write the same values."""
    values = compute_year(year, ids)
    with transaction.atomic():
        old = BodyFigure.objects.filter(year=year)
        (old if ids is None else old.filter(org_id__in=ids)).delete()
        BodyFigure.objects.bulk_create(
            [BodyFigure(org_id=o, year=year, key=k, value=v) for (o, k), v in values.items()],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["org", "year", "key"],
            update_fields=["value"],
        )
        bodies = ids if ids is not None else list(Organisation.objects.values_list("pk", flat=True))
        FigureState.objects.bulk_create(
            [
                FigureState(org_id=o, year=year, dirty=False, changed_at=started, computed_at=started)
                for o in bodies
            ],
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["org", "year"],
            update_fields=["computed_at", "changed_at"] if explicit else ["computed_at"],
        )
        # marks made while computing stay dirty
        done = FigureState.objects.filter(year=year, changed_at__lte=started)
        (done if ids is None else done.filter(org_id__in=ids)).update(dirty=False)
        if ids is None:
            FigureYear.objects.update_or_create(year=year, defaults={"built_at": started})
    return len(bodies)


def refresh(
    year: int, ids: list[int] | None, progress: Progress | None = None, *, explicit: bool = False
) -> int:
    """Recompute ``year`` for ``ids`` (None: every body), in batches of CHUNK bodies; returns bodies done."""
    started = timezone.now()
    if ids is None:
        return _write(year, None, started, explicit)
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += _write(year, ids[start : start + CHUNK], started, explicit)
        if progress is not None:
            progress(done, len(ids))
    return done


def ensure_year(year: int) -> None:
    """Build the year whole if it never was (a database that had records before the aggregates existed)."""
    if not year_built(year):
        refresh(year, None)


def refresh_dirty(year: int, where: Q | None = None) -> int:
    """Recompute the dirty bodies of ``year`` (those matching ``where``, a condition on ``org_id``, if given);
    many dirty bodies (after an invalidation) are recomputed in one pass over every body. Reads the primary
    even during a request routed to a replica: a lagging copy's counts must never be stored as fresh."""
    with reading_from_primary():
        ensure_year(year)
        marks = FigureState.objects.filter(year=year, dirty=True)
        if where is not None:
            marks = marks.filter(where)
        ids = list(marks.values_list("org_id", flat=True))
        if len(ids) > CHUNK:
            return refresh(year, None)
        return refresh(year, ids) if ids else 0
