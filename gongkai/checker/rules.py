"""The consistency rules on a read report (report-checker issue, Deliver 1: ``findings``); docs/checker-rules.md.

``check(result, doc, previous)`` runs, for the report's format:
- the table rules of statutory-reference §3.4, ported from :mod:`gongkai.reports.validation` (which checks the
  studio's own reports) to printed tables: Table 3 balance per column (rule 1), （七）总计 = Σ outcome rows per
  column (rule 2), 总计 = Σ applicant columns per row (rule 3), Table 4 blocks (rule 4), non-negative whole
  numbers (rule 6), the 2014 table's sums (rule 8) and the 2008-era provincial tables' 其中 rows;
- blank cells (rule 6 says 0, not empty: a warning listing them);
- the narrative against the tables (rule 7: requests received, answered, carried over, each outcome, reviews and
  lawsuits and their results, Table 2 figures) and against itself (percentages, a category breakdown = its
  total);
- with ``previous`` (last year's report), the cross-year rules of :mod:`gongkai.checker.crossyear`.

A broken sum where a blank cell was counted as 0 is a warning (the blank may hide the figure); otherwise a hard
rule broken is an error. Findings of one rule are gathered into one finding per severity. A rule never fires on
a cell the tables could not read (``ambiguous``) nor on a figure the report does not state: precision first.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongkai.checker import crossyear
from gongkai.checker.narrative import Figure, TextDocument, analyse
from gongkai.checker.reading import simplify
from gongkai.checker.types import Cell, Finding, Number, Result, Severity
from gongkai.reports.formats import tables as format_tables

T2 = "二、主动公开政府信息情况"
T3 = "三、收到和处理政府信息公开申请情况"
T4 = "四、政府信息公开行政复议、行政诉讼情况"
NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果/"
TOTAL = RESULTS + "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"
SUM = "总计"
T4_PARTS = ("结果维持", "结果纠正", "其他结果", "尚未审结")
REVIEW, DIRECT, AFTER_REVIEW = "行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"
T2014 = "政府信息公开情况统计表"
COLUMN_2014 = "统计数"
NATIONAL = ("2019", "2021")


class Unknown(Exception):
    """A cell the rule needs is ambiguous: the rule says nothing."""


class Cells:
    """The extracted cells by (table, row, column)."""

    def __init__(self, cells: Iterable[Cell]) -> None:
        self.list = list(cells)
        self.by_key = {c.key: c for c in self.list}

    def get(self, table: str, row: str, column: str) -> Cell | None:
        return self.by_key.get((table, row, column))

    def has_table(self, table: str) -> bool:
        return any(c.table == table for c in self.list)

    def rows(self, table: str) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.list:
            if c.table == table:
                seen.setdefault(c.row, None)
        return list(seen)

    def columns(self, table: str) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.list:
            if c.table == table:
                seen.setdefault(c.column, None)
        return list(seen)


Exact = int | Decimal


def exact(number: Number) -> Exact:
    """Sums and comparisons are exact: a float (if a reader gave one) is read as printed."""
    return Decimal(str(number)) if isinstance(number, float) else number


def value(cell: Cell | None) -> Exact:
    """A cell's value for a sum: blank and absent count 0; an ambiguous cell stops the rule."""
    if cell is not None and cell.ambiguous:
        raise Unknown
    if cell is None or cell.value is None:
        return 0
    return exact(cell.value)


def _n(number: Number) -> str:
    """A number as printed in a message."""
    if isinstance(number, Decimal):
        return format(number.normalize(), "f") if number != number.to_integral_value() else str(int(number))
    if isinstance(number, float):
        return f"{number:g}"
    return str(number)


@dataclass
class Broken:
    severity: Severity
    message: str
    cells: tuple[Cell, ...]


def _gather(rule: str, items: Sequence[Broken], lead: str = "") -> list[Finding]:
    """One finding per severity: the messages joined, the cells in order without repeats."""
    findings = []
    severities: tuple[Severity, ...] = ("error", "warning")
    for severity in severities:
        mine = [b for b in items if b.severity == severity]
        if not mine:
            continue
        cells: dict[tuple[str, str, str], Cell] = {}
        for b in mine:
            for c in b.cells:
                cells.setdefault(c.key, c)
        message = lead + "；".join(b.message for b in mine) + "。"
        findings.append(Finding(rule, severity, message, tuple(cells.values())))
    return findings


def _sum_broken(total: Cell | None, parts: Sequence[Cell | None], message: str) -> Broken | None:
    """``total`` ≠ Σ ``parts`` (blanks as 0): a warning when a blank took part, else an error. The cells: the
    non-zero parts (all parts when none is) and the total. ``message`` gets %(sum)s and %(total)s."""
    present = [p for p in parts if p is not None]
    if total is None or not present or len(present) != len(parts):
        return None  # a part the tables did not give: the sum is not known
    parts_sum = sum((value(p) for p in present), start=0)
    if parts_sum == value(total):
        return None
    blank = total.value is None or any(p.value is None for p in present)
    nonzero = [p for p in present if p.value]
    text = message % {"sum": _n(parts_sum), "total": _blank_or(total)}
    if blank:
        text += _("（空白按0计）")
    return Broken("warning" if blank else "error", text, (*(nonzero or present), total))


def _blank_or(cell: Cell) -> str:
    return _("空白") if cell.value is None else _n(cell.value)


