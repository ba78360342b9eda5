"""Rebuilding the aggregates on demand (``gongkai figures rebuild``, bulk loaders): one audit entry per batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Min

from gongkai.audit.log import SYSTEM, record
from gongkai.figures.store import CHUNK, refresh

FIRST_YEAR = 2008  # the Regulations' first reporting year


def record_years() -> list[int]:
    """The years a report can have figures in: from the earliest date of any counted record (no statistic
    counts a record dated after its year) to next year; none without records."""
    from django.utils import timezone

    from gongkai.figures.signals import COUNTED, _dates

    firsts = []
    for model in COUNTED:
        fields = [f.name for f in _dates(model)] + (
            ["year"] if any(f.name == "year" for f in model._meta.fields) else []
        )
        found = model._default_manager.aggregate(**{f: Min(f) for f in fields})
        firsts += [v if isinstance(v, int) else v.year for v in found.values() if v is not None]
    if not firsts:
        return []
    return list(range(max(FIRST_YEAR, min(firsts)), timezone.localdate().year + 2))


def rebuild(
    org_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the figures of ``org_ids`` (None: every body) for ``years`` (None: every reporting year);
    returns bodies × years recomputed. Each batch (a year, or CHUNK bodies of it) is one transaction with its
    audit entry."""
    ids = None if org_ids is None else sorted(set(org_ids))
    todo = sorted(set(years)) if years is not None else record_years()
    total = 0
    for n, year in enumerate(todo, 1):
        batches = [None] if ids is None else [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
        for batch in batches:
            with transaction.atomic():
                done = refresh(year, batch, explicit=True)
                record(
                    SYSTEM,
                    "figures.rebuild",
                    object_type="figures.bodyfigure",
                    summary=f"{year}: {done}",
                    batch_size=max(done, 1),
                )
            total += done
        if progress is not None:
            progress(n, len(todo))
    return total
