"""Import of 12345 tickets from the platform's export (CSV or XLSX; CSV in UTF-8, UTF-8 with BOM or GB18030).

The first row names the columns (``COLUMNS``: the platform's Chinese headers, or the field names). Every row is
validated before anything is written; one bad row refuses the whole file with each problem's row number, field
and reason (all-or-nothing). A row whose ticket number was imported before with the same content and state is
skipped (a re-import of the same export is a no-op); with other content it is a problem of its row. The file is
written in one transaction with one audit entry (``actions.create_tickets_bulk``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor
from gongkai.hotline import actions
from gongkai.hotline.models import Category, Satisfaction, Source, Ticket, TicketStatus
from gongkai.organisations.models import Organisation

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
# header → field; the field names themselves are accepted too.
COLUMNS: dict[str, str] = {
    "工单编号": "number",
    "受理时间": "received_at",
    "诉求类型": "category",
    "反映问题": "topic",
    "来电人": "caller_name",
    "联系电话": "phone",
    "诉求内容": "content",
    "工单状态": "status",
    "办理时限": "due_at",
    "办结时间": "completed_at",
    "办理结果": "result",
    "满意度": "satisfaction",
    "承办机关代码": "body_code",
}
FIELDS = frozenset(COLUMNS.values())
REQUIRED = ("number", "received_at")
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)
# Labels a platform's export may use besides ours.
STATUS_ALIASES = {
    "受理": "received",
    "转办": "assigned",
    "派单": "assigned",
    "已派单": "assigned",
    "办结": "completed",
    "退回": "returned",
    "退单": "returned",
}
SATISFACTION_ALIASES = {"": "unrated", "未回访": "unrated"}


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row number (the header is row 1)
    field: str  # the column's header as in the file, or the field name
    reason: str

    def __str__(self) -> str:
        return _("第%(row)d行“%(field)s”：%(reason)s") % {
            "row": self.row,
            "field": self.field,
            "reason": self.reason,
        }


class ImportRefused(Exception):
    """The file was refused; nothing was written. ``problems`` names each row, field and reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(str(p) for p in problems[:20]))
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    tickets: list[Ticket] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([Problem(1, _("文件"), _("无法识别文件编码（应为UTF-8或GB18030）"))])


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRefused([Problem(1, _("文件"), _("无法读取XLSX文件"))]) from exc
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(data: bytes, filename: str) -> list[list[Any]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused([Problem(1, _("文件"), _("文件过大（最大20MB）"))])
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _xlsx_rows(data)
    return _csv_rows(data)


# --- cell values ------------------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@":
        text = text[1:]  # gongkai's own CSV exports put an apostrophe before formula-like text
    return text


def _cell_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time()))
    text = _cell_text(value)
    if not text:
        return None
    for fmt in TIME_FORMATS:
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt))  # noqa: DTZ007 - made aware here
        except ValueError:
            continue
    raise ValueError(_("无法识别的时间“%(v)s”（例如 2026-03-02 09:30）") % {"v": text[:30]})


def _choice(value: str, choices: Any, aliases: dict[str, str]) -> str:
    if value in choices.values:
        return value
    for key, label in choices.choices:
        if value == str(label):
            return str(key)
    if value in aliases:
        return aliases[value]
    raise ValueError(_("可选：%(all)s") % {"all": "、".join(str(label) for _k, label in choices.choices)})


# --- validating -------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    new: actions.NewTicket
    digest: str


def _header(cells: list[Any]) -> tuple[dict[int, str], dict[str, str]]:
    """{column index: field}, {field: header as written}; an unknown header is a problem."""
    index: dict[int, str] = {}
    named: dict[str, str] = {}
    problems = []
    for i, cell in enumerate(cells):
        name = _cell_text(cell)
        if not name:
            continue
        key = COLUMNS.get(name, name if name in FIELDS else "")
        if not key:
            problems.append(Problem(1, name, _("未知的列（可用：%(all)s）") % {"all": "、".join(COLUMNS)}))
            continue
        index[i], named[key] = key, name
    for key in REQUIRED:
        if key not in named:
            header = next(h for h, f in COLUMNS.items() if f == key)
            problems.append(Problem(1, header, _("缺少必填列")))
    if problems:
        raise ImportRefused(problems)
    return index, named


def _bodies(org: Organisation) -> dict[str, Organisation]:
    return {o.org_code: o for o in Organisation.objects.subtree_of(org)}


