"""Report submissions (填报): the annual-report figures of a body that keeps its own books (a township, a department
not on the platform), uploaded as the system's XLSX template and rolled up into its parent's subtree report
(2019 Regulations art 49-50: every body publishes an annual report; statutory-reference §3).

One *current* submission per body, year and format (a partial unique constraint): a new upload supersedes the
previous one, which is kept, with its file, for history. The figures are stored one row per statistic
(``SubmittedValue``) so that a roll-up sums them in SQL (one GROUP BY over the bodies in scope).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.organisations.models import Organisation
from gongkai.reports.formats import default_format_for_year


class ReportFormat(models.TextChoices):
    F2014 = "2014", _("2014–2018 统计表")
    F2019 = "2019", _("2019 试行格式")
    F2021 = "2021", _("2021 格式")


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def current(self) -> SubmissionQuerySet:
        """The submission that counts: neither superseded by a later upload nor withdrawn."""
        return self.filter(is_current=True)

    def in_format(self, year: int, fmt: str) -> SubmissionQuerySet:
        """Exactly the submissions of ``year`` in ``fmt`` (one current one per body: a new upload supersedes)."""
        return self.filter(year=year, format=fmt)

    def for_report(self, year: int, fmt: str) -> SubmissionQuerySet:
        """The submissions a report of ``year`` in format ``fmt`` uses: those in ``fmt``, and for bodies without
        one, those in the year's own format (statutory-reference §3: the format follows the year) — a report of
        2024 printed in the 2019 format still counts a body's 2021-format figures under the statistics both
        formats share (Tables 3 and 4, most of Table 2), rather than silently falling back to its records."""
        own = Q(year=year, format=fmt)
        default = default_format_for_year(year)
        if fmt == default:
            return self.filter(own)
        in_fmt = Submission.objects.filter(is_current=True, year=year, format=fmt).values("org_id")
        return self.filter(own | (Q(year=year, format=default) & ~Q(org__in=in_fmt)))


def submission_path(instance: Submission, filename: str) -> str:
    return f"submissions/{instance.org.org_code}/{instance.year}/{instance.sha256}.xlsx"


class Submission(models.Model):
    org = models.ForeignKey(
        Organisation, verbose_name=_("填报机关"), on_delete=models.PROTECT, related_name="submissions"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("报告格式"), max_length=4, choices=ReportFormat.choices)
    file = models.FileField(_("上传文件"), upload_to=submission_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    template_version = models.CharField(_("模板版本"), max_length=20)
    warnings = models.JSONField(_("校验提示"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    is_current = models.BooleanField(_("现行"), default=True)
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdraw_reason = models.CharField(_("撤回理由"), max_length=300, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("报表填报")
        verbose_name_plural = _("报表填报")
        ordering = ["org", "-year", "format", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "format"],
                condition=Q(is_current=True),
                name="submission_one_current_per_org_year_format",
            ),
        ]
        indexes = [models.Index(fields=["year", "format", "is_current", "org"], name="submission_rollup_idx")]

    def __str__(self) -> str:
        return f"{self.org} {self.year} ({self.format})"

    @property
    def status(self) -> str:
        if self.is_current:
            return str(_("现行"))
        if self.withdrawn_at is not None:
            return str(_("已撤回"))
        return str(_("已被替换"))


VALUE_MAX_DIGITS, VALUE_PLACES = 18, 4
# The largest magnitude the column holds: 14 digits before the point (numeric(18, 4)).
VALUE_LIMIT = Decimal(10) ** (VALUE_MAX_DIGITS - VALUE_PLACES)


def value_problem(value: Decimal) -> str:
    """Why ``value`` cannot be stored as a figure ("" when it can): a finite number below ``VALUE_LIMIT`` in
    magnitude with at most ``VALUE_PLACES`` decimals. The parser applies tighter bounds per cell
    (``gongkai.submissions.xlsx``); this is the column's own, checked on every path that writes."""
    if not value.is_finite():
        return str(_("不是有效的数字"))
    if abs(value) >= VALUE_LIMIT:
        return str(_("超出允许范围（绝对值应小于%(limit)s）") % {"limit": f"{VALUE_LIMIT:f}"})
    if value != value.quantize(Decimal(1).scaleb(-VALUE_PLACES)):
        return str(_("最多保留%(n)d位小数") % {"n": VALUE_PLACES})
    return ""


def validate_value(value: Decimal) -> None:
    if reason := value_problem(value):
        raise ValidationError(reason, code="out_of_range")


class SubmittedValueQuerySet(models.QuerySet["SubmittedValue"]):
    def in_range(self) -> SubmittedValueQuerySet:
        """Values the column can hold. A row stored out of range before uploads were bounded (SQLite keeps a
        float such as 1e20 in a numeric column) cannot be read as a Decimal: filter it out in SQL."""
        return self.filter(value__gt=-VALUE_LIMIT, value__lt=VALUE_LIMIT)

    def out_of_range_keys(self) -> list[str]:
        """The statistic keys of the rows ``in_range`` leaves out (their values are not read)."""
        return list(self.exclude(pk__in=self.in_range().values("pk")).values_list("statistic_key", flat=True))


class SubmittedValue(models.Model):
    """One figure of a submission: the value of a registry statistic (``gongkai.reports.registry``)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    statistic_key = models.CharField(_("统计项"), max_length=80)
    value = models.DecimalField(
        _("数值"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_PLACES, validators=[validate_value]
    )

    objects = SubmittedValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("填报数值")
        verbose_name_plural = _("填报数值")
        ordering = ["submission", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "statistic_key"], name="submitted_value_once"),
        ]

    def __str__(self) -> str:
        return f"{self.statistic_key}={self.value}"
