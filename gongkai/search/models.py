"""The search index: one row per publication holding the normalised text of each searched field
(``gongkai.search.normalise``). Candidate lookup structures are backend-specific and created by migration 0002:
on SQLite an FTS5 table ``search_fts`` of bigram tokens (rowid = publication id), on PostgreSQL a ``bigrams``
tsvector column on this table with a GIN index. Rows are derived data: written only by
``gongkai.search.indexing`` after a catalog write commits, or by a rebuild."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    publication = models.OneToOneField(
        "catalog.Publication",
        verbose_name=_("政府信息"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
        db_constraint=True,
    )
    title = models.TextField(_("标题（规范化）"))
    document_number = models.TextField(_("文号（规范化）"), blank=True)
    index_number = models.TextField(_("索引号（规范化）"))
    body = models.TextField(
        _("内容概述、关键词和正文（规范化）"), blank=True, help_text=_("三部分之间以换行分隔")
    )

    class Meta:
        db_table = "search_entry"
        verbose_name = _("检索索引条目")
        verbose_name_plural = _("检索索引条目")

    def __str__(self) -> str:
        return str(self.publication_id)
