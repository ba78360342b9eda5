"""What keeps the counts and the page cache in step with the rows they are derived from.

* ``Publication`` saved or deleted one by one (the catalog's transitions, the admin, tests): its count moves from
  the key it had in the database to the key it has now, in the same transaction (``counts.moved``). Bulk writes
  (``bulk_create``, ``bulk_update``, ``QuerySet.update``) send no signal: their callers run ``rebuild_counts``.
* Public pages: a publication that is or was public bumps ``CATALOG`` when saved or deleted; a body, guide,
  guide rule or index-number template bumps ``BODIES``; a published report or one of its versions bumps
  ``REPORTS`` (``gongkai.pagecache``).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from gongkai import pagecache
from gongkai.catalog.models import IndexNumberTemplate, Publication, PublicationStatus
from gongkai.catalogstats import counts
from gongkai.organisations.models import Organisation
from gongkai.portal.models import DisclosureGuide
from gongkai.reports.models import ReportPublication, ReportVersion

KEY_FIELDS = ("status", "published_on", "body_id", "topic_id", "genre_id")
BEFORE = "_gongkai_count_key"


def _stored_key(pk: int | None) -> counts.Key | None:
    if pk is None:
        return None
    row = Publication.objects.filter(pk=pk).only(*KEY_FIELDS).first()
    return counts.key_of(row) if row is not None else None


def before_publication_save(sender: Any, instance: Publication, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        setattr(instance, BEFORE, _stored_key(instance.pk))


def after_publication_save(sender: Any, instance: Publication, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    counts.moved(getattr(instance, BEFORE, None), counts.key_of(instance))
    if instance.status != PublicationStatus.DRAFT or instance.published_on is not None:
        pagecache.bump(pagecache.CATALOG)  # a draft never published is not on any public page


def after_publication_delete(sender: Any, instance: Publication, **kwargs: Any) -> None:
    counts.moved(counts.key_of(instance), None)
    if instance.status != PublicationStatus.DRAFT or instance.published_on is not None:
        pagecache.bump(pagecache.CATALOG)  # its page (or its 410) and the lists that showed it


def bump_bodies(sender: Any, **kwargs: Any) -> None:
    pagecache.bump(pagecache.BODIES)


def bump_reports(sender: Any, **kwargs: Any) -> None:
    pagecache.bump(pagecache.REPORTS)


def connect() -> None:
    uid = "gongkai.catalogstats"
    pre_save.connect(before_publication_save, sender=Publication, dispatch_uid=f"{uid}.pre")
    post_save.connect(after_publication_save, sender=Publication, dispatch_uid=f"{uid}.post")
    post_delete.connect(after_publication_delete, sender=Publication, dispatch_uid=f"{uid}.delete")
    for model in (Organisation, DisclosureGuide, IndexNumberTemplate):
        post_save.connect(bump_bodies, sender=model, dispatch_uid=f"{uid}.bodies.{model.__name__}")
        post_delete.connect(bump_bodies, sender=model, dispatch_uid=f"{uid}.bodies.del.{model.__name__}")
    m2m_changed.connect(bump_bodies, sender=DisclosureGuide.rules.through, dispatch_uid=f"{uid}.rules")
    for report_model in (ReportPublication, ReportVersion):
        name = report_model.__name__
        post_save.connect(bump_reports, sender=report_model, dispatch_uid=f"{uid}.reports.{name}")
        post_delete.connect(bump_reports, sender=report_model, dispatch_uid=f"{uid}.reports.del.{name}")
