"""The XLSX submission template (填报模板) and its parser (issue 5 deliverable 2; statutory-reference §3).

``template_for`` writes one sheet per official table of the format, with the official row and column labels
(locked), the input cells unlocked and pre-filled with 0, data validation (whole numbers ≥ 0; decimals ≥ 0 for
万元 cells; 本年增/减 may be negative) and a very hidden sheet ``填报模板信息`` carrying the body's code, the
year, the format and the template version, so that an upload can be matched to the template it came from.

``parse`` reads an upload back into ``{statistic key: Decimal}`` or raises ``SubmissionError`` listing every
problem with its sheet, cell and reason. Formulas: a formula cell is accepted with the value Excel or WPS
cached when saving (the number the user saw); a formula without a cached value (a file written by a program
that never calculated it) is rejected. Then the consistency rules of statutory-reference §3.4 are applied to
the figures (``gongkai.reports.validation``): rules 1-4 and 6 are errors; rule 5 (carry-over against the
previous year on the platform) and the 现行有效 carry-over are warnings, returned with the values.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.exportsafe import set_text
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year, format_name
from gongkai.reports.registry import Number, Scope, Unit
from gongkai.reports.stats2014 import TABLE as TABLE_2014
from gongkai.reports.stats_requests import T3, T4
from gongkai.reports.stats_table2 import T2
from gongkai.reports.validation import (
    Finding,
    check_2014_sums,
    check_carry_over,
    check_in_force,
    check_table2,
    check_table3,
    check_table4,
    table_values,
)
from gongkai.submissions.layout import (
    META_SHEET,
    TEMPLATE_MAGIC,
    TEMPLATE_VERSION,
    Entry,
    SheetLayout,
    layout,
    locate,
)

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a template unpacks to well under 1 MB
MAX_BYTES = 5 * 1024 * 1024  # a filled template is ~30 KB
MAX_PROBLEMS = 100
SAFE_FUNCTIONS = frozenset({"SUM", "ROUND", "ABS", "INT", "MAX", "MIN"})
_FUNCTION = re.compile(r"([A-Z_][A-Z0-9._]*)\s*\(")
CELL_MAX = 1_000_000_000  # the largest magnitude a cell takes (the template's data validation says the same)
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
COMPUTED_FILL = PatternFill("solid", fgColor="D9D9D9")


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    reason: str

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}" if self.where else self.reason


class SubmissionError(ValueError):
    """An upload that cannot be accepted; ``problems`` name the sheet, cell and reason of each."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("；".join(str(p) for p in problems[:5]))


@dataclass
class Parsed:
    values: dict[str, Decimal]
    warnings: list[str] = field(default_factory=list)


# The template ---------------------------------------------------------------------------------------------


def template_for(org: Organisation, year: int, fmt: str) -> bytes:
    """The XLSX template of ``fmt`` for ``org`` and ``year`` (statutory-reference §3: the official tables)."""
    if fmt not in FORMAT_CODES:
        raise ValueError(f"unknown report format {fmt!r}")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in layout(fmt):
        _write_sheet(wb.create_sheet(sheet.name), sheet, org, year, fmt)
    meta = wb.create_sheet(META_SHEET)
    for r, row in enumerate(_meta_rows(org, year, fmt), start=1):
        for c, value in enumerate(row, start=1):
            set_text(meta.cell(r, c), value)  # a body's name is text, never a formula
    meta.protection.sheet = True
    meta.sheet_state = "veryHidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _meta_rows(org: Organisation, year: int, fmt: str) -> list[tuple[str, str]]:
    return [
        ("template", TEMPLATE_MAGIC),
        ("version", TEMPLATE_VERSION),
        ("org_code", org.org_code),
        ("org_name", org.name),
        ("year", str(year)),
        ("format", fmt),
    ]


