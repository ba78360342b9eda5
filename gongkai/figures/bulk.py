"""Dirty marks for bulk writes, which send no signals (``bulk_create``, ``bulk_update``, ``QuerySet.update``):
the caller passes the rows it wrote (and, for an update, ``marks_of`` the rows as they were before)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from gongkai.figures.signals import Marks, child_years, marks
from gongkai.figures.store import mark_pairs


def marks_of(objs: Iterable[models.Model]) -> list[Marks]:
    """The bodies and years the rows count in as they are now (call before changing them); the children's
    years (a publication's postings) in one query per model."""
    rows = list(objs)
    children = child_years(rows)
    return [marks(obj, children.get((type(obj), obj.pk))) for obj in rows]


def mark_records(objs: Iterable[models.Model], stale: Iterable[Marks] = ()) -> None:
    """Mark the bodies and years of the rows written (and of their previous state ``stale``) dirty, naming
    the rows' tables (only the statistics reading them are recomputed), in the caller's transaction."""
    rows = list(objs)
    pairs = {(o, y) for bodies, years in (*marks_of(rows), *stale) for o in bodies for y in years}
    mark_pairs(pairs, {obj._meta.db_table for obj in rows} or None)
