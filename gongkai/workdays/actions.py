"""Domain functions for the working-day calendar: each is atomic, writes an audit entry and bumps the version.

Statutory-reference §1: "When an official schedule is added or corrected, running deadlines are recomputed and
the change is logged." The log is the audit entry written here; recomputation belongs to the cases app, which
listens to ``calendar_changed`` (sent after the transaction commits, with the years that changed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.workdays.calendar import SpecialDay
from gongkai.workdays.models import (
    MAX_YEAR,
    MIN_YEAR,
    CalendarDay,
    CalendarVersion,
    OfficialYear,
    is_redundant,
)

#: Sent on commit after every calendar change, with ``years`` (frozenset of ints) and ``version``.
calendar_changed = Signal()


def bump_version(years: Iterable[int]) -> int:
    """Increase ``CalendarVersion`` (row-locked) so every process reloads; announce the change on commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("bump_version must be called inside transaction.atomic()")
    now = timezone.now()
    row, _created = CalendarVersion.objects.select_for_update().get_or_create(
        pk=1, defaults={"changed_at": now}
    )
    row.version += 1
    row.changed_at = now
    row.save(update_fields=["version", "changed_at"])
    changed, version = frozenset(years), row.version
    transaction.on_commit(
        lambda: calendar_changed.send(sender=CalendarVersion, years=changed, version=version)
    )
    return version


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("年份 %(year)s 超出范围（%(min)s–%(max)s）") % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )


def store_day(day: CalendarDay) -> CalendarDay:
    """Validate and save an exception day and bump the version, without an audit entry of its own.

    For ``AuditedModelAdmin.write`` only, whose ``save_model`` records the entry in the same transaction;
    all other code calls ``set_day``.
    """
    _check_year(day.date.year)
    day.full_clean()
    day.save()
    bump_version({day.date.year})
    return day


def store_official_year(year: OfficialYear) -> OfficialYear:
    """Validate and save an official year, bump the version (for ``AuditedModelAdmin.write``)."""
    year.full_clean()
    year.save()
    bump_version({year.year})
    return year


@transaction.atomic
def set_day(actor: Actor, date: dt.date, is_working: bool, name: str) -> CalendarDay:
    """Create or change the exception for ``date``: a weekday holiday or a weekend make-up day (调休)."""
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = snapshot(day) if day is not None else None
    day = day or CalendarDay(date=date)
    day.is_working, day.name = is_working, name.strip()
    store_day(day)
    record(actor, "workdays.calendarday.set", day, before=before, after=snapshot(day), summary=str(day))
    return day


@transaction.atomic
def remove_day(actor: Actor, date: dt.date) -> None:
    """Delete the exception for ``date`` so that it follows Monday–Friday again."""
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        raise CalendarDay.DoesNotExist(_("%(date)s 没有节假日或调休记录") % {"date": date.isoformat()})
    before, pk, summary = snapshot(day), str(day.pk), str(day)
    day.delete()
    bump_version({date.year})
    record(
        actor,
        "workdays.calendarday.delete",
        object_type="workdays.calendarday",
        object_id=pk,
        before=before,
        summary=summary,
    )


@transaction.atomic
def mark_year_official(actor: Actor, year: int, source: str, note: str = "") -> OfficialYear:
    """Declare ``year``'s schedule complete and official: deadlines touching it stop being provisional."""
    _check_year(year)
    row = OfficialYear.objects.select_for_update().filter(year=year).first()
    before = snapshot(row) if row is not None else None
    row = row or OfficialYear(year=year)
    row.source, row.note = source, note
    store_official_year(row)
    record(actor, "workdays.officialyear.mark", row, before=before, after=snapshot(row), summary=str(row))
    return row


@transaction.atomic
def unmark_year_official(actor: Actor, year: int) -> None:
    """Make ``year`` provisional again (its exception days stay)."""
    row = OfficialYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        raise OfficialYear.DoesNotExist(_("%(year)s 年不是已录入官方安排的年份") % {"year": year})
    before, pk, summary = snapshot(row), str(row.pk), str(row)
    row.delete()
    bump_version({year})
    record(
        actor,
        "workdays.officialyear.delete",
        object_type="workdays.officialyear",
        object_id=pk,
        before=before,
        summary=summary,
    )


def _validated_rows(year: int, days: Iterable[SpecialDay]) -> list[CalendarDay]:
    rows: dict[dt.date, CalendarDay] = {}
    for day in days:
        if day.date.year != year:
            raise ValidationError(
                _("%(date)s 不属于 %(year)s 年") % {"date": day.date.isoformat(), "year": year}
            )
        if day.date in rows:
            raise ValidationError(_("%(date)s 重复出现") % {"date": day.date.isoformat()})
        if is_redundant(day.date, day.is_working):
            raise ValidationError(
                _("%(date)s 与周一至周五的规则相同，无需录入") % {"date": day.date.isoformat()}
            )
        rows[day.date] = CalendarDay(date=day.date, is_working=day.is_working, name=day.name.strip())
    return [rows[d] for d in sorted(rows)]


def _day_list(rows: Iterable[CalendarDay]) -> list[dict[str, Any]]:
    return [{"date": r.date.isoformat(), "is_working": r.is_working, "name": r.name} for r in rows]


@transaction.atomic
def load_year(
    actor: Actor, year: int, days: Iterable[SpecialDay], source: str, note: str = ""
) -> OfficialYear:
    """Replace ``year``'s exception days with ``days`` and mark it official; one audit entry per batch."""
    _check_year(year)
    rows = _validated_rows(year, days)
    existing = CalendarDay.objects.select_for_update().filter(date__year=year)
    before = _day_list(existing)
    existing.delete()
    CalendarDay.objects.bulk_create(rows)
    official, _created = OfficialYear.objects.update_or_create(
        year=year, defaults={"source": source, "note": note}
    )
    bump_version({year})
    record(
        actor,
        "workdays.calendar.load_year",
        object_type="workdays.officialyear",
        object_id=str(official.pk),
        before={"year": year, "days": before},
        after={"year": year, "source": source, "days": _day_list(rows)},
        summary=_("载入 %(year)s 年节假日安排（%(source)s，%(count)s 条）")
        % {"year": year, "source": source, "count": len(rows)},
        batch_size=len(rows),
    )
    return official
