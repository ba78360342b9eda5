"""The count table: one row per (body, year, topic, genre) with the number of public items in it.

It is derived data, never entered: ``counts.moved`` keeps it in step inside the catalog's own transactions and
``counts.rebuild_counts`` recomputes it from the catalog (after bulk loads, or by ``gongkai rebuild_counts``).
Topic and genre are stored as plain ids (0: none) so that the unique key also holds for items without them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedCount(models.Model):
    body = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("发布机关"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("发布年份"))  # 0: published without a date (bulk loads)
    topic_pk = models.IntegerField(_("主题分类"), default=0)
    genre_pk = models.IntegerField(_("体裁"), default=0)
    n = models.IntegerField(_("公开条数"), default=0)

    class Meta:
        verbose_name = _("主动公开数量")
        verbose_name_plural = _("主动公开数量")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "topic_pk", "genre_pk"], name="published_count_key"
            )
        ]
        indexes = [models.Index(fields=["year"], name="published_count_year")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}/{self.topic_pk}/{self.genre_pk}: {self.n}"
