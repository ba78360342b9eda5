"""A read report's figures stored as the body's submission for the year (report-checker issue, Deliver 5;
docs/checker-compare.md "Import").

``plan(result, doc, org, year)`` maps the checker's cells onto the studio's statistics (the cells of
``report-formats.json`` that the submission template holds, ``gongkai.submissions.layout``) and lists every
reason the figures cannot be stored; ``store(plan, actor, filename)`` writes them through the studio's own
submission mechanism: the figures are filled into the body's XLSX template (``submissions.xlsx.template_for``)
and handed to ``submissions.actions.submit_for_system`` — the same checks (§3.4 rules 1–4 and 6 are errors),
the same one transaction, the same audit entries (the actor is the command, ``cli:import-report``), the
previous current submission superseded and kept.

Refused (nothing stored), with the cells named:
- a format the submissions cannot hold: a 2008-era provincial table or a narrative-only report
  (``Submission.format`` is one of 2014/2019/2021 and the statistics registry has no provincial rows);
- a year the format does not cover (a 2021-format report for 2019; the 2014 table after 2018);
- a required cell missing or ambiguous (run-together digits the sum rules could not split);
- a body other than the report's (unless asked for, e.g. to import a published report into a test body);
- whatever the submission parser refuses (a figure out of range, a broken §3.4 rule).
A blank cell is stored as 0 (§3.4 rule 6: blank means 0) and said so. An amount printed in 元 (Table 2
采购总金额 is often printed so) is converted to the 万元 the studio stores.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.utils.translation import gettext as _

from gongkai.checker.types import Cell, Finding, Result
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import FORMAT_CODES, CellRef
from gongkai.reports.registry import Unit
from gongkai.submissions.layout import Entry, layout, locate
from gongkai.submissions.models import Submission

ACTOR = "cli:import-report"
OPTIONAL_TABLES = frozenset(
    {"地方补充指标"}
)  # the 2014 template's local rows: most reports do not print them
# The years a format can hold (report-formats.json "years"); the 2019 format is still printed after 2020 by
# bodies that did not switch (the studio counts such reports, SubmissionQuerySet.for_report).
YEARS = {"2014": (2014, 2018), "2019": (2019, 2100), "2021": (2021, 2100)}
YUAN = Decimal(10000)


class TextDocument(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def simplified(self) -> str: ...


@dataclass
class Plan:
    org: Organisation
    year: int
    format: str
    values: dict[str, Decimal] = field(default_factory=dict)  # statistic key → value, as stored
    cells: dict[str, Cell] = field(default_factory=dict)  # statistic key → the report's cell
    problems: list[str] = field(default_factory=list)  # reasons for refusing: nothing is stored
    notes: list[str] = field(default_factory=list)  # what was assumed (blank → 0, 元 → 万元)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRefused(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems[:5]))


def _where(cell: CellRef | Cell) -> str:
    return f"{cell.table}｜{cell.row}｜{cell.column}"


def _same_body(a: str, b: str) -> bool:
    a, b = re.sub(r"\s", "", a), re.sub(r"\s", "", b)
    return bool(a and b) and (a in b or b in a)


def plan(
    result: Result,
    doc: TextDocument | None,
    org: Organisation,
    year: int | None = None,
    *,
    other_body: bool = False,
) -> Plan:
    """What importing ``result`` as ``org``'s submission for ``year`` (default: the report's) would store."""
    fmt = result.format
    chosen = year if year is not None else result.year
    p = Plan(org, chosen or 0, fmt, findings=list(result.findings))
    if fmt not in FORMAT_CODES:
        p.problems.append(
            _(
                "报告格式为“%(fmt)s”：报表填报只能保存全国统一格式（2014、2019、2021）的统计表，"
                "%(fmt)s格式的表格无法对应到填报单元格，不能导入"
            )
            % {"fmt": fmt}
        )
        return p
    if chosen is None:
        p.problems.append(_("无法从报告中识别年度，请用 --year 指定"))
        return p
    first, last = YEARS[fmt]
    if not first <= chosen <= last:
        p.problems.append(
            _("%(fmt)s格式的报告不能作为%(year)s年度的填报（该格式适用于%(first)s年起%(last)s）")
            % {
                "fmt": fmt,
                "year": chosen,
                "first": first,
                "last": _("至%(y)s年") % {"y": last} if last < 2100 else _("各年"),
            }
        )
    if not org.existed_in(chosen):
        p.problems.append(_("%(org)s在%(year)s年不存在") % {"org": org.name, "year": chosen})
    if (
        result.body
        and not other_body
        and not any(_same_body(result.body, n) for n in (org.name, org.short_name))
    ):
        p.problems.append(
            _("报告的机关是“%(body)s”，不是“%(org)s”（%(code)s）；如确需导入到其他机关，请加 --other-body")
            % {"body": result.body, "org": org.name, "code": org.org_code}
        )
    _map_cells(p, result, doc)
    return p


def _entries(fmt: str) -> list[Entry]:
    return [e for sheet in layout(fmt) for e in sheet.entries if not e.computed]


def _map_cells(p: Plan, result: Result, doc: TextDocument | None) -> None:
    by_key = {c.key: c for c in result.cells}
    missing, ambiguous, blank, optional = [], [], [], 0
    for entry in _entries(p.format):
        ref = entry.cell
        cell = by_key.get((ref.table, ref.row, ref.column))
        key = entry.statistic.key
        if cell is None:
            if ref.table in OPTIONAL_TABLES:
                optional += 1
                p.values[key] = Decimal(0)
                continue
            missing.append(_where(ref))
            continue
        p.cells[key] = cell
        if cell.ambiguous:
            ambiguous.append(_where(ref))
            continue
        if cell.value is None:
            blank.append(_where(ref))
            p.values[key] = Decimal(0)
            continue
        try:
            value = Decimal(str(cell.value))
        except InvalidOperation:
            missing.append(_where(ref))
            continue
        if entry.statistic.unit is Unit.WAN_YUAN and _printed_in_yuan(doc, ref):
            value = value / YUAN
            p.notes.append(
                _("%(where)s印为%(yuan)s元，按%(wan)s万元保存")
                % {"where": _where(ref), "yuan": cell.value, "wan": format(value.normalize(), "f")}
            )
        p.values[key] = value
    _say_unmapped(p, ambiguous, missing, blank, optional)


def _say_unmapped(p: Plan, ambiguous: list[str], missing: list[str], blank: list[str], optional: int) -> None:
    """The cells that keep the report from being imported (ambiguous, missing) and those stored as 0."""
    if ambiguous:
        p.problems.append(
            _("以下单元格数字粘连、无法确定（共%(n)d个），不能导入：%(cells)s")
            % {"n": len(ambiguous), "cells": "；".join(ambiguous)}
        )
    if missing:
        shown = "；".join(missing[:20]) + ("……" if len(missing) > 20 else "")
        p.problems.append(
            _("报告中缺少以下单元格（共%(n)d个），不能导入：%(cells)s") % {"n": len(missing), "cells": shown}
        )
    if blank:
        shown = "；".join(blank[:20]) + ("……" if len(blank) > 20 else "")
        p.notes.append(
            _("以下%(n)d个单元格为空白，按0保存（§3.4规则6：空白即0）：%(cells)s")
            % {"n": len(blank), "cells": shown}
        )
    if optional:
        p.notes.append(_("报告未印地方补充指标（%(n)d项），按0保存") % {"n": optional})


def _printed_in_yuan(doc: TextDocument | None, ref: CellRef) -> bool:
    """The amount of ``ref`` printed in 元 (not 万元): its row line, or the header line above naming its
    column, says 元 and not 万元. A column label that names its unit (…（单位：万元）) is 万元."""
    if doc is None or "万元" in ref.column:
        return False
    label = ref.row.split("/")[-1]
    lines = doc.simplified.split("\n")
    for i, line in enumerate(lines):
        if label not in line:
            continue
        near = " ".join(lines[max(0, i - 2) : i + 1])
        if "万元" in near:
            return False
        if re.search(r"\d\s*元", line) or re.search(re.escape(ref.column) + r"[（(]?(单位[:：])?元", near):
            return True
    return False


def store(p: Plan, actor: str = ACTOR, filename: str = "") -> Submission:
    """Store a plan as the body's submission (raises ``ImportRefused`` with the reasons; nothing is written
    then)."""
    from gongkai.submissions.actions import submit_for_system
    from gongkai.submissions.xlsx import SubmissionError

    if not p.ok:
        raise ImportRefused(p.problems)
    data = workbook(p)
    try:
        return submit_for_system(
            actor, p.org, p.year, p.format, io.BytesIO(data), filename or f"import-{p.year}.xlsx"
        )
    except SubmissionError as exc:
        where = {v: k for k, v in locate(p.format).items()}
        reasons = []
        for problem in exc.problems:
            ref = where.get((problem.sheet, problem.cell))
            reasons.append(f"{_where(ref)}：{problem.reason}" if ref else str(problem))
        raise ImportRefused(reasons) from exc


def workbook(p: Plan) -> bytes:
    """The body's submission template for the year with the plan's figures filled in."""
    from openpyxl import load_workbook

    from gongkai.submissions.xlsx import template_for

    wb = load_workbook(io.BytesIO(template_for(p.org, p.year, p.format)))
    for sheet in layout(p.format):
        ws = wb[sheet.name]
        for entry in sheet.entries:
            if not entry.computed and entry.statistic.key in p.values:
                value = p.values[entry.statistic.key]
                ws.cell(entry.row, entry.col).value = (
                    int(value) if entry.statistic.unit is Unit.COUNT and value == int(value) else value
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def describe(p: Plan) -> list[str]:
    """What would be stored, one line per cell (for --dry-run)."""
    lines = []
    for entry in _entries(p.format):
        key = entry.statistic.key
        if key in p.values:
            lines.append(f"{_where(entry.cell)} = {format(p.values[key].normalize(), 'f')}")
    return lines
