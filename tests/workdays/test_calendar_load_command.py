"""``gongkai calendar_load``: load a year from the pinned holidays package and mark it official."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.audit.models import AuditEntry
from gongkai.workdays.calendar import get_calendar
from gongkai.workdays.models import CalendarDay, OfficialYear

pytestmark = pytest.mark.django_db


def test_reloading_a_verified_year_is_idempotent():
    count = CalendarDay.objects.filter(date__year=2025).count()
    call_command("calendar_load", "--year", "2025", stdout=StringIO())
    assert CalendarDay.objects.filter(date__year=2025).count() == count
    entry = AuditEntry.objects.get(
        action="workdays.calendar.load_year", actor_label="system", object_id__gt=""
    )
    assert entry.batch_size == count


def test_unverified_year_is_refused_without_force():
    with pytest.raises(CommandError, match="--year 2027"):
        call_command("calendar_load", "--year", "2027", stdout=StringIO())
    assert not OfficialYear.objects.filter(year=2027).exists()


def test_force_loads_a_guessed_year_and_labels_it():
    call_command("calendar_load", "--year", "2027", "--force", stdout=StringIO())
    assert "forced" in OfficialYear.objects.get(year=2027).source
    assert get_calendar().is_official(2027)
    assert not get_calendar().is_working_day(dt.date(2027, 10, 4))


def test_dry_run_saves_nothing():
    out = StringIO()
    call_command("calendar_load", "--year", "2027", "--force", "--dry-run", stdout=out)
    assert "2027-10-01" in out.getvalue()
    assert not OfficialYear.objects.filter(year=2027).exists()
