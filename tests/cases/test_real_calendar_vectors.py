"""Held-out vectors: deadlines for 400 receipt dates across 2009-2026, checked against an independent oracle that
walks the calendar day by day from the holidays package's own data (not from gongkai's calendar tables)."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

import holidays
import pytest

from gongkai.cases.deadlines import compute_deadline

pytestmark = pytest.mark.django_db


@cache
def _china(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = holidays.China(years=year)
    return frozenset(data), frozenset(d for d in data.weekend_workdays if d.year == year)


def oracle_is_working(day: dt.date) -> bool:
    off, makeup = _china(day.year)
    if day in makeup:
        return True
    return day.weekday() < 5 and day not in off


def oracle_add(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= oracle_is_working(day)
    return day


def oracle_receipt(day: dt.date) -> dt.date:
    while not oracle_is_working(day):
        day += dt.timedelta(days=1)
    return day


rng = random.Random(20261126)  # noqa: S311 - a fixed sample, not security
VECTORS = sorted({dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(0, 6550)) for _ in range(400)})


@pytest.mark.parametrize("received", [d for d in VECTORS if d <= dt.date(2026, 11, 1)], ids=str)
def test_deadline_matches_the_day_by_day_oracle(received: dt.date) -> None:
    result = compute_deadline(received)
    receipt = oracle_receipt(received)
    days, extension = (15, 15) if receipt < dt.date(2019, 5, 15) else (20, 20)
    due = oracle_add(receipt, days)
    assert (result.receipt_date, result.due_date) == (receipt, due)
    assert result.extended_due_date == oracle_add(due, extension)
    assert not result.provisional
