"""Import a year's official schedule (国务院办公厅关于部分节假日安排的通知) from CSV or iCalendar.

CSV: a header ``date,type,name`` — ``type`` is 休/假/holiday/0 for a day off or 班/上班/workday/1 for a make-up
working day; UTF-8 (with or without BOM) or GB18030 (Excel's default). iCalendar: VEVENTs with all-day
DTSTART/DTEND (end exclusive) and a SUMMARY; an event whose summary contains 班 (上班, 补班) is a working day,
any other a holiday. Days that only restate Monday-Friday (a holiday on a Sunday) are dropped. Every problem is
reported with its line; nothing is loaded unless the whole file is good."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from gongkai.workdays.calendar import SpecialDay
from gongkai.workdays.models import is_redundant

OFF = {"休", "假", "休息", "holiday", "off", "0", "false"}
ON = {"班", "上班", "补班", "workday", "working", "1", "true"}


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


class ImportFailed(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def decode(data: bytes, encoding: str | None = None) -> str:
    if encoding:
        return data.decode(encoding)
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([ImportProblem(1, "无法识别文件编码（请使用UTF-8或GB18030）")])


def parse_csv(text: str, year: int) -> list[SpecialDay]:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0][:3]] != ["date", "type", "name"]:
        raise ImportFailed([ImportProblem(1, "表头应为 date,type,name")])
    days, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 3:
            problems.append(ImportProblem(number, "应有三列：日期、类型、名称"))
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            problems.append(ImportProblem(number, f"日期“{row[0]}”应为YYYY-MM-DD"))
            continue
        kind = row[1].strip().lower()
        if kind not in OFF | ON:
            problems.append(ImportProblem(number, f"类型“{row[1]}”应为“休”或“班”"))
            continue
        problems += _check_year(number, day, year)
        days.append(SpecialDay(day, kind in ON, row[2].strip()))
    return _finish(days, problems)


def parse_ics(text: str, year: int) -> list[SpecialDay]:
    days: list[SpecialDay] = []
    problems: list[ImportProblem] = []
    event: dict[str, tuple[int, str]] = {}
    lines = text.replace("\r\n ", "").replace("\n ", "").splitlines()  # unfold continuation lines
    for number, line in enumerate(lines, start=1):
        name, _sep, value = line.partition(":")
        key = name.split(";", 1)[0].upper()
        if key == "BEGIN" and value.strip().upper() == "VEVENT":
            event = {}
        elif key in {"DTSTART", "DTEND", "SUMMARY"}:
            event[key] = (number, value.strip())
        elif key == "END" and value.strip().upper() == "VEVENT":
            found, trouble = _expand(event, number, year)
            days += found
            problems += trouble
    return _finish(days, problems)


def _expand(
    event: dict[str, tuple[int, str]], end_line: int, year: int
) -> tuple[list[SpecialDay], list[ImportProblem]]:
    if "DTSTART" not in event:
        return [], [ImportProblem(end_line, "事件缺少DTSTART")]
    line, start_text = event["DTSTART"]
    try:
        start = _ics_date(start_text)
        end = _ics_date(event["DTEND"][1]) if "DTEND" in event else start
    except ValueError:
        return [], [ImportProblem(line, f"日期“{start_text}”应为YYYYMMDD")]
    summary = event.get("SUMMARY", (line, ""))[1]
    working = "班" in summary
    span = max(1, (end - start).days)
    days = [SpecialDay(start + dt.timedelta(days=i), working, summary) for i in range(span)]
    problems = [p for d in days for p in _check_year(line, d.date, year)]
    return days, problems


def _ics_date(text: str) -> dt.date:
    """An all-day iCalendar date (YYYYMMDD; a date-time's date part is taken as written)."""
    return dt.date.fromisoformat(f"{text[:4]}-{text[4:6]}-{text[6:8]}")


def _check_year(line: int, day: dt.date, year: int) -> list[ImportProblem]:
    return [] if day.year == year else [ImportProblem(line, f"{day.isoformat()}不属于{year}年")]


def _finish(days: list[SpecialDay], problems: list[ImportProblem]) -> list[SpecialDay]:
    seen: dict[dt.date, bool] = {}
    for day in days:
        if day.date in seen and seen[day.date] != day.is_working:
            problems.append(ImportProblem(0, f"{day.date.isoformat()}既是休息日又是上班日"))
        seen[day.date] = day.is_working
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.line))
    unique = {d.date: d for d in days}
    return sorted(
        (d for d in unique.values() if not is_redundant(d.date, d.is_working)), key=lambda d: d.date
    )
