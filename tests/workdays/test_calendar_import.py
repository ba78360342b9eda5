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


# Issue 10 defect 4: a file that cannot be read whole is refused, exits non-zero and changes nothing.

TRUNCATED_EVENT = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nSUMMARY:元旦\n"
TRUNCATED_CALENDAR = ICS_2027.replace("END:VCALENDAR\n", "")
GARBAGE_START = ICS_2027.replace("DTSTART;VALUE=DATE:20270206", "DTSTART;VALUE=DATE:20270206XYZ")
FOLDED = ICS_2027.replace("SUMMARY:元旦", "SUMMARY:元\n 旦").replace(
    "DTSTART;VALUE=DATE:20270206", "DTSTART;VALUE=DATE:2027-02-06"
)


def _provisional_case(personas: Any, tree: Any) -> Any:
    from gongkai.cases import transitions as t

    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 12, 15),
        channel="online",
        applicant_kind="natural",
        subject="s",
    )
    assert req.provisional
    return req


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.ics", TRUNCATED_EVENT, "第3行开始的事件缺少END:VEVENT"),
        ("cut.ics", TRUNCATED_CALENDAR, "缺少END:VCALENDAR"),
        ("garbage.ics", GARBAGE_START, "第9行：DTSTART“20270206XYZ”"),
        ("folded.ics", FOLDED, "第10行：DTSTART“2027-02-06”"),  # physical lines, after a folded one
        (
            "bad-end.ics",
            ICS_2027.replace("DTEND;VALUE=DATE:20270104", "DTEND;VALUE=DATE:2027"),
            "第5行：DTEND",
        ),
        ("empty.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", "没有任何日期"),
        ("not.ics", "hello\n", "缺少BEGIN:VCALENDAR"),
        ("four.csv", "date,type,name\n2027-01-01,休,元旦\n2027-02-08,休,春节,多余\n", "第3行：应有三列"),
        ("two.csv", "date,type,name\n2027-01-01,休\n", "第2行：应有三列"),
        ("empty.csv", "date,type,name\n", "没有任何日期"),
        ("control.csv", "date,type,name\n2027-01-01,休,元\x01旦\n", "第2行：第3列（name）"),
        (
            "twice.csv",
            "date,type,name\n2027-01-01,休,元旦\n2027-02-06,班,x\n2027-01-01,班,元旦\n",
            "第4行：2027-01-01既是休息日又是上班日（另见第2行）",
        ),
        (
            "quoted.csv",
            'date,type,name\n2027-01-01,休,"元\n旦"\n2027-01-01,班,x\n',
            "第4行：2027-01-01既是休息日又是上班日（另见第3行）",
        ),
    ],
)
@time_machine.travel(dt.datetime(2026, 12, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_unreadable_files_are_refused_and_change_nothing(
    tmp_path: Path, tree: Any, personas: Any, name: str, content: str, message: str
) -> None:
    req = _provisional_case(personas, tree)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("calendar_import", str(path), "--year", "2027")
    assert message in str(caught.value), str(caught.value)
    assert not OfficialYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    req.refresh_from_db()
    assert req.provisional


def test_the_command_exits_non_zero_on_a_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.ics"
    path.write_text(TRUNCATED_EVENT, encoding="utf-8")
    # run_from_argv is what `gongkai calendar_import` runs; a CommandError there exits with status 1
    from django.core.management import load_command_class

    command = load_command_class("gongkai.workdays", "calendar_import")
    with pytest.raises(SystemExit) as caught:
        command.run_from_argv(["gongkai", "calendar_import", str(path), "--year", "2027"])
    assert caught.value.code == 1


def test_a_folded_summary_and_names_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "2027.ics"
    path.write_text(ICS_2027.replace("SUMMARY:春节调休上班", "SUMMARY:春节调休\n 上班"), encoding="utf-8")
    call_command("calendar_import", str(path), "--year", "2027")
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 6)).name == "春节调休上班"
