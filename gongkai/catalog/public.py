"""What the public sees of an item: while a revision of a published item awaits its confidentiality review
(2019 Regulations art 17), the portal, its lists and the search index show the version last published, never
the unreviewed text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from gongkai.catalog.models import Publication, PublicationStatus, PublicationVersion

P = TypeVar("P", bound=Sequence[Publication])
PUBLIC_FIELDS = ("title", "text", "document_number")


def under_revision(pub: Publication) -> bool:
    """Published before, now a revision waiting for review (``Publication.objects.public()`` keeps it)."""
    return pub.status == PublicationStatus.DRAFT and pub.published_on is not None


def last_published(publication_ids: Iterable[int]) -> dict[int, PublicationVersion]:
    """The latest kept version of each item (kept versions are the published ones: ``revise`` keeps the
    version it replaces, and only a published item can be revised), in one query."""
    latest: dict[int, PublicationVersion] = {}
    ids = list(publication_ids)
    if not ids:
        return latest
    for version in PublicationVersion.objects.filter(publication_id__in=ids).order_by(
        "publication_id", "version"
    ):
        latest[version.publication_id] = version
    return latest


def public_versions(pubs: P) -> P:
    """Show ``pubs`` as the public sees them: an item under revision gets the title, text and document number
    of its last published version. For display only: the objects changed here must never be saved."""
    pending = {p.pk: p for p in pubs if under_revision(p)}
    for pk, version in last_published(pending).items():
        for field in PUBLIC_FIELDS:
            setattr(pending[pk], field, getattr(version, field))
    return pubs
