"""Writing a planned import in batches, one audit entry per batch (the caller holds the transaction, so the whole
file or nothing is written): new items, postings and reviews as raw rows with reserved ids
(``gongkai.bulkrows.Rows``), changes of existing items with bulk_update / bulk_create; the figures' dirty
marks and the portal counts kept as the ORM write paths keep them (bulk writes send no signals)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record
from gongkai.bulkrows import Rows, next_id
from gongkai.catalog import revisions
from gongkai.catalog.importing.lookups import IndexKey
from gongkai.catalog.importing.plan import PENDING
from gongkai.catalog.importing.rows import Planned
from gongkai.catalog.models import (
    ConfidentialityReview,
    Publication,
    PublicationChannel,
    PublicationStatus,
    PublicationVersion,
)
from gongkai.catalog.transitions import EDITABLE_FIELDS
from gongkai.catalogstats.counts import rebuild_counts
from gongkai.figures.bulk import mark_records, marks_of
from gongkai.figures.signals import marks
from gongkai.figures.store import mark_pairs

BATCH = 2000


def _chunks(items: Sequence[Planned], size: int = BATCH) -> list[Sequence[Planned]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _review(p: Planned, pub: Publication) -> list[ConfidentialityReview]:
    if p.review is None:
        return []
    r = p.review
    return [
        ConfidentialityReview(
            publication=pub,
            version=pub.version,
            reviewer=r.reviewer,
            reviewed_on=r.on,
            conclusion=r.conclusion,
            note=r.note,
        )
    ]


def _postings(p: Planned, pub: Publication, known: set[int]) -> list[PublicationChannel]:
    day = pub.published_on
    if day is None:
        return []
    return [
        PublicationChannel(publication=pub, channel=c, published_on=day)
        for c in p.channels
        if c.pk not in known
    ]


def reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` fresh primary keys for ``model``: drawn from its sequence on PostgreSQL (safe beside other
    writers, no sequence reset needed); after the table's maximum on SQLite, whose single writer lock makes a
    concurrent import fail and roll back rather than collide."""
    if n <= 0:
        return []
    if connection.vendor != "postgresql":
        start = next_id(model)
        return list(range(start, start + n))
    table = str(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
        )
        return [int(r[0]) for r in cursor.fetchall()]


class Marks:
    """The figures' dirty marks of new rows, without model instances: ``gongkai.figures.signals.marks`` (the
    one rule) is asked once per distinct shape of a row — its bodies, the year of each date, its postings'
    years — which is all the marks depend on."""

    def __init__(self) -> None:
        self.pairs: set[tuple[int, int]] = set()
        self._seen: set[tuple[object, ...]] = set()
        self._dates: dict[type[models.Model], list[str]] = {
            m: _date_names(m) for m in (Publication, PublicationChannel)
        }

    def _shape(self, model: type[models.Model], values: dict[str, Any]) -> tuple[object, ...]:
        return tuple(d.year if (d := values.get(name)) is not None else None for name in self._dates[model])

    def publication(self, values: dict[str, Any], posted: list[dict[str, Any]]) -> None:
        years = sorted({v["published_on"].year for v in posted})
        shape = (values["body_id"], self._shape(Publication, values), tuple(years))
        if shape in self._seen:
            return
        self._seen.add(shape)
        fields = {k: v for k, v in values.items() if k != "id"}
        pub = Publication(**fields)
        self._add(marks(pub, years))
        for v in posted:
            self._add(marks(PublicationChannel(publication=pub, published_on=v["published_on"])))

    def _add(self, found: tuple[set[int], set[int]]) -> None:
        bodies, years = found
        self.pairs.update((b, y) for b in bodies for y in years)


def _date_names(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateField)]


_VERSION = Publication._meta.get_field("version").get_default()  # a new publication's version


