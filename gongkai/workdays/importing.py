"""Import a year's official schedule (国务院办公厅关于部分节假日安排的通知) from CSV or iCalendar.

CSV: a header ``date,type,name`` — ``type`` is 休/假/holiday/0 for a day off or 班/上班/workday/1 for a make-up
working day; UTF-8 (with or without BOM) or GB18030 (Excel's default). iCalendar: VEVENTs with all-day
DTSTART/DTEND (end exclusive) and a SUMMARY; an event whose summary contains 班 (上班, 补班) is a working day,
any other a holiday. Days that only restate Monday-Friday (a holiday on a Sunday) are dropped.

A file that cannot be read whole is refused: a CSV row without exactly three columns, a date that is not a
date, an iCalendar file cut short (an event without ``END:VEVENT``, no ``END:VCALENDAR``), a file without any
day, one date both a holiday and a working day. Names go through ``gongkai.inputs.normalise_text``. Every
problem is reported with its line (the physical line of the file, also in a folded iCalendar file); nothing is
loaded unless the whole file is good."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.inputs import InputError, normalise_text
from gongkai.workdays.calendar import SpecialDay
from gongkai.workdays.models import CalendarDay, is_redundant

OFF = {"休", "假", "休息", "holiday", "off", "0", "false"}
ON = {"班", "上班", "补班", "workday", "working", "1", "true"}
COLUMNS = ("date", "type", "name")
MAX_SPAN = 366  # days one event may cover
_ICS_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$")
NAME_MAX = CalendarDay._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("第%(line)d行：%(message)s") % {"line": self.line, "message": self.message}


class ImportFailed(ValueError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class _Day:
    """A day as read, with the line it came from."""

    line: int
    day: SpecialDay


def decode(data: bytes, encoding: str | None = None) -> str:
    if encoding:
        return data.decode(encoding)
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([ImportProblem(1, _("无法识别文件编码（请使用UTF-8或GB18030）"))])


def _name(line: int, text: str, where: str, problems: list[ImportProblem]) -> str:
    """A day's name, normalised; a refused character or an over-long name is a problem of ``line``."""
    try:
        name = normalise_text(text)
    except InputError as exc:
        problems.append(ImportProblem(line, f"{where}：{exc}"))
        return ""
    if len(name) > NAME_MAX:
        problems.append(
            ImportProblem(line, _("%(where)s：名称不能超过%(n)d个字符") % {"where": where, "n": NAME_MAX})
        )
    return name


def parse_csv(text: str, year: int) -> list[SpecialDay]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        if [c.strip().lower() for c in header] != list(COLUMNS):
            raise ImportFailed([ImportProblem(1, _("表头应为 date,type,name（三列）"))])
        days: list[_Day] = []
        problems: list[ImportProblem] = []
        for row in reader:
            number = reader.line_num
            if any(cell.strip() for cell in row):
                _csv_row(number, row, year, days, problems)
    except csv.Error as exc:
        raise ImportFailed([ImportProblem(reader.line_num, str(exc))]) from exc
    return _finish(days, problems)


def _csv_row(number: int, row: list[str], year: int, days: list[_Day], problems: list[ImportProblem]) -> None:
    if len(row) != len(COLUMNS):
        problems.append(
            ImportProblem(number, _("应有三列：日期、类型、名称（实有%(n)d列）") % {"n": len(row)})
        )
        return
    try:
        day = dt.date.fromisoformat(row[0].strip())
    except ValueError:
        problems.append(ImportProblem(number, _("日期“%(v)s”应为YYYY-MM-DD") % {"v": row[0][:40]}))
        return
    kind = row[1].strip().lower()
    if kind not in OFF | ON:
        problems.append(ImportProblem(number, _("类型“%(v)s”应为“休”或“班”") % {"v": row[1][:40]}))
        return
    problems += _check_year(number, day, year)
    name = _name(number, row[2], _("第3列（name）"), problems)
    days.append(_Day(number, SpecialDay(day, kind in ON, name)))


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines with the number of their first physical line (RFC 5545 §3.1: a line starting with a
    space or tab continues the previous one)."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in {" ", "\t"} and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        else:
            lines.append((number, line))
    return lines


