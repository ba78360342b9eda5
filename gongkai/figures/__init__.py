"""Per-body, per-year aggregates of the report statistics (issue 11 deliverable 2, docs/statistics.md
"Aggregates"): reports sum them over their bodies instead of counting the subtree's records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.reports.registry import Number


def rebuild(
    org_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the aggregates (every body and year by default); one audit entry per batch. Returns bodies×years."""
    from gongkai.figures.jobs import rebuild as run

    return run(org_ids, years, progress)


def mark_dirty(org_ids: Iterable[int], years: Iterable[int]) -> None:
    """Mark the bodies' figures of ``years`` stale, in the transaction of a write that bypasses signals."""
    from gongkai.figures.store import mark_dirty as mark

    mark(org_ids, years)


def stamp(org_id: int, year: int, scope: str) -> str:
    """A short string that changes whenever a figure of that report may have changed (a cache key part)."""
    from gongkai.figures.read import stamp as make

    return make(org_id, year, scope)


def rollup_all(year: int, fmt: str = "") -> dict[tuple[int, str], dict[str, Number]]:
    """{(body id, "own" | "subtree"): {statistic key: value}} for every body of ``year`` in one pass."""
    from gongkai.figures.rollup import rollup_all as run

    return run(year, fmt)


__all__ = ["mark_dirty", "rebuild", "rollup_all", "stamp"]
