"""Domain functions for the catalog: index numbers and publishing records (atomic, audited).

The publishing workflow with confidentiality review (保密审查) comes with the catalog issue; here a
publication is recorded as published with its channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.models import (
    Channel,
    IndexNumberTemplate,
    Publication,
    PublicationChannel,
    PublicationStatus,
)
from gongkai.figures.bulk import mark_records
from gongkai.organisations.actions import require_valid_on
from gongkai.organisations.models import Organisation

# Sent once a transaction that wrote publications commits, with ``publication_ids`` (sorted, distinct): what
# is derived from publications outside this app (the search index: ``gongkai.search.signals``) brings them up
# to date. The catalog names none of its readers, so it imports none of them (no import circle).
publications_changed = Signal()


def changed_on_commit(publication_ids: Iterable[int]) -> None:
    """Send ``publications_changed`` for these publications once the current transaction commits (at once
    outside a transaction). Every write path of the catalog calls this; bulk loaders with the ids they wrote."""
    ids = sorted({int(pk) for pk in publication_ids if pk is not None})
    if ids:
        transaction.on_commit(lambda: publications_changed.send(sender=Publication, publication_ids=ids))


def index_template(body: Organisation) -> str:
    """The nearest template up the tree (the body's own, else an ancestor's), else the deployment default."""
    ancestor_ids = [int(seg) for seg in body.path.split(".") if seg]
    templates = dict(
        IndexNumberTemplate.objects.filter(body_id__in=ancestor_ids).values_list("body_id", "template")
    )
    for pk in reversed(ancestor_ids):
        if pk in templates:
            return templates[pk]
    return str(settings.GONGKAI_INDEX_TEMPLATE)


def render_index_number(template: str, code: str, year: int, serial: int) -> str:
    return template.format(code=code, year=year, serial=serial)


def index_number(pub: Publication) -> str:
    return render_index_number(index_template(pub.body), pub.index_code, pub.index_year, pub.index_serial)


def validate_index_template(template: str) -> None:
    try:
        render_index_number(template, "000000000", 2000, 1)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise ValidationError(
            {"template": _("索引号模板只能使用 {code}、{year}、{serial} 占位符：%(error)s") % {"error": exc}}
        ) from exc


def next_serial(code: str, year: int) -> int:
    """The next free serial for a code and year; callers hold the transaction (serials are never reused)."""
    current = Publication.objects.filter(index_code=code, index_year=year).aggregate(m=Max("index_serial"))[
        "m"
    ]
    return (current or 0) + 1


@transaction.atomic
def record_publication(
    actor: Actor,
    body: Organisation,
    *,
    title: str,
    made_on: dt.date,
    published_on: dt.date | None,
    channels: Sequence[Channel] = (),
    **fields: Any,
) -> Publication:
    """Record a published (or issued but unpublished) item with a newly allocated index number; every
    published item goes out on at least one channel."""
    if published_on is not None and not channels:
        raise ValidationError({"channels": _("已发布的政府信息至少要有一个发布渠道")})
    require_valid_on(body, published_on or made_on)
    year = (published_on or made_on).year
    # Lock the body's row so two writers cannot take the same serial.
    Organisation.objects.select_for_update().filter(pk=body.pk).first()
    pub = Publication(
        body=body,
        title=title,
        made_on=made_on,
        published_on=published_on,
        index_code=body.org_code,
        index_year=year,
        index_serial=next_serial(body.org_code, year),
        status=PublicationStatus.PUBLISHED if published_on else PublicationStatus.DRAFT,
        **fields,
    )
    if pub.normative_kind and pub.issued_on is None:
        pub.issued_on = made_on
    pub.full_clean()
    pub.save()
    if published_on is not None:
        postings = PublicationChannel.objects.bulk_create(
            [PublicationChannel(publication=pub, channel=c, published_on=published_on) for c in channels]
        )
        mark_records(postings)  # bulk_create sends no signal (gongkai.figures)
    after = snapshot(pub) | {"channels": [c.pk for c in channels], "index_number": index_number(pub)}
    record(actor, "publication.record", pub, after=after, summary=pub.title)
    changed_on_commit([pub.pk])
    return pub