def check(result: Result, doc: TextDocument | None, previous: Result | None = None) -> list[Finding]:
    """Every finding of the consistency rules for ``result`` (its cells; ``doc`` for the narrative)."""
    cells = Cells(result.cells)
    figures = analyse(doc) if doc is not None else []
    findings: list[Finding] = []
    if result.format in NATIONAL:
        findings += _table3(cells, result.format) + _table4(cells)
    elif result.format == "2014":
        findings += _table_2014(cells)
    elif result.format == "2008-era":
        findings += _provincial(cells)
    findings += _non_negative(cells) + _whole_numbers(cells) + _blanks(cells)
    if result.format in NATIONAL:
        findings += _narrative_national(cells, figures, result.format)
    elif result.format == "2014":
        findings += _narrative_2014(cells, figures)
    elif result.format == "2008-era":
        findings += _narrative_provincial(cells, figures)
    findings += _percentages(figures) + _categories(figures)
    if previous is not None:
        findings += crossyear.check(result, previous)
    return findings


def _safe(rule: Any, *args: Any) -> list[Broken]:
    try:
        found = rule(*args)
    except Unknown:
        return []
    return [b for b in found if b is not None]


# Tables 3 and 4 of the 2019 and 2021 formats (statutory-reference §3.4 rules 1-4) ----------------------------


def _t3_spec(fmt: str) -> tuple[list[str], list[str]]:
    spec = next(t for t in format_tables(fmt) if t.table == T3)
    return list(spec.rows), list(spec.columns)


def _outcome_rows(fmt: str) -> list[str]:
    rows, _columns = _t3_spec(fmt)
    return [r for r in rows if r.startswith(RESULTS) and r != TOTAL]


def _table3(cells: Cells, fmt: str) -> list[Finding]:
    if not cells.has_table(T3):
        return []
    rows, columns = _t3_spec(fmt)
    balance: list[Broken] = []
    outcomes: list[Broken] = []
    totals: list[Broken] = []
    for column in columns:
        balance += _safe(_balance, cells, column)
        outcomes += _safe(
            lambda col: [
                _sum_broken(
                    cells.get(T3, TOTAL, col),
                    [cells.get(T3, r, col) for r in _outcome_rows(fmt)],
                    _("“%(col)s”列各项办理结果之和为%%(sum)s，（七）总计为%%(total)s") % {"col": col},
                )
            ],
            column,
        )
    for row in rows:
        totals += _safe(
            lambda r: [
                _sum_broken(
                    cells.get(T3, r, SUM),
                    [cells.get(T3, r, c) for c in columns if c != SUM],
                    _("“%(row)s”行各类申请人之和为%%(sum)s，总计为%%(total)s") % {"row": r},
                )
            ],
            row,
        )
    return (
        _gather("Table 3 收支平衡（新收＋上年结转＝办理结果＋结转下年度）", balance, _("表三："))
        + _gather("Table 3 （七）总计 = Σ 办理结果（各列）", outcomes, _("表三："))
        + _gather("Table 3 总计 = Σ 各类申请人（各行）", totals, _("表三："))
    )


def _balance(cells: Cells, column: str) -> list[Broken | None]:
    parts = [cells.get(T3, r, column) for r in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)]
    if any(p is None for p in parts):
        return []
    new, cin, total, cout = (value(p) for p in parts)
    if new + cin == total + cout:
        return []
    blank = any(p is not None and p.value is None for p in parts)
    message = _(
        "“%(col)s”列本年新收%(new)s＋上年结转%(cin)s＝%(left)s，而办理结果总计%(total)s＋结转下年度%(cout)s＝%(right)s"
    ) % {
        "col": column,
        "new": _n(new),
        "cin": _n(cin),
        "left": _n(new + cin),
        "total": _n(total),
        "cout": _n(cout),
        "right": _n(total + cout),
    }
    return [Broken("warning" if blank else "error", message, tuple(p for p in parts if p is not None))]


def _table4(cells: Cells) -> list[Finding]:
    if not cells.has_table(T4):
        return []
    broken: list[Broken] = []
    for row in cells.rows(T4):
        broken += _safe(
            lambda r: [
                _sum_broken(
                    cells.get(T4, r, SUM),
                    [cells.get(T4, r, c) for c in T4_PARTS],
                    _("“%(row)s”结果维持、结果纠正、其他结果、尚未审结之和为%%(sum)s，总计为%%(total)s")
                    % {"row": r},
                )
            ],
            row,
        )
    return _gather("Table 4 维持＋纠正＋其他＋尚未审结 = 总计", broken, _("表四："))


# The 2014 national table (rule 8) and the 2008-era provincial tables ----------------------------------------

ROW_SUMS_2014 = (  # total row, what its parts are: the lists of the national table are complete
    ("三、依申请公开情况/（一）收到申请数", "受理渠道"),
    ("三、依申请公开情况/（二）申请办结数", "按时办结数与延期办结数"),
    ("三、依申请公开情况/（三）申请答复数", "各类答复"),
    ("三、依申请公开情况/（三）申请答复数/4.不同意公开答复数", "各项不同意公开理由"),
    ("四、行政复议数量", "维持、纠错和其他情形"),
    ("五、行政诉讼数量", "维持或驳回、纠错和其他情形"),
    ("八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数", "专职人员数与兼职人员数"),
)


_PENDING_MAY_BE_LEFT_OUT = ("四、行政复议数量", "五、行政诉讼数量")


def _sum(cells: Cells, rows: Sequence[str]) -> Exact:
    return sum((value(cells.get(T2014, r, COLUMN_2014)) for r in rows), start=0)


