"""Keeping ``PublishedCount`` in step with the catalog, and reading totals from it.

``moved(before, after)`` is called by the catalog's transitions inside their transaction with the item's count
key before and after the step (``key_of``: ``None`` when the item is not public), so a count never disagrees
with a committed catalog. Bulk writers (the demo loader, ``gongkai import``, ``gongkai synth``) call
``rebuild_counts()`` once they are done; ``gongkai rebuild_counts`` does the same by hand (it bumps the page
cache's ``catalog`` generation, ``gongkai.pagecache``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import Coalesce, ExtractYear

from gongkai import pagecache
from gongkai.catalog.models import Publication, PublicationStatus
from gongkai.catalogstats.models import PublishedCount

Key = tuple[int, int, int, int]  # body id, year, topic id (0: none), genre id (0: none)
BATCH = 2000


def is_public(pub: Publication) -> bool:
    """The row form of ``catalog.models.public_condition``."""
    return pub.status == PublicationStatus.PUBLISHED or (
        pub.status == PublicationStatus.DRAFT and pub.published_on is not None
    )


def key_of(pub: Publication) -> Key | None:
    """Where ``pub`` is counted now, or ``None`` when the public does not see it."""
    if not is_public(pub):
        return None
    year = pub.published_on.year if pub.published_on is not None else 0
    return (pub.body_id, year, pub.topic_id or 0, pub.genre_id or 0)


def moved(before: Key | None, after: Key | None) -> None:
    """Move one item's count from ``before`` to ``after`` (either may be ``None``), in the caller's transaction."""
    if before == after:
        return
    if before is not None:
        _add(before, -1)
    if after is not None:
        _add(after, 1)


def _add(key: Key, delta: int) -> None:
    body, year, topic, genre = key
    row = PublishedCount.objects.filter(body_id=body, year=year, topic_pk=topic, genre_pk=genre)
    if row.update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():  # a savepoint: another writer may insert the same key first
            PublishedCount.objects.create(body_id=body, year=year, topic_pk=topic, genre_pk=genre, n=delta)
    except IntegrityError:
        row.update(n=F("n") + delta)


def rebuild_counts(bodies: Iterable[int] | None = None) -> int:
    """Recompute the counts from the catalog (of ``bodies`` only, when given) in one transaction, by one grouped
    query; returns the number of rows written."""
    items = Publication.objects.public()
    old = PublishedCount.objects.all()
    if bodies is not None:
        ids = list(bodies)
        items, old = items.filter(body_id__in=ids), old.filter(body_id__in=ids)
    zero = Value(0, output_field=IntegerField())
    grouped = (
        items.annotate(
            y=Coalesce(ExtractYear("published_on"), zero),
            t=Coalesce("topic_id", zero),
            g=Coalesce("genre_id", zero),
        )
        .values("body_id", "y", "t", "g")
        .annotate(n=Count("id"))
        .order_by()
    )
    with transaction.atomic():
        old.delete()
        rows = [
            PublishedCount(body_id=r["body_id"], year=r["y"], topic_pk=r["t"], genre_pk=r["g"], n=r["n"])
            for r in grouped.iterator(chunk_size=BATCH)
        ]
        PublishedCount.objects.bulk_create(rows, batch_size=BATCH)
        pagecache.bump(pagecache.CATALOG)
    return len(rows)