class _RowCheck:
    """One row's checks, each naming its column as the file names it; ``problems`` collects what is wrong."""

    def __init__(self, line: int, values: dict[str, Any], named: dict[str, str]) -> None:
        self.line, self.values, self.named = line, values, named
        self.problems: list[Problem] = []

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.line, self.named.get(key, key), reason))

    def text(self, key: str) -> str:
        return _cell_text(self.values.get(key))

    def body(self, org: Organisation, bodies: dict[str, Organisation]) -> Organisation:
        """The row's body: its 机关代码 when given (the importing body or one below it), else the importing body."""
        code = self.text("body_code")
        if not code:
            return org
        found = bodies.get(code)
        if found is None:
            self.problem("body_code", _("不是%(org)s或其所属单位的机关代码") % {"org": org.name})
            return org
        return found

    def number(self) -> str:
        try:
            return actions.check_number(self.text("number"))
        except ValidationError as exc:
            self.problem("number", "；".join(exc.messages))
            return ""

    def time(self, key: str) -> dt.datetime | None:
        try:
            return _cell_time(self.values.get(key))
        except ValueError as exc:
            self.problem(key, str(exc))
            return None

    def choice(self, key: str, enum: Any, aliases: dict[str, str], default: str) -> str:
        text = self.text(key)
        try:
            return _choice(text, enum, aliases) if text else default
        except ValueError as exc:
            self.problem(key, str(exc))
            return default

    def intake(self, intake: dict[str, Any]) -> dict[str, Any]:
        try:
            return actions.clean_intake(intake)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                self.problem(key, "；".join(messages))
            return intake

    def completion(
        self, status: str, received: Any, completed: dt.datetime | None, satisfaction: str
    ) -> None:
        """A completed ticket has its completion time, after receipt and not in the future; only it is rated."""
        done = status == TicketStatus.COMPLETED
        if done and completed is None:
            self.problem("completed_at", _("已办结的工单须填写办结时间"))
        if not done and completed is not None:
            self.problem("status", _("填写了办结时间，工单状态应为“已办结”"))
        if completed is not None and isinstance(received, dt.datetime) and completed < received:
            self.problem("completed_at", _("办结时间不能早于受理时间"))
        if completed is not None and completed > timezone.now() + actions.CLOCK_SKEW:
            self.problem("completed_at", _("办结时间不能晚于现在"))
        if satisfaction != Satisfaction.UNRATED and not done:
            self.problem("satisfaction", _("工单办结后才能评价"))


def _validate_row(
    line: int,
    values: dict[str, Any],
    org: Organisation,
    bodies: dict[str, Organisation],
    named: dict[str, str],
) -> tuple[_Row | None, list[Problem]]:
    check = _RowCheck(line, values, named)
    body = check.body(org, bodies)
    number = check.number()
    received_at, due_at, completed = (check.time(k) for k in ("received_at", "due_at", "completed_at"))
    category = check.choice("category", Category, {}, Category.OTHER)
    status = check.choice("status", TicketStatus, STATUS_ALIASES, "")
    satisfaction = check.choice("satisfaction", Satisfaction, SATISFACTION_ALIASES, Satisfaction.UNRATED)
    intake = check.intake(
        {
            "received_at": received_at,
            "category": category,
            **{k: check.text(k) for k in ("topic", "caller_name", "phone", "content")},
            "due_at": due_at,
        }
    )
    status = status or (TicketStatus.COMPLETED if completed else TicketStatus.RECEIVED)
    check.completion(status, intake.get("received_at"), completed, satisfaction)
    if check.problems:
        return None, check.problems
    new = actions.NewTicket(
        body,
        number,
        intake,
        status=status,
        completed_at=completed,
        result=check.text("result"),
        satisfaction=satisfaction,
    )
    return _Row(line, new, actions.content_digest(body, intake)), []


def validate(rows: list[list[Any]], org: Organisation) -> tuple[list[_Row], list[Problem]]:
    if not rows:
        raise ImportRefused([Problem(1, _("文件"), _("文件是空的"))])
    index, named = _header(rows[0])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRefused([Problem(1, _("文件"), _("一次最多导入%(n)d行") % {"n": MAX_ROWS})])
    bodies = _bodies(org)
    valid: list[_Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if all(_cell_text(c) == "" for c in cells):
            continue  # blank lines (a spreadsheet's trailing rows)
        values = {key: cells[i] for i, key in index.items() if i < len(cells)}
        row, found = _validate_row(line, values, org, bodies, named)
        problems += found
        if row is None:
            continue
        if row.new.number in seen:
            problems.append(
                Problem(line, named["number"], _("与第%(n)d行的工单编号重复") % {"n": seen[row.new.number]})
            )
            continue
        seen[row.new.number] = line
        valid.append(row)
    return valid, problems


def _unchanged(row: _Row, old: Ticket) -> bool:
    new = row.new
    return (
        old.body_id == new.body.pk
        and old.content_sha256 == row.digest
        and old.status == new.status
        and old.completed_at == new.completed_at
        and old.satisfaction == new.satisfaction
    )


def import_tickets(actor: Actor, org: Organisation, data: bytes, filename: str) -> ImportResult:
    """Import a platform export for ``org`` (rows may name a body of its subtree in 承办机关代码). Raises
    ``ImportRefused`` with every problem, and writes nothing, if any row is bad."""
    valid, problems = validate(read_table(data, filename), org)
    existing = {
        t.number: t
        for t in Ticket.objects.filter(source=Source.IMPORT, number__in=[r.new.number for r in valid])
    }
    fresh: list[_Row] = []
    unchanged = 0
    for row in valid:
        old = existing.get(row.new.number)
        if old is None:
            fresh.append(row)
        elif _unchanged(row, old):
            unchanged += 1
        else:
            problems.append(
                Problem(
                    row.line,
                    _("工单编号"),
                    _("工单%(n)s已导入，内容或状态与本次不同") % {"n": row.new.number},
                )
            )
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    summary = _("12345热线工单导入：%(file)s，新增%(n)d件") % {"file": filename[:100], "n": len(fresh)}
    tickets = (
        actions.create_tickets_bulk(actor, Source.IMPORT, [r.new for r in fresh], summary) if fresh else []
    )
    return ImportResult(created=len(tickets), unchanged=unchanged, tickets=tickets)


def problems_text(problems: Iterable[Problem]) -> list[str]:
    return [str(p) for p in problems]