def _table_2014(cells: Cells) -> list[Finding]:
    broken: list[Broken] = []
    subsets: list[Broken] = []
    rows = cells.rows(T2014)
    for total_row, parts_name in ROW_SUMS_2014:
        children = [r for r in rows if r.rpartition("/")[0] == total_row]
        if not children:
            continue
        found = _safe(
            lambda t, ch, name: [
                _sum_broken(
                    cells.get(T2014, t, COLUMN_2014),
                    [cells.get(T2014, r, COLUMN_2014) for r in ch],
                    _("“%(row)s”的%(parts)s之和为%%(sum)s，而该项为%%(total)s")
                    % {"row": t.rpartition("/")[2], "parts": name},
                )
            ],
            total_row,
            children,
            parts_name,
        )
        if found and total_row in _PENDING_MAY_BE_LEFT_OUT:
            # the table has no 尚未审结 row: cases still pending may be left out, only a sum above the total is sure
            total = value(cells.get(T2014, total_row, COLUMN_2014))  # read above: not ambiguous
            found = found if _sum(cells, children) > total else []
        broken += found
    for row in rows:
        parent, _sep, label = row.rpartition("/")
        if label.startswith("其中") and parent in rows:
            subsets += _safe(
                _not_above, cells.get(T2014, row, COLUMN_2014), cells.get(T2014, parent, COLUMN_2014)
            )
    return _gather("2014 table 分项之和 = 合计", broken, _("统计表：")) + _gather(
        "2014 table 其中 ≤ 合计", subsets, _("统计表：")
    )


def _not_above(part: Cell | None, whole: Cell | None) -> list[Broken]:
    if part is None or whole is None or part.value is None or whole.value is None:
        return []
    if value(part) <= value(whole):
        return []
    message = _("“%(part)s”%(pv)s大于“%(whole)s”%(wv)s") % {
        "part": part.row.rpartition("/")[2],
        "pv": _n(value(part)),
        "whole": whole.row.rpartition("/")[2],
        "wv": _n(value(whole)),
    }
    return [Broken("error", message, (part, whole))]


_NUMBERED = re.compile(r"^(?:其中[:：]?)?\s*[（(]?\d{1,2}[)）]?[、.．]")
_CUMULATIVE = re.compile(r"累计")


def provincial_columns(cells: Cells, table: str) -> tuple[list[str], str | None]:
    """The year columns and the 历年累计 column of a 2008-era table."""
    columns = cells.columns(table)
    cumulative = next((c for c in columns if _CUMULATIVE.search(simplify(c))), None)
    return [c for c in columns if c != cumulative and not re.search(r"单位", simplify(c))], cumulative


def provincial_groups(rows: Sequence[str]) -> list[tuple[str, list[str]]]:
    """(parent row, its numbered 其中 rows) in printed order: "受理…总数", "其中：1、当面申请数", "2、网上申请数"…"""
    groups: list[tuple[str, list[str]]] = []
    simple = [simplify(r) for r in rows]  # labels are kept as printed, Traditional too
    for i, row in enumerate(rows):
        if _NUMBERED.match(simple[i]) or i + 1 >= len(rows) or not simple[i + 1].startswith("其中"):
            continue
        children = []
        for nxt, plain in zip(rows[i + 1 :], simple[i + 1 :], strict=True):
            if not _NUMBERED.match(plain):
                break
            children.append(nxt)
        if len(children) >= 2:
            groups.append((row, children))
    return groups


def _provincial(cells: Cells) -> list[Finding]:
    sums: list[Broken] = []
    subsets: list[Broken] = []
    order: list[Broken] = []
    for table in dict.fromkeys(c.table for c in cells.list):
        rows = cells.rows(table)
        years, cumulative = provincial_columns(cells, table)
        for parent, children in provincial_groups(rows):
            plain = simplify(parent)  # labels are kept as printed, Traditional too
            exhaustive = bool(re.search(r"申请|答复", plain)) and bool(re.search(r"总数|合计|总计", plain))
            for column in [*years, *([cumulative] if cumulative else [])]:
                whole = cells.get(table, parent, column)
                parts = [cells.get(table, r, column) for r in children]
                for part in parts:
                    subsets += _safe(_not_above, part, whole)
                if not exhaustive:
                    continue
                has_other = any(re.search(r"其他", simplify(r)) for r in children)
                found = _safe(
                    lambda w, p, col, row: [
                        _sum_broken(
                            w,
                            p,
                            _("“%(row)s”（%(col)s）的各分项之和为%%(sum)s，而该项为%%(total)s")
                            % {"row": row, "col": col},
                        )
                    ],
                    whole,
                    parts,
                    column,
                    parent,
                )
                # a list without 其他 may leave channels out: only a sum above the total is certain
                sums += [b for b in found if has_other or sum(value(p) for p in parts) > value(whole)]
        if cumulative:
            for row in rows:
                for column in years:
                    order += _safe(
                        _cumulative_order, cells.get(table, row, column), cells.get(table, row, cumulative)
                    )
    return (
        _gather("2008-era table 分项之和 = 合计", sums, _("统计表："))
        + _gather("2008-era table 其中 ≤ 合计", subsets, _("统计表："))
        + _gather("2008-era table 历年累计 ≥ 本年度", order, _("统计表："))
    )


def _cumulative_order(year: Cell | None, cumulative: Cell | None) -> list[Broken]:
    if year is None or cumulative is None or year.value is None or cumulative.value is None:
        return []
    if value(year) <= value(cumulative):
        return []
    message = _("“%(row)s”本年度%(year)s大于历年累计%(cum)s") % {
        "row": year.row,
        "year": _n(value(year)),
        "cum": _n(value(cumulative)),
    }
    return [Broken("error", message, (year, cumulative))]


# Every cell: non-negative whole numbers, no blanks (rule 6) ----------------------------------------------------

_MAY_BE_NEGATIVE = re.compile(r"增/减|增减|增加/减少|变化")
_AMOUNT = re.compile(r"金额|万元|元|率|%|％|费|经费|比例")


def _non_negative(cells: Cells) -> list[Finding]:
    broken = [
        Broken(
            "error",
            _("%(table)s“%(row)s/%(col)s”为负数%(value)s")
            % {"table": c.table, "row": c.row, "col": c.column, "value": _n(c.value)},
            (c,),
        )
        for c in cells.list
        if c.value is not None and not c.ambiguous and c.value < 0 and not _MAY_BE_NEGATIVE.search(c.column)
    ]
    return _gather("cells non-negative", broken)


