"""Report settings that staff edit: narrative templates per body and year, and which reports are published."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FormatCode(models.TextChoices):
    F2014 = "2014", _("2014年统计表格式（国办发〔2014〕32号）")
    F2019 = "2019", _("2019年试行格式（国办公开办函〔2019〕60号）")
    F2021 = "2021", _("2021年格式（国办公开办函〔2021〕30号）")


class ScopeCode(models.TextChoices):
    SUBTREE = "subtree", _("本级及所属单位")
    OWN = "own", _("本机关")


class NarrativeTemplate(models.Model):
    """The editable text of one report section for one year. Numbers are placeholders such as ``{p14.items}``
    bound to the statistics registry, so the narrative cannot disagree with the tables (statutory-reference
    §3.4 rule 7). A text that ``carries_forward`` also serves the later years that have no text of their own."""

    org = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="narratives",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("报告格式"), max_length=4, choices=FormatCode.choices)
    section = models.PositiveSmallIntegerField(_("章节序号"))
    text = models.TextField(_("内容"))
    carries_forward = models.BooleanField(_("用于以后各年度"), default=False)

    class Meta:
        verbose_name = _("年度报告文字")
        verbose_name_plural = _("年度报告文字")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "format", "section"], name="narrative_once_per_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year} {self.format} §{self.section}"

    def clean(self) -> None:
        from gongkai.reports.narrative import validate_template

        validate_template(self.text)


class ReportPublication(models.Model):
    """The header of a body's report for a year, format and scope: visible publicly while ``published_at`` is
    set. Its content lives in numbered ``ReportVersion`` rows (1 = first publication, 2.. = corrections); the
    header's ``snapshot`` and ``checksum`` mirror the current (latest) version (issue 5, deliverable 6)."""

    org = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("报告格式"), max_length=4, choices=FormatCode.choices)
    scope = models.CharField(
        _("统计范围"), max_length=8, choices=ScopeCode.choices, default=ScopeCode.SUBTREE
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT
    )
    snapshot = models.JSONField(_("发布时的报告"), null=True, blank=True, editable=False)
    checksum = models.CharField(_("校验值（SHA-256）"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("年度报告发布")
        verbose_name_plural = _("年度报告发布")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "format", "scope"], name="report_once_per_org_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2008), name="report_year_from_2008"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year} ({self.format})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def current_version(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()


class FrozenVersion(Exception):
    """An attempt to change a published report version."""


class ReportVersion(models.Model):
    """One published state of a report, never changed once written: the frozen document (``document.freeze``),
    its SHA-256, the validation findings at the time, the override reason when errors were published anyway
    (statutory-reference §3.4: "must not be published without an explicit override"), the correction reason
    from version 2 on, and the share of narrative text identical to last year's report."""

    publication = models.ForeignKey(
        ReportPublication, verbose_name=_("年度报告"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    snapshot = models.JSONField(_("发布时的报告"))
    checksum = models.CharField(_("校验值（SHA-256）"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("更正原因"), blank=True)
    override_reason = models.TextField(_("存在错误仍予发布的理由"), blank=True)
    findings = models.JSONField(_("发布时的校验结果"), default=list, blank=True)
    similarity = models.FloatField(_("与上年报告文字相同比例"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度报告版本")
        verbose_name_plural = _("年度报告版本")
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="report_version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="report_version_from_1"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="report_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A published version is frozen: it is written once and never changed (a correction is a new version)."""
        if not self._state.adding:
            raise FrozenVersion(_("已发布的报告版本不能修改；如需更正，请发布新版本"))
        super().save(*args, **kwargs)

    @property
    def is_correction(self) -> bool:
        return self.number > 1

    @property
    def error_findings(self) -> list[dict[str, object]]:
        return [f for f in self.findings if isinstance(f, dict) and f.get("severity") == "error"]


def version_file_path(instance: ReportVersionFile, filename: str) -> str:
    pub = instance.version.publication
    return f"reports/{pub.year}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class ReportVersionFile(models.Model):
    """An exported file of a version (``exports.render_frozen``), frozen with it: the public download is the
    file that was published, and its SHA-256 is shown next to the link."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    suffix = models.CharField(_("文件类型"), max_length=8)
    file = models.FileField(_("文件"), upload_to=version_file_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("年度报告文件")
        verbose_name_plural = _("年度报告文件")
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "suffix"], name="report_version_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.version}{self.suffix}"
