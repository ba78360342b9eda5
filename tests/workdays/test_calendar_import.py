"""Importing a year's official schedule from CSV or iCalendar: all or nothing, errors by line, deadlines move."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from gongkai.workdays.calendar import get_calendar
from gongkai.workdays.models import CalendarDay, OfficialYear

pytestmark = pytest.mark.django_db

CSV_2027 = (
    "date,type,name\n2027-01-01,休,元旦\n2027-01-02,休,元旦\n2027-02-06,班,春节调休上班\n2027-02-08,休,春节\n"
)
ICS_2027 = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
DTSTART;VALUE=DATE:20270101
DTEND;VALUE=DATE:20270104
SUMMARY:元旦
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20270206
SUMMARY:春节调休上班
END:VEVENT
END:VCALENDAR
"""


def test_csv_in_gb18030_loads_and_makes_the_year_official(tmp_path: Path) -> None:
    path = tmp_path / "2027.csv"
    path.write_bytes(CSV_2027.encode("gb18030"))
    call_command("calendar_import", str(path), "--year", "2027")
    assert OfficialYear.objects.filter(year=2027).exists()
    days = dict(CalendarDay.objects.filter(date__year=2027).values_list("date", "is_working"))
    # 2027-01-02 is a Saturday: restating it is dropped.
    assert days == {dt.date(2027, 1, 1): False, dt.date(2027, 2, 6): True, dt.date(2027, 2, 8): False}
    calendar = get_calendar()
    assert calendar.is_official(2027) and calendar.is_working_day(dt.date(2027, 2, 6))


def test_icalendar_with_multi_day_events(tmp_path: Path) -> None:
    path = tmp_path / "2027.ics"
    path.write_text(ICS_2027, encoding="utf-8")
    call_command("calendar_import", str(path), "--year", "2027")
    days = dict(CalendarDay.objects.filter(date__year=2027).values_list("date", "is_working"))
    assert days == {dt.date(2027, 1, 1): False, dt.date(2027, 2, 6): True}  # 01-02/03 are a weekend


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("when,what\n", "表头"),
        ("date,type,name\n2027-13-01,休,x\n", "第2行"),
        ("date,type,name\n2027-01-01,休,元旦\n2027-01-04,maybe,x\n", "第3行"),
        ("date,type,name\n2026-12-31,休,x\n", "不属于2027年"),
    ],
)
def test_bad_files_are_refused_by_line_and_load_nothing(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("calendar_import", str(path), "--year", "2027")
    assert not OfficialYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"date,type,name\n2027-01-01,\xff\xfe\xfd,x\n")
    with pytest.raises(CommandError):
        call_command("calendar_import", str(path), "--year", "2027", "--encoding", "utf-8")


@time_machine.travel(dt.datetime(2026, 12, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_open_cases_move_when_the_import_commits(
    tmp_path: Path, tree: Any, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.cases import transitions as t

    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 12, 15),
        channel="online",
        applicant_kind="natural",
        subject="s",
    )
    assert req.provisional and req.due_date == dt.date(2027, 1, 12)
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("calendar_import", str(path), "--year", "2027")
    req.refresh_from_db()
    assert not req.provisional and req.due_date == dt.date(2027, 1, 13)