def _whole_numbers(cells: Cells) -> list[Finding]:
    broken = [
        Broken(
            "error",
            _("%(table)s“%(row)s/%(col)s”应为整数，实为%(value)s")
            % {"table": c.table, "row": c.row, "col": c.column, "value": _n(c.value)},
            (c,),
        )
        for c in cells.list
        if c.value is not None
        and not c.ambiguous
        and Decimal(str(c.value)) != Decimal(str(c.value)).to_integral_value()
        and not _AMOUNT.search(c.row + c.column + c.table)
    ]
    return _gather("cells whole numbers", broken)


def _short_table(table: str) -> str:
    return {T2: "表二", T3: "表三", T4: "表四"}.get(table, table)


def _blanks(cells: Cells) -> list[Finding]:
    blank = [c for c in cells.list if c.value is None and not c.ambiguous]
    if not blank:
        return []
    counts: dict[str, int] = {}
    for c in blank:
        counts[c.table] = counts.get(c.table, 0) + 1
    parts = "、".join(
        _("%(table)s有%(n)d个单元格") % {"table": _short_table(t), "n": n} for t, n in counts.items()
    )
    return [
        Finding(
            "blank cells",
            "warning",
            _("%(parts)s为空白（没有数值的单元格应填0）。") % {"parts": parts},
            tuple(blank),
        )
    ]


# The narrative against the tables (rule 7) -----------------------------------------------------------------


def _stated(figures: Sequence[Figure], concept: str) -> list[Figure]:
    return [f for f in figures if f.concept == concept or f.concept.startswith(concept + "|")]


def _quote(f: Figure) -> str:
    """The words of the sentence around the figure, for a message."""
    s = f.sentence.text
    if f.start < 0:
        return s[:40]
    a = max((m.end() for m in re.finditer(r"[，。；,;]", s[: f.start])), default=0)
    m = re.search(r"[，。；,;]", s[f.end :])
    b = f.end + m.start() if m else len(s)
    return s[a:b].strip()


def _row_value(cells: Cells, row: str, columns: Sequence[str]) -> tuple[Exact, list[Cell]]:
    """A Table 3 row's total: its 总计 cell, or Σ the applicant cells when 总计 is blank; and the cells to cite."""
    total = cells.get(T3, row, SUM)
    if total is not None and total.value is not None:
        return value(total), [total] if total.value else []
    parts = [c for c in (cells.get(T3, row, col) for col in columns if col != SUM) if c is not None]
    return sum((value(c) for c in parts), start=0), [c for c in parts if c.value]


_OUTCOME_ROWS = {
    "outcome.disclosed": ("（一）",),
    "outcome.partly": ("（二）",),
    "outcome.disclosed+partly": ("（一）", "（二）"),
    "outcome.refused": ("（三）",),
    "outcome.unable": ("（四）",),
    "outcome.not_processed": ("（五）",),
    "outcome.other": ("（六）",),
}
_OUTCOME_NAMES = {
    "outcome.disclosed": "予以公开",
    "outcome.partly": "部分公开",
    "outcome.disclosed+partly": "予以公开及部分公开",
    "outcome.refused": "不予公开",
    "outcome.unable": "无法提供",
    "outcome.not_processed": "不予处理",
    "outcome.other": "其他处理",
}


def _narrative_national(cells: Cells, figures: Sequence[Figure], fmt: str) -> list[Finding]:
    findings: list[Finding] = []
    for rule in (_requests_received, _requests_other, _outcomes, _table2_figures, _reviews):
        try:
            findings += rule(cells, figures, fmt)
        except Unknown:  # a cell it needs is ambiguous
            continue
    return findings


def _t3_total(cells: Cells, row: str, columns: Sequence[str]) -> Exact:
    return _row_value(cells, row, columns)[0]


def _received_with_carried(
    cells: Cells,
    figure: Figure,
    columns: Sequence[str],
    mismatched: list[tuple[Figure, Cell]],
    new: Exact,
    carried: Exact,
) -> Finding:
    """The narrative's “received” is this year's new requests plus last year's carried over (a warning)."""
    total = _t3_total(cells, TOTAL, columns)
    cited_columns = [c.column for _f, c in mismatched] + [SUM]
    cells_cited = [cells.get(T3, r, col) for r in (NEW, CARRIED_IN) for col in cited_columns]
    extra = ""
    if figure.value == total:
        cells_cited += [cells.get(T3, TOTAL, col) for col in cited_columns]
        extra = _("（等于（七）总计%(total)s）") % {"total": _n(total)}
    message = _(
        "正文称“%(quote)s”，表三“一、本年新收政府信息公开申请数量”为%(new)s件%(applicants)s；正文的数字是本年新收加上年结转%(carried)s件之和%(extra)s。"
    ) % {
        "quote": _quote(figure),
        "new": _n(new),
        "carried": _n(carried),
        "extra": extra,
        "applicants": _applicant_note(mismatched),
    }
    cited = tuple(c for c in cells_cited if c is not None)
    return Finding("narrative ↔ table (requests received)", "warning", message, cited)


