"""The pure WorkCalendar: counting convention, across years, provisional years (statutory-reference §1)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.workdays.calendar import SpecialDay, WorkCalendar

D = dt.date

# A tiny 2026 calendar: New Year's Day (Thu), its rest day (Fri), the make-up Sunday 01-04.
TINY = WorkCalendar(
    [2026],
    [
        SpecialDay(D(2026, 1, 1), False, "元旦"),
        SpecialDay(D(2026, 1, 2), False, "元旦休息日"),
        SpecialDay(D(2026, 1, 4), True, "元旦调休上班"),
    ],
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 12, 31), 0, D(2025, 12, 31)),  # zero days: the day itself
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # across the year end, over the holiday, onto the make-up Sunday
        (D(2025, 12, 31), 2, D(2026, 1, 5)),
        (D(2026, 1, 3), 1, D(2026, 1, 4)),  # weekend start: the make-up Sunday is day 1
        (D(2026, 1, 9), 1, D(2026, 1, 12)),  # Friday → Monday
        (D(2026, 1, 10), 5, D(2026, 1, 16)),  # Saturday start: Monday is day 1
        (D(2024, 2, 28), 1, D(2024, 2, 29)),  # leap day (2024 has no data here: Mon–Fri)
        (D(2026, 12, 30), 3, D(2027, 1, 4)),  # into a provisional year
    ],
)
def test_add_working_days(start, n, expected):
    assert TINY.add_working_days(start, n) == expected


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError):
        TINY.add_working_days(D(2026, 1, 5), -1)


def test_long_counts_cross_several_years():
    # 2027 has no data: Mon–Fri, 261 weekdays (it starts and ends on a Friday)
    assert TINY.add_working_days(D(2026, 12, 31), 261) == D(2027, 12, 31)
    assert TINY.count_working_days(D(2027, 1, 1), D(2027, 12, 31)) == 261


def test_is_working_day_uses_exceptions_then_weekdays():
    assert TINY.is_working_day(D(2026, 1, 4))  # make-up Sunday
    assert not TINY.is_working_day(D(2026, 1, 1))  # holiday Thursday
    assert not TINY.is_working_day(D(2026, 1, 3))  # ordinary Saturday
    assert TINY.is_working_day(D(2026, 1, 5))


def test_next_working_day_is_on_or_after():
    assert TINY.next_working_day(D(2026, 1, 5)) == D(2026, 1, 5)
    assert TINY.next_working_day(D(2026, 1, 1)) == D(2026, 1, 4)


def test_working_days_in_is_inclusive_and_counts_match():
    days = TINY.working_days_in(D(2025, 12, 29), D(2026, 1, 6))
    assert days == [
        D(2025, 12, 29),
        D(2025, 12, 30),
        D(2025, 12, 31),
        D(2026, 1, 4),
        D(2026, 1, 5),
        D(2026, 1, 6),
    ]
    assert TINY.count_working_days(D(2025, 12, 29), D(2026, 1, 6)) == 6
    assert TINY.count_working_days(D(2026, 1, 6), D(2026, 1, 5)) == 0


def test_non_working_days_are_named():
    named = TINY.non_working_days_in(D(2026, 1, 1), D(2026, 1, 4))
    assert [(d.date, d.name) for d in named] == [(D(2026, 1, 1), "元旦"), (D(2026, 1, 2), "元旦休息日")]
    with_weekends = TINY.non_working_days_in(D(2026, 1, 1), D(2026, 1, 4), weekends=True)
    assert [d.name for d in with_weekends] == ["元旦", "元旦休息日", "周六"]


def test_official_and_provisional_years():
    assert TINY.is_official(2026)
    assert not TINY.is_official(2027)
    assert TINY.provisional_years(D(2025, 12, 1), D(2027, 1, 5)) == (2025, 2027)
    assert TINY.provisional_years(D(2026, 1, 1), D(2026, 12, 31)) == ()
