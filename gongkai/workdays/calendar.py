"""The working-day calendar: a pure, immutable ``WorkCalendar`` and a process-cached one from the database.

Statute (statutory-reference §1): the reply periods of the Regulations on Open Government Information
(《中华人民共和国政府信息公开条例》, 国务院令第492号 art 24; 国务院令第711号 arts 30-33) are counted in
*working days* (工作日): Monday–Friday, minus the statutory holidays, plus the make-up working days (调休)
that the State Council General Office announces each year.

Counting convention: "N working days from day X" counts the first working day *after* X as day 1, so
``add_working_days(X, 1)`` is the next working day after X and ``add_working_days(X, 0) == X``.

Official and provisional years: a year whose schedule has been entered is *official*. For any other year
Monday–Friday is used as a guess and every result that touches that year is *provisional*; callers must say so
(see ``provisional_years``). The calendar never silently invents holidays.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


@dataclass(frozen=True)
class SpecialDay:
    """A calendar exception: a holiday on a weekday (``is_working=False``) or a weekend make-up day (True)."""

    date: dt.date
    is_working: bool
    name: str


class WorkCalendar:
    """Working days from a set of official years and the exception days; immutable once built.

    The sorted ordinals of each year's working days are computed on first use (a private cache that never
    changes what the calendar answers), and ``add_working_days`` bisects over them. For the official years (and
    two years after them) it also keeps, built on first use, every working day in order and, for each day, how
    many working days fall on or before it, so that adding working days there is two list look-ups.
    """

    def __init__(
        self,
        official_years: Iterable[int],
        special_days: Iterable[SpecialDay],
        *,
        version: int = 0,
        stamp: str = "",
    ) -> None:
        self._official = frozenset(official_years)
        self._special = {day.date: day for day in special_days}
        self._special_dates = tuple(sorted(self._special))
        self._ordinals: dict[int, list[int]] = {}
        self._flat: tuple[int, list[int], list[int]] | None = (
            None  # (first ordinal, rank per day, working days)
        )
        self.version = version
        self.stamp = stamp

    def __repr__(self) -> str:
        return f"<WorkCalendar v{self.version} official={sorted(self._official)!r} days={len(self._special)}>"

    @property
    def official_years(self) -> frozenset[int]:
        return self._official

    def is_official(self, year: int) -> bool:
        """True if ``year``'s official schedule is in the calendar (otherwise Monday–Friday is a guess)."""
        return year in self._official

    def provisional_years(self, start: dt.date, end: dt.date) -> tuple[int, ...]:
        """The years from ``start`` to ``end`` (inclusive, either order) without an official schedule."""
        low, high = start.year, end.year
        if low > high:
            low, high = high, low
        if high - low < 2 and low in self._official and high in self._official:
            return ()  # the usual case, without the generator (compute_deadline calls this every time)
        return tuple(year for year in range(low, high + 1) if year not in self._official)

    def is_working_day(self, day: dt.date) -> bool:
        special = self._special.get(day)
        if special is not None:
            return special.is_working
        return day.weekday() < 5

    def _year_ordinals(self, year: int) -> list[int]:
        ordinals = self._ordinals.get(year)
        if ordinals is None:
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                raise OverflowError(f"year {year} is out of range")
            first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            ordinals = [o for o in range(first, last + 1) if self.is_working_day(dt.date.fromordinal(o))]
            self._ordinals[year] = ordinals
        return ordinals

    def _flat_index(self) -> tuple[int, list[int], list[int]]:
        """(first ordinal, rank, working days) over the official years + 2: ``rank[o - first]`` is the number of
        working days on or before ordinal ``o`` in the window, so the n-th working day after it is
        ``days[rank + n - 1]``."""
        if self._flat is None:
            years = sorted(self._official)
            if not years:
                self._flat = (0, [], [])  # no official year: every addition takes the per-year path
                return self._flat
            low, high = max(years[0], dt.MINYEAR), min(years[-1] + 2, years[0] + 60, dt.MAXYEAR)
            days = [o for year in range(low, high + 1) for o in self._year_ordinals(year)]
            first, last = dt.date(low, 1, 1).toordinal(), dt.date(high, 12, 31).toordinal()
            rank, count, position = [], 0, 0
            for ordinal in range(first, last + 1):
                if position < len(days) and days[position] == ordinal:
                    count, position = count + 1, position + 1
                rank.append(count)
            self._flat = (first, rank, days)
        return self._flat

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (the first working day after ``day`` is day 1); n >= 0."""
        if n < 0:
            raise ValueError("n must be zero or positive")
        if n == 0:
            return day
        first, rank, days = self._flat or self._flat_index()
        offset = day.toordinal() - first
        if 0 <= offset < len(rank) and rank[offset] + n <= len(days):
            return dt.date.fromordinal(days[rank[offset] + n - 1])
        year, remaining = day.year, n
        ordinals = self._year_ordinals(year)
        index = bisect_right(ordinals, day.toordinal())
        while index + remaining > len(ordinals):
            remaining -= len(ordinals) - index
            year, index = year + 1, 0
            ordinals = self._year_ordinals(year)
        return dt.date.fromordinal(ordinals[index + remaining - 1])

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day on or after ``day``."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """The number of working days from ``start`` to ``end`` inclusive (0 if ``end`` < ``start``)."""
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._year_ordinals(year)
            total += bisect_right(ordinals, end.toordinal()) - bisect_left(ordinals, start.toordinal())
        return max(total, 0)

    def working_days_in(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from ``start`` to ``end`` inclusive, in order."""
        days: list[dt.date] = []
        for year in range(start.year, end.year + 1):
            ordinals = self._year_ordinals(year)
            low, high = bisect_left(ordinals, start.toordinal()), bisect_right(ordinals, end.toordinal())
            days += [dt.date.fromordinal(o) for o in ordinals[low:high]]
        return days

    def special_days_in(self, start: dt.date, end: dt.date) -> list[SpecialDay]:
        """The exception days from ``start`` to ``end`` inclusive: named holidays and make-up working days."""
        low, high = bisect_left(self._special_dates, start), bisect_right(self._special_dates, end)
        return [self._special[day] for day in self._special_dates[low:high]]

    def non_working_days_in(
        self, start: dt.date, end: dt.date, *, weekends: bool = False
    ) -> list[SpecialDay]:
        """The non-working days from ``start`` to ``end`` inclusive, with names (for explanations).

        Holidays carry their official name; ordinary weekend days are included, named 周六/周日, only when
        ``weekends`` is true.
        """
        holidays = [d for d in self.special_days_in(start, end) if not d.is_working]
        if not weekends:
            return holidays
        by_date = {d.date: d for d in holidays}
        day = start
        while day <= end:
            if day not in self._special and day.weekday() >= 5:
                by_date[day] = SpecialDay(day, False, str(WEEKDAY_NAMES[day.weekday()]))
            day += dt.timedelta(days=1)
        return [by_date[d] for d in sorted(by_date)]