def _requests_received(cells: Cells, figures: Sequence[Figure], fmt: str) -> list[Finding]:
    stated = [f for f in _stated(figures, "requests.received") if not f.implicit or f.start < 0]
    if not stated or not cells.has_table(T3):
        return []
    _rows, columns = _t3_spec(fmt)
    new = _t3_total(cells, NEW, columns)
    if any(f.value == new for f in stated):
        by_applicant = _applicants(cells, figures, columns, NEW)
        if not by_applicant:
            return []
        return [
            Finding(
                "narrative ↔ table (requests by applicant)",
                "error",
                _applicant_message(by_applicant),
                tuple(c for _f, c in by_applicant),
            )
        ]
    figure = max(stated, key=lambda f: f.value)
    carried = _t3_total(cells, CARRIED_IN, columns)
    mismatched = [(f, c) for f, c in _applicants(cells, figures, columns, NEW)]
    if carried and figure.value == new + carried:
        if re.search(r"结转", figure.sentence.simple):
            return []  # the sentence says the figure includes last year's requests: not a defect
        return [_received_with_carried(cells, figure, columns, mismatched, new, carried)]
    new_cell = cells.get(T3, NEW, SUM)
    message = _("正文称“%(quote)s”，而表三“一、本年新收政府信息公开申请数量”为%(new)s件%(applicants)s。") % {
        "quote": _quote(figure),
        "new": _n(new),
        "applicants": _applicant_note(mismatched),
    }
    cited = [c for _f, c in mismatched] + ([new_cell] if new_cell is not None else [])
    return [Finding("narrative ↔ table (requests received)", "error", message, tuple(cited))]


def _applicants(
    cells: Cells, figures: Sequence[Figure], columns: Sequence[str], row: str
) -> list[tuple[Figure, Cell]]:
    """Stated counts per applicant kind (涉及自然人72件) that differ from the row's cell."""
    out = []
    for f in figures:
        if not f.concept.startswith("applicant."):
            continue
        column = f.concept.removeprefix("applicant.")
        cell = cells.get(T3, row, column)
        if column in columns and cell is not None and value(cell) != f.value:
            out.append((f, cell))
    return out


def _applicant_note(mismatched: Sequence[tuple[Figure, Cell]]) -> str:
    if not mismatched:
        return ""
    return "（" + "、".join(f"{c.column.rpartition('/')[2]}{_n(value(c))}件" for _f, c in mismatched) + "）"


def _applicant_message(items: Sequence[tuple[Figure, Cell]]) -> str:
    return (
        "；".join(
            _("正文称“%(quote)s”，表三“一、本年新收政府信息公开申请数量”中%(col)s为%(value)s件")
            % {"quote": _quote(f), "col": c.column.rpartition("/")[2], "value": _n(value(c))}
            for f, c in items
        )
        + "。"
    )


def _requests_other(cells: Cells, figures: Sequence[Figure], fmt: str) -> list[Finding]:
    if not cells.has_table(T3):
        return []
    _rows, columns = _t3_spec(fmt)
    findings = []
    for concept, row, name in (
        ("requests.answered", TOTAL, "三、本年度办理结果（七）总计"),
        ("requests.carried_in", CARRIED_IN, "二、上年结转政府信息公开申请数量"),
        ("requests.carried_out", CARRIED_OUT, "四、结转下年度继续办理"),
    ):
        stated = _stated(figures, concept)
        table_value, cited = _row_value(cells, row, columns)
        if not stated or any(f.value == table_value for f in stated):
            continue
        figure = stated[0]
        findings.append(
            Finding(
                f"narrative ↔ table ({name})",
                "error",
                _("正文称“%(quote)s”，而表三“%(row)s”为%(value)s件。")
                % {"quote": _quote(figure), "row": name, "value": _n(table_value)},
                tuple(cited) or tuple(c for c in [cells.get(T3, row, SUM)] if c is not None),
            )
        )
    return findings


def _outcomes(cells: Cells, figures: Sequence[Figure], fmt: str) -> list[Finding]:
    if not cells.has_table(T3):
        return []
    _rows, columns = _t3_spec(fmt)
    outcome_rows = _outcome_rows(fmt)
    findings = []
    for concept, prefixes in _OUTCOME_ROWS.items():
        stated = _stated(figures, concept)
        if not stated:
            continue
        groups = [[r for r in outcome_rows if r.removeprefix(RESULTS).startswith(p)] for p in prefixes]
        parts = [(rows, [_row_value(cells, r, columns) for r in rows]) for rows in groups]
        total = sum((v for _rows, vals in parts for v, _c in vals), start=0)
        if any(f.value == total for f in stated):
            continue
        figure = stated[0]
        cited = [c for _rows, vals in parts for _v, cs in vals for c in cs]
        detail = "，".join(
            _("%(row)s%(value)s") % {"row": r.removeprefix(RESULTS), "value": _n(v)}
            for rows, vals in parts
            for r, (v, _c) in zip(rows, vals, strict=True)
            if v
        )
        name = _OUTCOME_NAMES[concept]
        findings.append(
            Finding(
                f"narrative ↔ table ({name})",
                "error",
                _("正文称“%(quote)s”，而表三%(name)s共%(total)s件（%(detail)s）。")
                % {"quote": _quote(figure), "name": name, "total": _n(total), "detail": detail or "0"},
                tuple(cited),
            )
        )
    return findings


def _t4_total(cells: Cells, row: str) -> tuple[Exact, list[Cell]]:
    total = cells.get(T4, row, SUM)
    if total is not None and total.value is not None:
        return value(total), [total] if total.value else []
    parts = [c for c in (cells.get(T4, row, col) for col in T4_PARTS) if c is not None]
    return sum((value(c) for c in parts), start=0), [c for c in parts if c.value]


_ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:获|被|予以|得到|依法)?维持")
_ALL_CLOSED = re.compile(r"(?:均|全部|都)(?:已)?(?:结案|审结|办结)")


