"""Keeping derived index rows right. The catalog's write functions announce the publications they wrote
(``gongkai.catalog.actions.publications_changed``, sent after the commit) and the index follows them. What
the rows were derived from may also change outside those functions: an index-number template
(statutory-reference §5) re-renders the index numbers of every item of its body's subtree, and so does moving a
body in the tree (it may inherit another template); a deleted index row takes its FTS5 tokens with it."""

from __future__ import annotations

from typing import Any

from gongkai.catalog.actions import publications_changed
from gongkai.catalog.models import IndexNumberTemplate, Publication
from gongkai.organisations.models import Organisation
from gongkai.search.service import reindex, reindex_on_commit


def publications_written(sender: type, publication_ids: list[int], **kwargs: Any) -> None:
    """The catalog committed a write of these publications: re-index them now."""
    reindex(publication_ids)


def template_changed(sender: type, instance: IndexNumberTemplate, **kwargs: Any) -> None:
    """Re-index the items of the template's body and every body below it, once the change commits."""
    path = Organisation.objects.filter(pk=instance.body_id).values_list("path", flat=True).first()
    if path:
        reindex_on_commit(
            Publication.objects.filter(body__path__startswith=path).values_list("pk", flat=True)
        )


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    from gongkai.search.backends import forget_deleted_entry
    from gongkai.search.models import SearchEntry

    publications_changed.connect(publications_written, dispatch_uid="search_publications_written")
    post_delete.connect(forget_deleted_entry, sender=SearchEntry, dispatch_uid="search_forget_fts")
    post_save.connect(template_changed, sender=IndexNumberTemplate, dispatch_uid="search_template_saved")
    post_delete.connect(template_changed, sender=IndexNumberTemplate, dispatch_uid="search_template_deleted")
    post_delete.connect(publication_deleted, sender=Publication, dispatch_uid="search_publication_deleted")
    pre_save.connect(remember_path, sender=Organisation, dispatch_uid="search_org_path_before")
    post_save.connect(moved, sender=Organisation, dispatch_uid="search_org_moved")


def publication_deleted(sender: type, instance: Publication, **kwargs: Any) -> None:
    """A deleted publication leaves an index kept outside the database (tantivy) once the delete commits (its
    database row goes by cascade)."""
    if instance.pk is not None:
        reindex_on_commit([instance.pk])


def remember_path(sender: type, instance: Organisation, **kwargs: Any) -> None:
    """Before a body is saved, note where it was in the tree (``moved`` compares)."""
    instance._search_old_path = (  # type: ignore[attr-defined]
        Organisation.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
        if instance.pk is not None
        else None
    )


def moved(sender: type, instance: Organisation, created: bool, **kwargs: Any) -> None:
    """A body moved in the tree may now inherit another index-number template: re-index its subtree's items
    once the move commits (a rename or any other change leaves the index alone)."""
    old = getattr(instance, "_search_old_path", None)
    if not created and old and instance.path and old != instance.path:
        reindex_on_commit(
            Publication.objects.filter(body__path__startswith=instance.path).values_list("pk", flat=True)
        )