def _write_sheet(ws: Any, sheet: SheetLayout, org: Organisation, year: int, fmt: str) -> None:
    for label in sheet.labels:
        cell = ws.cell(label.row, label.col)
        set_text(cell, label.text)
        cell.alignment = Alignment(
            horizontal="center" if label.row == 1 else "left", vertical="center", wrap_text=True
        )
        cell.font = Font(bold=label.row == 1, size=14 if label.row == 1 else 10)
        if label.row > 1:
            for row in ws.iter_rows(label.row, label.last_row, label.col, label.last_col):
                for c in row:
                    c.fill, c.border = LABEL_FILL, BORDER
        if label.merged:
            ws.merge_cells(label.range)
    note = _("填报机关：%(org)s（%(code)s）　年度：%(year)s　格式：%(fmt)s") % {
        "org": org.name,
        "code": org.org_code,
        "year": year,
        "fmt": format_name(fmt),
    }
    set_text(ws.cell(2, 1), note)
    ws.cell(2, 1).font = Font(size=10, italic=True)
    _write_entries(ws, sheet.entries)
    for col in range(1, sheet.width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.column_dimensions["A"].width = 28
    ws.protection.sheet = True


def _write_entries(ws: Any, entries: tuple[Entry, ...]) -> None:
    whole = DataValidation(
        type="whole", operator="between", formula1="0", formula2=str(CELL_MAX), allow_blank=False
    )
    signed = DataValidation(type="whole", operator="between", formula1=str(-CELL_MAX), formula2=str(CELL_MAX))
    money = DataValidation(
        type="decimal", operator="between", formula1="0", formula2=str(CELL_MAX), allow_blank=False
    )
    for dv, message in (
        (whole, _("请填写0至%(max)d之间的整数") % {"max": CELL_MAX}),
        (signed, _("请填写绝对值不超过%(max)d的整数（可为负数）") % {"max": CELL_MAX}),
        (money, _("请填写0至%(max)d之间的数（万元）") % {"max": CELL_MAX}),
    ):
        dv.error, dv.errorTitle, dv.showErrorMessage = message, _("数值无效"), True
        ws.add_data_validation(dv)
    for entry in entries:
        cell = ws.cell(entry.row, entry.col)
        cell.border = BORDER
        if entry.computed:
            cell.value, cell.fill = _("（自动计算）"), COMPUTED_FILL
            continue
        cell.value = 0
        cell.protection = Protection(locked=False)
        if entry.statistic.unit is Unit.WAN_YUAN:
            cell.number_format = "0." + "0" * max(entry.statistic.precision, 2)
            money.add(cell)
        else:
            cell.number_format = "0"
            (signed if entry.may_be_negative else whole).add(cell)


# The parser -----------------------------------------------------------------------------------------------


def parse(fileobj: IO[bytes] | bytes, org: Organisation, year: int, fmt: str) -> dict[str, Decimal]:
    """The figures of an uploaded template: {statistic key: value}; ``SubmissionError`` when unacceptable."""
    return parse_workbook(fileobj, org, year, fmt).values


def _unpacked_size(data: bytes) -> int:
    """The size of an XLSX (a zip) once unpacked, read from its directory without unpacking; 0 when it is not a
    zip (``load_workbook`` then says what is wrong). A small file may unpack to gigabytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def parse_workbook(fileobj: IO[bytes] | bytes, org: Organisation, year: int, fmt: str) -> Parsed:
    data = fileobj if isinstance(fileobj, bytes) else fileobj.read()
    if len(data) > MAX_BYTES:
        raise SubmissionError([Problem("", "", _("文件过大（超过5MB），不是本系统的填报模板"))])
    if _unpacked_size(data) > MAX_UNPACKED_BYTES:
        raise SubmissionError([Problem("", "", _("文件解压后过大，不是本系统的填报模板"))])
    try:
        wb = load_workbook(io.BytesIO(data))
        cached = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise SubmissionError(
            [
                Problem(
                    "",
                    "",
                    _("文件不是有效的XLSX工作簿（%(error)s），请上传从本系统下载的模板")
                    % {"error": type(exc).__name__},
                )
            ]
        ) from exc
    _check_meta(wb, org, year, fmt)
    problems: list[Problem] = _formula_problems(wb, fmt)
    values: dict[str, Decimal] = {}
    for sheet in layout(fmt):
        if sheet.name not in wb.sheetnames:
            problems.append(Problem(sheet.name, "", _("缺少工作表“%(name)s”") % {"name": sheet.name}))
            continue
        problems += _check_labels(wb[sheet.name], sheet)
        problems += _read_entries(wb[sheet.name], cached[sheet.name], sheet, values)
    if problems:
        raise SubmissionError(_capped(problems))
    errors, warnings = _consistency(values, org, year, fmt)
    if errors:
        raise SubmissionError(_capped(errors))
    return Parsed(values, warnings)


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem("", "", _("……另有%(n)d处问题未列出") % {"n": more})]


def _check_meta(wb: Any, org: Organisation, year: int, fmt: str) -> None:
    """The right template: made by this system, this version, this format, body and year."""
    if META_SHEET not in wb.sheetnames:
        raise SubmissionError(
            [
                Problem(
                    "",
                    "",
                    _("不是本系统生成的填报模板（缺少工作表“%(meta)s”），请重新下载模板")
                    % {"meta": META_SHEET},
                )
            ]
        )
    meta = {str(row[0]): str(row[1]) for row in wb[META_SHEET].iter_rows(values_only=True) if row and row[0]}
    problems = []
    if meta.get("template") != TEMPLATE_MAGIC:
        problems.append(_("不是本系统生成的填报模板"))
    elif meta.get("version") != TEMPLATE_VERSION:
        problems.append(
            _("模板版本%(got)s已停用，请重新下载（当前版本%(want)s）")
            % {"got": meta.get("version"), "want": TEMPLATE_VERSION}
        )
    if meta.get("format") != fmt:
        problems.append(
            _("模板是%(got)s格式，应上传%(want)s格式的模板") % {"got": meta.get("format"), "want": fmt}
        )
    if meta.get("org_code") != org.org_code:
        problems.append(
            _("模板属于机关%(got)s（%(name)s），不是%(want)s")
            % {"got": meta.get("org_code"), "name": meta.get("org_name", ""), "want": org.org_code}
        )
    if meta.get("year") != str(year):
        problems.append(_("模板年度为%(got)s，应为%(want)s") % {"got": meta.get("year"), "want": year})
    if problems:
        raise SubmissionError([Problem(META_SHEET, "", p) for p in problems])


def _check_labels(ws: Any, sheet: SheetLayout) -> list[Problem]:
    problems = []
    for label in sheet.labels:
        actual = ws.cell(label.row, label.col).value
        text = "" if actual is None else str(actual).strip()
        if text != label.text:
            problems.append(
                Problem(
                    sheet.name,
                    label.coordinate,
                    _("标签被修改：应为“%(want)s”，实为“%(got)s”") % {"want": label.text, "got": text},
                )
            )
    return problems


def _read_entries(ws: Any, cached: Any, sheet: SheetLayout, values: dict[str, Decimal]) -> list[Problem]:
    problems = []
    for entry in sheet.entries:
        if entry.computed:
            continue
        raw = ws.cell(entry.row, entry.col).value
        if _is_formula(raw):
            raw = cached.cell(entry.row, entry.col).value
            if raw is None:
                problems.append(
                    Problem(
                        sheet.name,
                        entry.coordinate,
                        _("含公式但没有计算结果：请在Excel或WPS中打开并保存，或直接填写数值"),
                    )
                )
                continue
        value, reason = _number(raw, entry)
        if reason:
            problems.append(Problem(sheet.name, entry.coordinate, reason))
        elif value is not None:
            values[entry.statistic.key] = value
    return problems


def _formula_problems(wb: Any, fmt: str) -> list[Problem]:
    """Formulas only where a figure is entered, and only arithmetic there: the stored upload is downloaded by
    other staff as it is, and a spreadsheet would run ``=HYPERLINK(...)`` or a DDE call (``=cmd|...``)."""
    inputs = {(sheet.name, e.coordinate) for sheet in layout(fmt) for e in sheet.entries}
    problems = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":  # text that merely starts with "=" is not run
                    continue
                if (ws.title, cell.coordinate) not in inputs:
                    reason = _("只有填报单元格可以含公式，请删除此处的公式")
                elif _unsafe_formula(str(getattr(cell.value, "text", cell.value))):
                    reason = _("公式只能使用四则运算和%(names)s") % {
                        "names": "、".join(sorted(SAFE_FUNCTIONS))
                    }
                else:
                    continue
                problems.append(Problem(ws.title, cell.coordinate, reason))
    return problems


def _unsafe_formula(text: str) -> bool:
    """A DDE call (``|``), a reference to another workbook (``[``) or a function outside ``SAFE_FUNCTIONS``."""
    upper = text.upper()
    return "|" in upper or "[" in upper or any(f not in SAFE_FUNCTIONS for f in _FUNCTION.findall(upper))


def _is_formula(raw: object) -> bool:
    return (isinstance(raw, str) and raw.startswith("=")) or type(raw).__name__ in {
        "ArrayFormula",
        "DataTableFormula",
    }


def _number(raw: object, entry: Entry) -> tuple[Decimal | None, str]:
    """The cell's value, or the reason it is not acceptable (statutory-reference §3.4 rule 6: non-negative
    integers, no blanks; and the bounds of ``_out_of_bounds``)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, _("未填写：没有发生的事项请填0")
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None, _("应填写数字，实为文本“%(text)s”") % {"text": str(raw)[:40]}
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        return None, _("无法识别的数字“%(text)s”") % {"text": raw}
    if value < 0 and not entry.may_be_negative:
        return None, _("不能为负数（%(value)s）") % {"value": _plain(value)}
    if reason := _out_of_bounds(value, entry):
        return None, reason
    if entry.statistic.unit is Unit.WAN_YUAN:
        return value, ""
    return value.quantize(Decimal(1)), ""


def _out_of_bounds(value: Decimal, entry: Entry) -> str:
    """Why a finite ``value`` does not fit its cell ("" when it does): at most ``CELL_MAX`` in magnitude (the
    template's own data validation; well inside the stored numeric(18, 4) column, so that sums over a whole
    subtree fit it too); a count whole, an amount in 万元 with at most the statistic's decimals. Checked before
    any rounding, which would fail on a value of 28 digits or more."""
    if abs(value) > CELL_MAX:
        return _("超出允许范围：绝对值不能超过%(max)d（实为%(value)s）") % {
            "max": CELL_MAX,
            "value": _plain(value),
        }
    if entry.statistic.unit is Unit.WAN_YUAN:
        if value != value.quantize(Decimal(1).scaleb(-entry.statistic.precision)):
            return _("金额（万元）最多保留%(n)d位小数（%(value)s）") % {
                "n": entry.statistic.precision,
                "value": _plain(value),
            }
    elif value != value.to_integral_value():
        return _("件数须为整数（%(value)s）") % {"value": _plain(value)}
    return ""


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _consistency(
    values: Mapping[str, Decimal], org: Organisation, year: int, fmt: str
) -> tuple[list[Problem], list[str]]:
    """statutory-reference §3.4 on the submitted figures: in the 2019 and 2021 formats rules 1-4 and 6 are
    errors and carry-over against the previous year (rule 5, 现行有效) warnings; in the 2014 table rule 8 (the
    sums of channels, answers, reasons and closings) is an error."""
    if fmt == "2014":
        findings, warnings = check_2014_sums(_table_2014(values)), []
    else:
        tables = _tables(values, fmt)
        findings = check_table3(tables[T3], fmt) + check_table4(tables[T4]) + check_table2(tables[T2])
        warnings = _carry_over(tables, org, year, fmt)
    where = locate(fmt)
    errors = [
        Problem(
            *(where[f.cells[0]] if f.cells else ("", "")),
            _("规则%(rule)s：%(msg)s") % {"rule": f.rule, "msg": f.message},
        )
        for f in findings
        if f.severity == "error"
    ]
    warnings += [f.message for f in findings if f.severity != "error"]
    return errors, warnings


def _table_2014(values: Mapping[str, Decimal]) -> dict[tuple[str, str], Number]:
    """The submitted counts of the 2014 table, by (row, column), as ``check_2014_sums`` reads them."""
    return {
        (entry.cell.row, entry.cell.column): int(values[entry.statistic.key])
        for sheet in layout("2014")
        for entry in sheet.entries
        if entry.cell.table == TABLE_2014
        and entry.statistic.key in values
        and entry.statistic.unit is Unit.COUNT
    }


def _tables(values: Mapping[str, Decimal], fmt: str) -> dict[str, dict[tuple[str, str], Number]]:
    result: dict[str, dict[tuple[str, str], Number]] = {T2: {}, T3: {}, T4: {}}
    for sheet in layout(fmt):
        for entry in sheet.entries:
            if entry.cell.table in result and entry.statistic.key in values:
                value = values[entry.statistic.key]
                number: Number = int(value) if entry.statistic.unit is Unit.COUNT else value
                result[entry.cell.table][(entry.cell.row, entry.cell.column)] = number
    return result


def _carry_over(
    tables: Mapping[str, Mapping[tuple[str, str], Number]], org: Organisation, year: int, fmt: str
) -> list[str]:
    """Warnings: this year's 上年结转 against last year's 结转下年度 of the same body (rule 5), and 现行有效
    against last year's (2021 format) — last year as the platform knows it (its records or its submission)."""
    findings: list[Finding] = []
    previous_fmt = default_format_for_year(year - 1)
    if year >= 2020 and previous_fmt in ("2019", "2021"):
        previous = table_values(org, year - 1, previous_fmt, T3, Scope.OWN)
        findings += check_carry_over(tables[T3], previous, year)
    if fmt == "2021":
        findings += check_in_force(tables[T2], table_values(org, year - 1, "2021", T2, Scope.OWN), year)
    return [_("与上一年度数据不衔接（请核对）：%(msg)s") % {"msg": f.message} for f in findings]