def _create_rows(
    batch: Sequence[Planned], ids: list[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The new publications, their postings and reviews as column values (attribute names)."""
    pubs, posts, reviews = [], [], []
    for p, pk in zip(batch, ids, strict=True):
        values = dict(p.fields)
        if values.get("interprets_id") == PENDING:  # linked once the item it interprets has an id
            values["interprets_id"] = None
        values.update(
            id=pk,
            body_id=p.body.pk,
            index_code=p.key.code,
            index_year=p.key.year,
            index_serial=p.key.serial,
            repealed_on=p.repealed_on,
            status=p.status or "",
            published_on=p.published_on,
        )
        pubs.append(values)
        if p.published_on is not None:
            posts += [
                {"publication_id": pk, "channel_id": c.pk, "published_on": p.published_on} for c in p.channels
            ]
        if p.review is not None:
            r = p.review
            reviews.append(
                {
                    "publication_id": pk,
                    "version": _VERSION,
                    "reviewer_id": r.reviewer.pk,
                    "reviewed_on": r.on,
                    "conclusion": r.conclusion,
                    "note": r.note,
                }
            )
    return pubs, posts, reviews


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Prepared-INSERT ``executemany`` / ``COPY`` (``gongkai.bulkrows.Rows``) with reserved ids."""
    if not rows:
        return
    for row, pk in zip(rows, reserve_ids(model, len(rows)), strict=True):
        row.setdefault("id", pk)
    table = Rows(model)
    table.insert(_tuples(table, rows))


def _tuples(table: Rows, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """``table.row`` for many rows with the same keys: the columns they leave to their default are converted
    once (``pending``'s JSON, the version), the others per row."""
    given = rows[0].keys()
    fixed = {
        a: (c(table.defaults[a]) if c else table.defaults[a]) for a, c in table.convert if a not in given
    }
    if any(r.keys() != given for r in rows):
        return [table.row(r) for r in rows]
    columns = [(a, c, a in fixed) for a, c in table.convert]
    return [tuple(fixed[a] if f else (c(r[a]) if c else r[a]) for a, c, f in columns) for r in rows]


def create(actor: Actor, batch: Sequence[Planned], source: str, figures: Marks) -> dict[IndexKey, int]:
    """New publications with their channels and reviews, written as raw rows (no model instances; the
    values were validated by ``rows``/``plan``); returns their ids by index number."""
    ids = reserve_ids(Publication, len(batch))
    pubs, posts, reviews = _create_rows(batch, ids)
    _insert(Publication, pubs)
    _insert(PublicationChannel, posts)
    _insert(ConfidentialityReview, reviews)
    by_pub: dict[int, list[dict[str, Any]]] = {}
    for v in posts:
        by_pub.setdefault(v["publication_id"], []).append(v)
    for values in pubs:  # bulk writes send no signals (gongkai.figures)
        figures.publication(values, by_pub.get(values["id"], []))
    record(
        actor,
        "publication.import",
        object_type="catalog.publication",
        summary=_("导入%(file)s：新增%(n)d条") % {"file": source, "n": len(pubs)},
        after={"file": source, "created": ids},
        batch_size=len(pubs),
    )
    return {p.key: pk for p, pk in zip(batch, ids, strict=True)}


def update(actor: Actor, batch: Sequence[Planned], source: str) -> list[int]:
    """New versions (the old one kept, like ``transitions.revise``) and workflow steps of existing items."""
    now, versions, postings, reviews = timezone.now(), [], [], []
    before: dict[int, dict[str, object]] = {}
    after: dict[int, dict[str, object]] = {}
    pubs = []
    stale = marks_of(p.existing.pub for p in batch if p.existing is not None)  # the rows as they were
    for p in batch:
        assert p.existing is not None
        pub = p.existing.pub
        if p.action == "revise":
            versions.append(
                PublicationVersion(
                    publication=pub,
                    version=pub.version,
                    title=pub.title,
                    text=pub.text,
                    document_number=pub.document_number,
                    replaced_at=now,
                    reason=_("批量导入%(file)s") % {"file": source},
                )
            )
            p.fields["version"] = pub.version + 1
        before[pub.pk] = {f: getattr(pub, f) for f in p.fields}
        for name, value in _set_aside(pub, p.fields).items():
            setattr(pub, name, value)
        after[pub.pk] = dict(p.fields)
        postings += _postings(p, pub, p.existing.channel_ids)
        reviews += _review(p, pub)
        pubs.append(pub)
    PublicationVersion.objects.bulk_create(versions)
    changed = sorted({name for p in batch for name in p.fields})
    if any(pub.pending for pub in pubs):
        changed.append("pending")
    if changed:
        Publication.objects.bulk_update(pubs, changed)
    PublicationChannel.objects.bulk_create(postings)
    ConfidentialityReview.objects.bulk_create(reviews)
    mark_records([*pubs, *postings], stale)  # bulk writes send no signals (gongkai.figures)
    record(
        actor,
        "publication.import_update",
        object_type="catalog.publication",
        summary=_("导入%(file)s：更新%(n)d条（其中新版本%(v)d条）")
        % {"file": source, "n": len(pubs), "v": len(versions)},
        before={str(k): v for k, v in before.items()},
        after={str(k): v for k, v in after.items()},
        batch_size=len(pubs),
    )
    return [pub.pk for pub in pubs]


def link_interpretations(
    actor: Actor, rows: Sequence[Planned], ids: dict[IndexKey, int], source: str
) -> None:
    """Point interpretations at policies created by the same file (they had no id when validated)."""
    pending = [p for p in rows if p.fields.get("interprets_id") == PENDING and p.interprets_key is not None]
    if not pending:
        return
    pubs = []
    for p in pending:
        assert p.interprets_key is not None
        pubs.append(Publication(pk=ids[p.key], interprets_id=ids[p.interprets_key]))
    Publication.objects.bulk_update(pubs, ["interprets_id"], batch_size=BATCH)
    record(
        actor,
        "publication.import_link",
        object_type="catalog.publication",
        summary=_("导入%(file)s：关联解读%(n)d条") % {"file": source, "n": len(pubs)},
        after={str(p.pk): p.interprets_id for p in pubs},
        batch_size=len(pubs),
    )


def write_all(
    actor: Actor, rows: Sequence[Planned], source: str, advance: Callable[[int], None]
) -> list[int]:
    """Everything the plan says, batch by batch; returns the ids written."""
    creates = [p for p in rows if p.action == "create"]
    updates = [p for p in rows if p.action in {"revise", "update"}]
    ids: dict[IndexKey, int] = {}
    touched: list[int] = []
    figures = Marks()
    for batch in _chunks(creates):
        ids |= create(actor, batch, source, figures)
        advance(len(batch))
    mark_pairs(figures.pairs)
    # An existing row that now interprets a new item is written with its link in place.
    for p in updates:
        if p.fields.get("interprets_id") == PENDING and p.interprets_key in ids:
            p.fields["interprets_id"] = ids[p.interprets_key]
    for batch in _chunks(updates):
        touched += update(actor, batch, source)
        advance(len(batch))
    link_interpretations(actor, creates, ids, source)
    written = [*ids.values(), *touched]
    # Bulk writes send no signals: the portal's counts of the bodies written are recomputed here (an import
    # never moves an item to another body, so the bodies are those of the rows).
    rebuild_counts({p.body.pk for p in [*creates, *updates]})
    return written


def _set_aside(pub: Publication, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields to write into the row. A published item whose imported version lands as a draft (a revision
    awaiting its review) keeps its public content in the row; the new content waits in ``pending``
    (``catalog.revisions``), so that nothing unreviewed reaches the portal or the search index."""
    if fields.get("status", pub.status) != PublicationStatus.DRAFT or pub.published_on is None:
        return fields
    content = {k: v for k, v in fields.items() if Publication._meta.get_field(k).name in EDITABLE_FIELDS}
    revisions.keep(pub, revisions.with_changes(pub, content), content)
    return {k: v for k, v in fields.items() if k not in content}
