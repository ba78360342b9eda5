"""Writing a planned import in batches: bulk_create / bulk_update, one audit entry per batch (the caller holds
the transaction, so the whole file or nothing is written)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record
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


def create(actor: Actor, batch: Sequence[Planned], source: str) -> dict[IndexKey, int]:
    """New publications with their channels and reviews; returns their ids by index number."""
    pubs = []
    for p in batch:
        fields = {k: v for k, v in p.fields.items() if not (k == "interprets_id" and v == PENDING)}
        pubs.append(
            Publication(
                body=p.body,
                index_code=p.key.code,
                index_year=p.key.year,
                index_serial=p.key.serial,
                repealed_on=p.repealed_on,
                status=p.status or "",
                published_on=p.published_on,
                **fields,
            )
        )
    Publication.objects.bulk_create(pubs)
    postings = PublicationChannel.objects.bulk_create(
        [x for p, pub in zip(batch, pubs, strict=True) for x in _postings(p, pub, set())]
    )
    mark_records([*pubs, *postings])  # bulk writes send no signals (gongkai.figures)
    ConfidentialityReview.objects.bulk_create(
        [x for p, pub in zip(batch, pubs, strict=True) for x in _review(p, pub)]
    )
    ids = [pub.pk for pub in pubs]
    record(
        actor,
        "publication.import",
        object_type="catalog.publication",
        summary=_("导入%(file)s：新增%(n)d条") % {"file": source, "n": len(pubs)},
        after={"file": source, "created": ids},
        batch_size=len(pubs),
    )
    return {p.key: pub.pk for p, pub in zip(batch, pubs, strict=True)}


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
    for batch in _chunks(creates):
        ids |= create(actor, batch, source)
        advance(len(batch))
    # An existing row that now interprets a new item is written with its link in place.
    for p in updates:
        if p.fields.get("interprets_id") == PENDING and p.interprets_key in ids:
            p.fields["interprets_id"] = ids[p.interprets_key]
    for batch in _chunks(updates):
        touched += update(actor, batch, source)
        advance(len(batch))
    link_interpretations(actor, creates, ids, source)
    written = [*ids.values(), *touched]
    # Bulk writes send no signals: the portal's counts of the bodies written are recomputed here.
    rebuild_counts(set(Publication.objects.filter(pk__in=written).values_list("body_id", flat=True)))
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
