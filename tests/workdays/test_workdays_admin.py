"""Admin edits of the calendar are audited and bump the version (routed through gongkai.workdays.actions)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.workdays.calendar import get_calendar
from gongkai.workdays.models import CalendarDay, CalendarVersion, OfficialYear

D = dt.date
pytestmark = pytest.mark.django_db


def _version() -> int:
    return CalendarVersion.objects.get(pk=1).version


def test_admin_add_day(admin_client):
    before = _version()
    response = admin_client.post(
        "/admin/workdays/calendarday/add/", {"date": "2026-03-04", "is_working": "", "name": "临时休息"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not CalendarDay.objects.get(date=D(2026, 3, 4)).is_working
    assert _version() == before + 1
    assert not get_calendar().is_working_day(D(2026, 3, 4))
    assert AuditEntry.objects.filter(action="workdays.calendarday.add", actor_label="admin").count() == 1


def test_admin_refuses_a_redundant_day(admin_client):
    response = admin_client.post(
        "/admin/workdays/calendarday/add/", {"date": "2026-03-07", "is_working": "", "name": "周六"}
    )
    assert response.status_code == 200
    assert not CalendarDay.objects.filter(date=D(2026, 3, 7)).exists()


def test_admin_delete_day_bumps_version(admin_client):
    day = CalendarDay.objects.get(date=D(2026, 2, 16))
    before = _version()
    response = admin_client.post(f"/admin/workdays/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _version() == before + 1
    assert get_calendar().is_working_day(D(2026, 2, 16))
    assert AuditEntry.objects.filter(action="workdays.calendarday.delete").count() == 1


def test_admin_mark_year_official(admin_client):
    response = admin_client.post(
        "/admin/workdays/officialyear/add/", {"year": "2027", "source": "manual", "note": ""}
    )
    assert response.status_code == 302
    assert OfficialYear.objects.filter(year=2027).exists()
    assert get_calendar().is_official(2027)
    assert AuditEntry.objects.filter(action="workdays.officialyear.add").count() == 1


def test_admin_lists_render(admin_client):
    assert admin_client.get("/admin/workdays/calendarday/").status_code == 200
    assert admin_client.get("/admin/workdays/officialyear/").status_code == 200
