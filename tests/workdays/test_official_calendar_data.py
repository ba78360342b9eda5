"""The official years loaded by migration 0002 from the pinned holidays package (statutory-reference §1)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.workdays.calendar import get_calendar
from gongkai.workdays.models import CalendarDay, OfficialYear
from gongkai.workdays.sources import PACKAGE_OFFICIAL_YEARS, days_from_package

D = dt.date
pytestmark = pytest.mark.django_db


def test_official_years_are_2008_to_2026_and_2027_is_provisional():
    assert list(OfficialYear.objects.order_by("year").values_list("year", flat=True)) == list(
        range(2008, 2027)
    )
    assert tuple(range(2008, 2027)) == PACKAGE_OFFICIAL_YEARS
    calendar = get_calendar()
    assert not calendar.is_official(2027)
    assert not calendar.is_official(2007)


def test_only_exceptions_are_stored():
    for day in CalendarDay.objects.all():
        assert day.is_working == (day.date.weekday() >= 5), day


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 4), True),  # Sun, make-up day for New Year
        (D(2026, 2, 14), True),  # Sat, make-up day for Spring Festival
        (D(2026, 2, 28), True),  # Sat
        (D(2026, 5, 9), True),  # Sat
        (D(2026, 9, 20), True),  # Sun
        (D(2026, 10, 10), True),  # Sat
        (D(2026, 2, 16), False),  # Spring Festival's eve, a Monday
        (D(2026, 2, 23), False),  # Monday rest day paid for by Sat 02-28
        (D(2026, 10, 8), True),  # Thursday after National Day: back at work
        (D(2020, 1, 31), False),  # 2020's Spring Festival extended (国办发明电〔2020〕1号)
        (D(2020, 2, 1), False),  # was a make-up Saturday before the extension: no longer
        (D(2020, 2, 3), True),
        (D(2024, 2, 29), True),  # leap day, an ordinary Thursday
        (D(2011, 12, 31), True),  # make-up Saturday for New Year 2012, stored in 2011
    ],
)
def test_known_days(day, working):
    assert get_calendar().is_working_day(day) is working


def test_2020_spring_festival_extension_runs_to_february_2():
    calendar = get_calendar()
    assert calendar.add_working_days(D(2020, 1, 23), 1) == D(2020, 2, 3)
    names = {d.name for d in calendar.special_days_in(D(2020, 1, 24), D(2020, 2, 2))}
    assert "春节延长假期" in names


def test_stray_make_up_days_of_other_years_are_filtered():
    assert all(day.date.year == 2010 for day in days_from_package(2010))
    assert not CalendarDay.objects.filter(date__year__lt=2008).exists()


def test_make_up_days_are_named_after_their_festival():
    assert CalendarDay.objects.get(date=D(2026, 2, 14)).name == "春节调休上班"
    assert CalendarDay.objects.get(date=D(2026, 2, 20)).name.startswith("春节休息日")