def _reviews(cells: Cells, figures: Sequence[Figure], fmt: str = "") -> list[Finding]:
    if not cells.has_table(T4):
        return []
    findings = []
    for concept, rows, name in (
        ("reviews.total", (REVIEW,), "行政复议"),
        ("lawsuits.total", (DIRECT, AFTER_REVIEW), "行政诉讼"),
    ):
        stated = _stated(figures, concept)
        if not stated:
            continue
        totals = [_t4_total(cells, r) for r in rows]
        total = sum((t for t, _c in totals), start=0)
        if not any(f.value == total for f in stated):
            findings.append(
                Finding(
                    f"narrative ↔ table ({name})",
                    "error",
                    _("正文称“%(quote)s”，而表四%(name)s总计为%(total)s件。")
                    % {"quote": _quote(stated[0]), "name": name, "total": _n(total)},
                    tuple(c for _t, cs in totals for c in cs),
                )
            )
    findings += _review_results(cells, figures)
    return findings


def _review_results(cells: Cells, figures: Sequence[Figure]) -> list[Finding]:
    """“均获维持” / “均已结案” said of the reviews and lawsuits against Table 4's results."""
    sentences = {
        f.sentence.index: f.sentence for f in figures if f.concept in ("reviews.total", "lawsuits.total")
    }
    findings = []
    for sentence in sentences.values():
        text = sentence.simple
        rows = ([REVIEW] if "复议" in text else []) + ([DIRECT, AFTER_REVIEW] if "诉讼" in text else [])
        for pattern, column, claim in (
            (_ALL_UPHELD, "结果维持", "均获维持"),
            (_ALL_CLOSED, "尚未审结", "均已审结"),
        ):
            match = pattern.search(text)
            if not match:
                continue
            broken_rows = []
            for row in rows:
                total, _cited = _t4_total(cells, row)
                part = value(cells.get(T4, row, column))
                if (column == "结果维持" and part != total) or (column == "尚未审结" and part != 0):
                    broken_rows.append(row)
            if not broken_rows:
                continue
            cited = [
                c for r in broken_rows for col in (*T4_PARTS, SUM) if (c := cells.get(T4, r, col)) and c.value
            ]
            detail = "；".join(
                r.rpartition("/")[2]
                + "，".join(
                    f"{col}{_n(value(cells.get(T4, r, col)))}件"
                    for col in (*T4_PARTS, SUM)
                    if value(cells.get(T4, r, col))
                )
                for r in broken_rows
            )
            findings.append(
                Finding(
                    "narrative ↔ table (复议/诉讼结果)",
                    "error",
                    _("正文称“%(quote)s”，而表四%(detail)s，并非%(claim)s。")
                    % {
                        "quote": sentence.text[max(0, match.start() - 30) : match.end()].lstrip("，,"),
                        "detail": detail,
                        "claim": claim,
                    },
                    tuple(cited),
                )
            )
    return findings


def _table2_figures(cells: Cells, figures: Sequence[Figure], fmt: str) -> list[Finding]:
    if not cells.has_table(T2):
        return []
    block = "第二十条第（一）项/"
    pairs: tuple[tuple[str, str, str], ...]
    if fmt == "2021":
        pairs = (
            ("normative.in_force", block + "行政规范性文件", "现行有效件数"),
            ("normative.issued", block + "行政规范性文件", "本年制发件数"),
            ("normative.repealed", block + "行政规范性文件", "本年废止件数"),
        )
    else:
        pairs = (
            ("normative.published", block + "规范性文件", "本年新公开数量"),
            ("rules.published", block + "规章", "本年新公开数量"),
        )
    findings = []
    for concept, row, column in pairs:
        stated = _stated(figures, concept)
        cell = cells.get(T2, row, column)
        if not stated or cell is None or cell.value is None or any(f.value == value(cell) for f in stated):
            continue
        findings.append(
            Finding(
                f"narrative ↔ table (表二 {row.rpartition('/')[2]} {column})",
                "error",
                _("正文称“%(quote)s”，而表二“%(row)s/%(col)s”为%(value)s。")
                % {
                    "quote": _quote(stated[0]),
                    "row": row.rpartition("/")[2],
                    "col": column,
                    "value": _n(value(cell)),
                },
                (cell,),
            )
        )
    return findings


# The 2014 table and the 2008-era tables against the narrative ----------------------------------------------


def _compare(rule: str, stated: Sequence[Figure], cell: Cell | None, what: str) -> list[Finding]:
    if not stated or cell is None or cell.value is None or cell.ambiguous:
        return []
    if any(f.value == cell.value for f in stated):
        return []
    if rule == "narrative ↔ table (requests received)":
        # “受理申请653件（含上年结转22件）”: a figure that says it includes last year's requests is not this row
        stated = [f for f in stated if not re.search(r"结转", f.sentence.simple)]
        if not stated:
            return []
    figure = max(stated, key=lambda f: f.value)
    return [
        Finding(
            rule,
            "error",
            _("正文称“%(quote)s”，而统计表“%(what)s”为%(value)s。")
            % {"quote": _quote(figure), "what": what, "value": _n(cell.value)},
            (cell,),
        )
    ]


_P1_2014 = "一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
# What the narrative states against the 2014 table's row that counts it: (concept, row, the rule's name for
# it, the row as a finding names it).
_ROWS_2014: tuple[tuple[str, str, str, str], ...] = (
    ("proactive.total", _P1_2014, "主动公开", "主动公开政府信息数"),
    ("requests.received", "三、依申请公开情况/（一）收到申请数", "requests received", "收到申请数"),
    ("reviews.total", "四、行政复议数量", "行政复议", "行政复议数量"),
    ("fees", "七、依申请公开信息收取的费用（万元）", "收费", "依申请公开信息收取的费用（万元）"),
    ("lawsuits.total", "五、行政诉讼数量", "行政诉讼", "行政诉讼数量"),
    (
        "normative.published",
        _P1_2014 + "/其中：主动公开规范性文件数",
        "主动公开规范性文件",
        "主动公开规范性文件数",
    ),
)


