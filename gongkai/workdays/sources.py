"""Where official calendar data comes from: the pinned ``holidays`` package (see pyproject.toml).

The State Council General Office publishes each year's holiday schedule
(国务院办公厅关于某年部分节假日安排的通知): the statutory holidays and the make-up working days (调休).
``holidays.China`` carries those schedules; this module turns one year of it into calendar exception rows
(``SpecialDay``). It is pure: no database access.

The list of years we accept from the package as *official* is explicit (``PACKAGE_OFFICIAL_YEARS``). The
package also returns later years computed from rules (for example 2027 in 0.109) without make-up days: those
are a guess, not the State Council's schedule, so they stay provisional until entered by hand or the package
is upgraded in a reviewed change that extends this list."""

from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version

import holidays
from holidays import HolidayBase

from gongkai.workdays.calendar import SpecialDay

#: Years whose schedule in the pinned package matches the State Council's published notice (2008–2026).
PACKAGE_OFFICIAL_YEARS: tuple[int, ...] = tuple(range(2008, 2027))

_SUBSTITUTE = re.compile(r"由 (\d{4}-\d{2}-\d{2}) 调休")
_OBSERVED = re.compile(r"（[^）]*）")
_REST_DAY_PREFIX = "休息日"
MAKEUP_DAY = "调休上班"


def package_source() -> str:
    """The label stored as an official year's source, e.g. ``holidays 0.109``."""
    return f"holidays {version('holidays')}"


def _china(years: list[int]) -> HolidayBase:
    china: HolidayBase = holidays.country_holidays("CN", years=years, language="zh_CN")
    return china


def _festival_near(day: dt.date, named: dict[dt.date, str]) -> str:
    """The festival a substituted rest day belongs to: the nearest holiday that is not itself a rest day."""
    festivals = [(abs((d - day).days), n) for d, n in named.items() if not n.startswith(_REST_DAY_PREFIX)]
    festivals = [f for f in festivals if f[0] <= 7]
    return _OBSERVED.sub("", min(festivals)[1]) if festivals else ""


def _festival_names(year: int) -> dict[dt.date, str]:
    """Names for the swapped days of ``year`` and its neighbours, after the festival they belong to.

    A make-up working day becomes e.g. ``春节调休上班``; the rest day it pays for ``春节休息日（由 … 调休）``.
    """
    named = {d: n.replace("; ", "、") for d, n in _china([year - 1, year, year + 1]).items()}
    names: dict[dt.date, str] = {}
    for rest_day, name in named.items():
        for match in _SUBSTITUTE.finditer(name):
            festival = _festival_near(rest_day, named)
            names[dt.date.fromisoformat(match.group(1))] = festival + MAKEUP_DAY
            names[rest_day] = festival + name
    return {**named, **names}


def days_from_package(year: int) -> list[SpecialDay]:
    """Exception rows for ``year``: holidays on weekdays and make-up working days on weekends.

    ``weekend_workdays`` contains stray dates of other years (e.g. 2001-12-29); only ``year``'s are kept.
    """
    china = _china([year])
    names = _festival_names(year)
    rows = [SpecialDay(day, False, names[day]) for day in china if day.year == year and day.weekday() < 5]
    rows += [
        SpecialDay(day, True, names.get(day, MAKEUP_DAY))
        for day in china.weekend_workdays
        if day.year == year and day.weekday() >= 5
    ]
    return sorted(rows, key=lambda r: r.date)
