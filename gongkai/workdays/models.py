"""The working-day calendar as data (statutory-reference §1, "Working days").

Working days are Monday–Friday, minus the statutory holidays, plus the make-up working days (调休) that the
State Council announces each year (《全国年节及纪念日放假办法》 and the annual 国务院办公厅 notice). Only the
*exceptions* to Monday–Friday are stored (``CalendarDay``); a year is *official* when its schedule has been
entered (``OfficialYear``). Every change bumps ``CalendarVersion`` so that each process reloads its cached
calendar. Write through ``gongkai.workdays.actions`` only.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MIN_YEAR = 1990
MAX_YEAR = 2100


class OfficialYear(models.Model):
    """A year whose official holiday schedule is in the system; any other year is provisional."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    source = models.CharField(_("来源"), max_length=100, help_text=_("例如 “holidays 0.109” 或 “manual”"))
    note = models.TextField(_("备注"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("已录入官方安排的年份")
        verbose_name_plural = _("已录入官方安排的年份")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.source}）"


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a holiday on a weekday, or a make-up working day (调休) on a weekend."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=100)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日与调休日")
        verbose_name_plural = _("节假日与调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("调休上班") if self.is_working else _("休息")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"

    def clean(self) -> None:
        if self.date is None:
            return
        if not MIN_YEAR <= self.date.year <= MAX_YEAR:
            raise ValidationError(
                {
                    "date": _("年份 %(year)s 超出范围（%(min)s–%(max)s）")
                    % {"year": self.date.year, "min": MIN_YEAR, "max": MAX_YEAR}
                }
            )
        if is_redundant(self.date, self.is_working):
            message = (
                _("%(date)s 是周末，本就休息，无需录入；调休上班日请勾选“是否工作日”")
                if self.date.weekday() >= 5
                else _("%(date)s 是周一至周五，本就上班，无需录入；节假日请取消勾选“是否工作日”")
            )
            raise ValidationError({"is_working": message % {"date": self.date.isoformat()}})


def is_redundant(day: dt.date, is_working: bool) -> bool:
    """True if the row would say what Monday–Friday already says (a working weekday, a weekend rest day)."""
    return is_working == (day.weekday() < 5)


class CalendarVersion(models.Model):
    """A single row whose ``version`` is bumped on every calendar change; processes compare it to reload."""

    version = models.PositiveIntegerField(_("版本"), default=0)
    changed_at = models.DateTimeField(_("变更时间"))

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="calendar_version_single_row")]

    def __str__(self) -> str:
        return f"v{self.version}"
