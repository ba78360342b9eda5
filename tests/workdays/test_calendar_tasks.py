from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.workdays import actions
from gongkai.workdays.tasks import provisional_years_ahead, warn_provisional_calendar

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 26, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_late_in_the_year_a_missing_next_schedule_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    assert provisional_years_ahead() == [2027]
    assert warn_provisional_calendar.call_local() == [2027]
    assert "2027" in caplog.text
    actions.mark_year_official("admin", 2027, "国办发明电〔2026〕X号")
    assert provisional_years_ahead() == []


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_mid_year_nothing_is_reported() -> None:
    assert provisional_years_ahead() == []


def test_calendar_load_of_several_years_is_all_or_nothing() -> None:
    from django.core.management import CommandError, call_command

    from gongkai.workdays.models import OfficialYear

    before = set(OfficialYear.objects.values_list("year", "source"))
    OfficialYear.objects.filter(year=2025).delete()
    with pytest.raises(CommandError):
        call_command("calendar_load", "--year", "2025", "--year", "2099")
    assert not OfficialYear.objects.filter(year=2025).exists()
    assert before - {(y, s) for y, s in before if y == 2025} == set(
        OfficialYear.objects.values_list("year", "source")
    )
