"""Calendar domain functions: audited, atomic, bump the version so get_calendar() reloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.cases.deadlines import compute_deadline
from gongkai.workdays import actions
from gongkai.workdays.calendar import SpecialDay, add_working_days, get_calendar
from gongkai.workdays.models import CalendarDay, CalendarVersion, OfficialYear

D = dt.date
pytestmark = pytest.mark.django_db
CLERK = "clerk-wang"


def _data(value: object) -> dict[str, Any]:
    assert isinstance(value, dict)
    return value


def _version() -> int:
    return CalendarVersion.objects.get(pk=1).version


def test_set_day_writes_audit_and_bumps_version():
    before = _version()
    actions.set_day(CLERK, D(2026, 3, 4), False, "临时休息")
    assert _version() == before + 1
    entry = AuditEntry.objects.get(action="workdays.calendarday.set")
    assert entry.actor_label == CLERK
    assert entry.before is None
    assert _data(entry.after)["name"] == "临时休息"


def test_set_day_changes_an_existing_day_with_before_and_after():
    actions.set_day(CLERK, D(2026, 2, 16), False, "除夕")
    entry = AuditEntry.objects.get(action="workdays.calendarday.set")
    assert _data(entry.before)["name"] == "农历除夕"
    assert _data(entry.after)["name"] == "除夕"
    assert CalendarDay.objects.get(date=D(2026, 2, 16)).name == "除夕"


def test_get_calendar_reloads_after_a_change():
    calendar = get_calendar()
    assert calendar.is_working_day(D(2026, 3, 4))
    assert get_calendar() is calendar  # no change: the cached object
    actions.set_day(CLERK, D(2026, 3, 4), False, "临时休息")
    reloaded = get_calendar()
    assert reloaded is not calendar
    assert not reloaded.is_working_day(D(2026, 3, 4))
    assert add_working_days(D(2026, 3, 3), 1) == D(2026, 3, 5)


def test_redundant_day_is_refused():
    with pytest.raises(ValidationError):
        actions.set_day(CLERK, D(2026, 3, 7), False, "周六")  # a Saturday is already a rest day
    with pytest.raises(ValidationError):
        actions.set_day(CLERK, D(2026, 3, 4), True, "周三")
    assert not AuditEntry.objects.filter(action="workdays.calendarday.set").exists()


def test_remove_day_restores_monday_to_friday():
    before = _version()
    actions.remove_day(CLERK, D(2026, 2, 16))
    assert _version() == before + 1
    assert get_calendar().is_working_day(D(2026, 2, 16))
    entry = AuditEntry.objects.get(action="workdays.calendarday.delete")
    assert _data(entry.before)["name"] == "农历除夕"
    with pytest.raises(CalendarDay.DoesNotExist):
        actions.remove_day(CLERK, D(2026, 3, 4))


def test_marking_2027_official_removes_the_provisional_flag():
    assert compute_deadline(D(2026, 12, 15)).provisional
    actions.mark_year_official(CLERK, 2027, "manual", "国办发明电〔2026〕…号")
    result = compute_deadline(D(2026, 12, 15))
    assert not result.provisional
    assert not any("临时" in line for line in result.explanation)
    assert AuditEntry.objects.filter(action="workdays.officialyear.mark").count() == 1


def test_unmark_year_makes_it_provisional_again():
    actions.unmark_year_official(CLERK, 2026)
    assert not get_calendar().is_official(2026)
    assert compute_deadline(D(2026, 3, 9)).provisional


def test_load_year_replaces_the_year_with_one_audit_entry():
    days = [
        SpecialDay(D(2027, 1, 1), False, "元旦"),
        SpecialDay(D(2027, 2, 8), False, "春节"),
        SpecialDay(D(2027, 2, 20), True, "春节调休上班"),
    ]
    before = _version()
    actions.load_year(CLERK, 2027, days, "manual")
    assert _version() == before + 1
    assert OfficialYear.objects.get(year=2027).source == "manual"
    assert CalendarDay.objects.filter(date__year=2027).count() == 3
    entry = AuditEntry.objects.get(action="workdays.calendar.load_year", actor_label=CLERK)
    assert entry.batch_size == 3
    calendar = get_calendar()
    assert calendar.is_official(2027)
    assert calendar.is_working_day(D(2027, 2, 20))
    # Loading again replaces, it does not add
    actions.load_year(CLERK, 2027, days[:1], "manual")
    assert CalendarDay.objects.filter(date__year=2027).count() == 1


def test_load_year_rejects_days_of_another_year_and_changes_nothing():
    before = _version()
    with pytest.raises(ValidationError):
        actions.load_year(CLERK, 2027, [SpecialDay(D(2026, 3, 4), False, "x")], "manual")
    assert _version() == before
    assert not OfficialYear.objects.filter(year=2027).exists()


def test_calendar_changed_is_sent_on_commit(django_capture_on_commit_callbacks):
    received = []

    def listener(sender, years, version, **kwargs):
        received.append((years, version))

    actions.calendar_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.set_day(CLERK, D(2026, 3, 4), False, "临时休息")
    finally:
        actions.calendar_changed.disconnect(listener)
    assert received == [(frozenset({2026}), _version())]


def test_a_staff_user_is_recorded_as_the_actor(personas):
    actions.mark_year_official(personas.office_head, 2027, "manual")
    entry = AuditEntry.objects.get(action="workdays.officialyear.mark")
    assert entry.actor == personas.office_head
    assert _data(entry.after)["year"] == 2027