@dataclass
class _IcsReader:
    """Reads VEVENTs inside one VCALENDAR, checking that every BEGIN has its END."""

    year: int
    days: list[_Day] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    calendar: int = 0  # line of BEGIN:VCALENDAR
    ended: bool = False
    event: dict[str, tuple[int, str]] | None = None
    events: int = 0

    def read(self, lines: list[tuple[int, str]]) -> None:
        for number, line in lines:
            name, _sep, value = line.partition(":")
            key, value = name.split(";", 1)[0].strip().upper(), value.strip()
            if key in {"BEGIN", "END"}:
                self._block(number, key, value.upper())
            elif self.event is not None and key in {"DTSTART", "DTEND", "SUMMARY"}:
                self.event[key] = (number, value)
        last = lines[-1][0] if lines else 1
        if self.event is not None:
            start = self.event["BEGIN"][0]
            self._problem(last, _("第%(n)d行开始的事件缺少END:VEVENT（文件不完整）") % {"n": start})
        if not self.calendar:
            self._problem(1, _("不是iCalendar文件（缺少BEGIN:VCALENDAR）"))
        elif not self.ended:
            self._problem(last, _("缺少END:VCALENDAR（文件不完整）"))

    def _block(self, number: int, key: str, what: str) -> None:
        if what == "VCALENDAR":
            self._calendar(number, key)
        elif what == "VEVENT" and key == "BEGIN":
            if self.event is not None:
                start = self.event["BEGIN"][0]
                self._problem(number, _("第%(n)d行开始的事件缺少END:VEVENT") % {"n": start})
            elif not self.calendar or self.ended:
                self._problem(number, _("事件不在BEGIN:VCALENDAR与END:VCALENDAR之间"))
            self.event = {"BEGIN": (number, "")}
        elif what == "VEVENT":
            if self.event is None:
                self._problem(number, _("END:VEVENT之前没有BEGIN:VEVENT"))
            else:
                self.events += 1
                self._expand(self.event, number)
            self.event = None

    def _calendar(self, number: int, key: str) -> None:
        if key == "BEGIN":
            if self.calendar:
                self._problem(number, _("重复的BEGIN:VCALENDAR"))
            self.calendar = self.calendar or number
        elif not self.calendar or self.ended:
            self._problem(number, _("END:VCALENDAR之前没有BEGIN:VCALENDAR"))
        else:
            self.ended = True

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(ImportProblem(line, message))

    def _expand(self, event: dict[str, tuple[int, str]], end_line: int) -> None:
        if "DTSTART" not in event:
            self._problem(end_line, _("事件缺少DTSTART"))
            return
        line, start_text = event["DTSTART"]
        start = _ics_date(line, "DTSTART", start_text, self.problems)
        end_at, end_text = event.get("DTEND", (line, start_text))
        end = _ics_date(end_at, "DTEND", end_text, self.problems) if "DTEND" in event else start
        if start is None or end is None:
            return
        if end < start or (end - start).days > MAX_SPAN:
            self._problem(event.get("DTEND", (line, ""))[0], _("DTEND应在DTSTART之后一年以内"))
            return
        summary_line, summary = event.get("SUMMARY", (line, ""))
        name = _name(summary_line, summary, "SUMMARY", self.problems)
        working = "班" in name
        for i in range(max(1, (end - start).days)):
            day = start + dt.timedelta(days=i)
            self.problems += _check_year(line, day, self.year)
            self.days.append(_Day(line, SpecialDay(day, working, name)))


def parse_ics(text: str, year: int) -> list[SpecialDay]:
    reader = _IcsReader(year)
    reader.read(_unfold(text))
    return _finish(reader.days, reader.problems)


def _ics_date(line: int, key: str, text: str, problems: list[ImportProblem]) -> dt.date | None:
    """An all-day iCalendar date (YYYYMMDD; a date-time YYYYMMDDTHHMMSS[Z] is taken by its date as written)."""
    match = _ICS_DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        problems.append(
            ImportProblem(line, _("%(key)s“%(v)s”应为YYYYMMDD格式的日期") % {"key": key, "v": text[:40]})
        )
        return None


def _check_year(line: int, day: dt.date, year: int) -> list[ImportProblem]:
    if day.year == year:
        return []
    return [ImportProblem(line, _("%(day)s不属于%(year)d年") % {"day": day.isoformat(), "year": year})]


def _finish(days: list[_Day], problems: list[ImportProblem]) -> list[SpecialDay]:
    """All or nothing: any problem refuses the file; a file without any day is refused too (it would mark the
    year official with no holidays at all)."""
    seen: dict[dt.date, _Day] = {}
    for found in days:
        earlier = seen.setdefault(found.day.date, found)
        if earlier.day.is_working != found.day.is_working:
            problems.append(
                ImportProblem(
                    found.line,
                    _("%(day)s既是休息日又是上班日（另见第%(other)d行）")
                    % {"day": found.day.date.isoformat(), "other": earlier.line},
                )
            )
    if not days and not problems:
        problems.append(ImportProblem(1, _("文件中没有任何日期")))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.line))
    unique = {d.day.date: d.day for d in days}
    return sorted(
        (d for d in unique.values() if not is_redundant(d.date, d.is_working)), key=lambda d: d.date
    )