def _narrative_2014(cells: Cells, figures: Sequence[Figure]) -> list[Finding]:
    def cell(row: str) -> Cell | None:
        return cells.get(T2014, row, COLUMN_2014)

    findings: list[Finding] = []
    for concept, row, rule, named in _ROWS_2014:
        stated = _stated(figures, concept)
        if concept == "fees":
            stated = [_in_wan(f) for f in stated]  # the table counts fees in 万元
        findings += _compare(f"narrative ↔ table ({rule})", stated, cell(row), named)
    findings += _answered_2014(figures, cell)
    for concept, row, what in _OUTCOMES_2014:
        findings += _compare(
            f"narrative ↔ table ({what})", _stated(figures, concept), cell(_ANSWERS_2014 + row), what
        )
    for channel, row in _CHANNELS_2014:
        findings += _compare(
            f"narrative ↔ table ({re.sub(r'^[1-4][.]', '', row)})",
            _stated(figures, "channel." + channel),
            cell("三、依申请公开情况/（一）收到申请数/" + row),
            row,
        )
    return findings


def _in_wan(f: Figure) -> Figure:
    """A fee stated in 元 compared with the table's 万元."""
    if f.unit != "元":
        return f
    return dataclasses.replace(f, value=Decimal(str(f.value)) / 10000, unit="万元")


_ANSWERS_2014 = "三、依申请公开情况/（三）申请答复数/"
_OUTCOMES_2014 = (
    ("outcome.disclosed", "2.同意公开答复数", "同意公开答复数"),
    ("outcome.partly", "3.同意部分公开答复数", "同意部分公开答复数"),
    ("outcome.refused", "4.不同意公开答复数", "不同意公开答复数"),
)
_CHANNELS_2014 = (
    ("当面", "1.当面申请数"),
    ("传真", "2.传真申请数"),
    ("网络", "3.网络申请数"),
    ("信函", "4.信函申请数"),
)


def _answered_2014(figures: Sequence[Figure], cell: Any) -> list[Finding]:
    """Requests answered or closed: either （三）申请答复数 or （二）申请办结数 may be what the text counts."""
    stated = _stated(figures, "requests.answered")
    answered = cell("三、依申请公开情况/（三）申请答复数")
    closed = cell("三、依申请公开情况/（二）申请办结数")
    if closed is not None and closed.value is not None and any(f.value == closed.value for f in stated):
        return []
    return _compare("narrative ↔ table (申请答复数)", stated, answered, "申请答复数")


def _find_row(cells: Cells, table: str, pattern: str, exclude: str = r"^其中|^\d") -> str | None:
    for row in cells.rows(table):
        plain = simplify(row)  # a label as printed may be Traditional
        if re.search(pattern, plain) and not re.search(exclude, plain):
            return row
    return None


_NUMBERED_ROW = r"^(?:其中[:：]?)?\s*[（(]?\d{1,2}[)）]?[、.．]\s*"


# What the narrative states against the provincial table's row that counts it: (concept, the row's label,
# labels excluded, rule).
_PROVINCIAL_ROWS: tuple[tuple[str, str, str, str], ...] = (
    (
        "proactive.total",
        r"^主动公开.*(?:数|总数)$",
        r"^其中|^\d|[、，]",
        "narrative ↔ table (主动公开)",
    ),
    (
        "requests.received",
        r"(?:受理|收到).*申请.*(?:总数|数)$",
        r"^其中|^\d",
        "narrative ↔ table (requests received)",
    ),
    ("requests.answered", r"答复总数$", r"^其中|^\d", "narrative ↔ table (答复)"),
    ("reviews.total", r"^行政复议(?:案件)?数$", r"^其中", "narrative ↔ table (行政复议)"),
    ("lawsuits.total", r"^行政诉讼(?:案件)?数$", r"^其中", "narrative ↔ table (行政诉讼)"),
    # the numbered 其中 rows of the answers and channels, when the label names exactly one of them
    (
        "outcome.disclosed",
        _NUMBERED_ROW + r"同意公开(?:答复)?数$",
        r"部分|不同意",
        "narrative ↔ table (同意公开)",
    ),
    (
        "outcome.partly",
        _NUMBERED_ROW + r"(?:同意)?部分公开(?:答复)?数$",
        r"不",
        "narrative ↔ table (部分公开)",
    ),
    (
        "outcome.refused",
        _NUMBERED_ROW + r"(?:不予公开|不同意公开)(?:答复)?数$",
        r"部分",
        "narrative ↔ table (不予公开)",
    ),
    (
        "channel.当面",
        _NUMBERED_ROW + r"当面申请数$",
        r"[^\d\s][、，和及]",
        "narrative ↔ table (当面申请)",
    ),
    (
        "channel.网络",
        _NUMBERED_ROW + r"(?:网上|网络)申请数$",
        r"[^\d\s][、，和及]",
        "narrative ↔ table (网上申请)",
    ),
    (
        "channel.信函",
        _NUMBERED_ROW + r"信函申请数$",
        r"[^\d\s][、，和及]",
        "narrative ↔ table (信函申请)",
    ),
)


def _narrative_provincial(cells: Cells, figures: Sequence[Figure]) -> list[Finding]:
    findings: list[Finding] = []
    for table in dict.fromkeys(c.table for c in cells.list):
        years, _cumulative = provincial_columns(cells, table)
        if len(years) != 1:
            continue
        for concept, pattern, exclude, rule in _PROVINCIAL_ROWS:
            row = _find_row(cells, table, pattern, exclude)
            if row is not None:
                findings += _compare(rule, _stated(figures, concept), cells.get(table, row, years[0]), row)
    return findings


# The narrative against itself --------------------------------------------------------------------------------