_lock = threading.Lock()
_cached: WorkCalendar | None = None


def _current_stamp() -> tuple[int, str]:
    from gongkai.workdays.models import CalendarVersion

    row = CalendarVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return (row[0], row[1].isoformat()) if row is not None else (0, "")


def load_calendar() -> WorkCalendar:
    """Build a calendar from the database now (no cache)."""
    from gongkai.workdays.models import CalendarDay, OfficialYear

    version, stamp = _current_stamp()
    years = OfficialYear.objects.values_list("year", flat=True)
    days = [SpecialDay(d, w, n) for d, w, n in CalendarDay.objects.values_list("date", "is_working", "name")]
    return WorkCalendar(years, days, version=version, stamp=stamp)


def get_calendar() -> WorkCalendar:
    """The process-wide calendar, reloaded when ``CalendarVersion`` changed (one small query per call).

    The version is compared together with its change time, so a bump that was rolled back and then reused by
    another change still causes a reload.
    """
    global _cached
    version, stamp = _current_stamp()
    calendar = _cached
    if calendar is not None and (calendar.version, calendar.stamp) == (version, stamp):
        return calendar
    with _lock:
        calendar = load_calendar()
        _cached = calendar
    return calendar


def add_working_days(day: dt.date, n: int) -> dt.date:
    """``get_calendar().add_working_days(day, n)``: the n-th working day after ``day``."""
    return get_calendar().add_working_days(day, n)
