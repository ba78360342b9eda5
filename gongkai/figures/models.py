"""Per-body, per-year aggregates of the leaf statistics (docs/statistics.md "Aggregates")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.organisations.models import Organisation


class BodyFigure(models.Model):
    """The value of one leaf statistic counted from one body's own records in one year (zeros are not kept)."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("机关"))
    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("统计项"), max_length=80)
    value = models.DecimalField(_("数值"), max_digits=24, decimal_places=8)

    class Meta:
        verbose_name = _("机关年度统计值")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["org", "year", "key"], name="figures_body_year_key")]
        indexes = [models.Index(fields=["year", "org"], name="figures_year_org")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.key}={self.value}"


class FigureState(models.Model):
    """One body's aggregates for one year: dirty (its records changed since ``computed_at``), when they last
    changed and when they were computed — the freshness stamp the report shows. ``version`` counts the marks: a
    refresh stores its figures and clears ``dirty`` only while it is still the version read before computing,
    so a change committed during a refresh is never lost (a clock-based test on ``changed_at`` could)."""

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("机关"))
    year = models.PositiveSmallIntegerField(_("年度"))
    dirty = models.BooleanField(_("待重算"), default=True)
    changed_at = models.DateTimeField(_("变更时间"))
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    version = models.PositiveBigIntegerField(_("变更次数"), default=0)
    # The tables of the records changed since ``computed_at``, comma-separated ("*": unknown, every statistic
    # is recomputed; "" when clean): a refresh recomputes only the statistics whose query reads one of them.
    tables = models.TextField(_("变更的数据表"), default="*", blank=True)

    class Meta:
        verbose_name = _("机关年度统计状态")
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="figures_state_org_year")]
        indexes = [models.Index(fields=["year", "dirty"], name="figures_state_dirty")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {'dirty' if self.dirty else self.computed_at}"


class FigureYear(models.Model):
    """A year whose aggregates are complete (built for every body, kept current by dirty marks since).
    ``year`` 0: every year — the database had no bodies when the aggregates were introduced."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    built_at = models.DateTimeField(_("建立时间"))

    class Meta:
        verbose_name = _("已建立统计汇总的年度")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.year)