def _places(printed: Number, at_least: int = 0) -> Decimal:
    """The precision a percentage is printed with: 33.9 → 0.1 (``at_least`` decimals for showing one)."""
    exponent = Decimal(str(printed)).as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(1).scaleb(-max(decimals, at_least))


def _rounds_to(count: Number, base: Number, printed: Number) -> bool:
    printed_d = Decimal(str(printed))
    share = Decimal(str(count)) * 100 / Decimal(str(base))
    return any(
        share.quantize(_places(printed), rounding=r) == printed_d for r in (ROUND_HALF_UP, ROUND_HALF_EVEN)
    )


_SHARE_AFTER_COUNT = re.compile(
    r"\s*[^\d，。；]{0,3}[，,]?\s*(?:约)?占(?:[^\d，。；]{0,8}的)?(?:比例|比重|比)?(?:约|为|达)?\s*"
)
Share = tuple[Figure, Figure]  # a count and its stated percentage


def _percentages(figures: Sequence[Figure]) -> list[Finding]:
    """“N件，占P%”: P must be N over the total the shares are of (the stated figure before them that explains
    the most shares exactly; without one, nothing is said)."""
    problems: list[str] = []
    for index, shares in _shares_by_sentence(figures).items():
        base = _share_base(figures, index, shares)
        if base is None:
            continue
        wrong = [(c, p) for c, p in shares if not _rounds_to(c.value, base.value, p.value)]
        if wrong:
            problems.append(_shares_problem(shares, wrong, base))
    if not problems:
        return []
    return [Finding("narrative percentages", "warning", "；".join(problems) + "。")]


def _shares_by_sentence(figures: Sequence[Figure]) -> dict[int, list[Share]]:
    """Each sentence's counts followed by their share (“N件，占P%”)."""
    by_sentence: dict[int, list[Share]] = {}
    for i, f in enumerate(figures):
        if f.concept != "share" or i == 0:
            continue
        count = figures[i - 1]
        if count.percent or count.sentence.index != f.sentence.index or count.implicit:
            continue
        if _SHARE_AFTER_COUNT.fullmatch(f.sentence.simple[count.end : f.start]):
            by_sentence.setdefault(f.sentence.index, []).append((count, f))
    return by_sentence


def _share_base(figures: Sequence[Figure], index: int, shares: list[Share]) -> Figure | None:
    """The total the shares of sentence ``index`` are of: among the whole numbers stated before them (in that
    sentence or the two before) and not below any count, the one that explains the most shares exactly (the
    later on a tie); None when none explains any."""
    counts = {id(c) for c, _p in shares}
    candidates = [
        g
        for g in figures
        if index - 2 <= g.sentence.index <= index
        and not g.percent
        and not g.implicit
        and id(g) not in counts
        and (g.sentence.index < index or g.start < shares[0][0].start)
        and isinstance(g.value, int)
        and g.value > 0
        and all(g.value >= c.value for c, _p in shares)
    ]
    if not candidates:
        return None
    scored = [
        (sum(_rounds_to(c.value, g.value, p.value) for c, p in shares), i, g)
        for i, g in enumerate(candidates)
    ]
    best, _i, base = max(scored, key=lambda t: (t[0], t[1]))
    return base if best else None


def _shares_problem(shares: list[Share], wrong: list[Share], base: Figure) -> str:
    """What is wrong with a sentence's shares: each wrong one with the share its count gives, after the sum of
    the listed counts when three or more do not add up to the total."""
    listed = [c for c, _p in shares]
    note = ""
    if len(listed) >= 3 and sum(exact(c.value) for c in listed) != base.value:
        note = _("正文所列%(items)s=%(sum)s件，不等于%(base)s件（所列比例合计%(pct)s%%）；") % {
            "items": "+".join(_n(c.value) for c in listed),
            "sum": _n(sum(exact(c.value) for c in listed)),
            "base": _n(base.value),
            "pct": _n(sum(Decimal(str(p.value)) for _c, p in shares)),
        }
    return note + "；".join(
        _("%(count)s/%(base)s=%(share)s%%，正文印为%(printed)s%%")
        % {
            "count": _n(c.value),
            "base": _n(base.value),
            "share": str(
                (Decimal(str(c.value)) * 100 / Decimal(base.value)).quantize(
                    _places(p.value, at_least=1), rounding=ROUND_HALF_UP
                )
            ),
            "printed": _n(p.value),
        }
        for c, p in wrong
    )


def _categories(figures: Sequence[Figure]) -> list[Finding]:
    """A breakdown by category (主要类别有：…类信息594条，…) must add up to the proactive total stated before it."""
    findings = []
    sentences: dict[int, list[Figure]] = {}
    for f in figures:
        if f.concept == "proactive.category":
            sentences.setdefault(f.sentence.index, []).append(f)
    for index, items in sentences.items():
        if len(items) < 3 or len({f.unit for f in items}) != 1:
            continue
        totals = [f for f in figures if f.concept == "proactive.total" and f.sentence.index < index]
        if not totals:
            continue
        total = totals[0] if len(totals) == 1 else max(totals, key=lambda f: f.value)
        parts_sum: Exact = sum((exact(f.value) for f in items), start=Decimal(0))
        if parts_sum == total.value:
            continue
        findings.append(
            Finding(
                "narrative: category breakdown = proactive total",
                "error",
                _(
                    "正文所列主动公开政府信息各类别之和为%(sum)s%(unit)s（%(items)s），而主动公开政府信息总数为%(total)s%(unit)s，相差%(diff)s%(unit)s。"
                )
                % {
                    "sum": _n(parts_sum),
                    "unit": items[0].unit,
                    "items": "+".join(_n(f.value) for f in items),
                    "total": _n(total.value),
                    "diff": _n(Decimal(abs(Decimal(parts_sum) - Decimal(exact(total.value))))),
                },
            )
        )
    return findings
