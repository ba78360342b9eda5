"""Validation of an annual report before publication: every consistency rule of statutory-reference §3.4, the
publication deadline of §3 (2019 Regulations art 49) and the 2021 fee statement (§3.3).

``validate_report(org, year, fmt, scope)`` is the one entry point (docs/report-validation.md lists every rule);
the ``check_*`` functions take plain value mappings ``{(row, column): value}`` so they also serve submissions
and tests. Each finding names its rule, the cells involved and both values, e.g.
``表三“自然人”列：本年新收3 + 上年结转1 ≠ 办理结果总计2 + 结转下年度1``. Severity "error" blocks publication
without an override reason; "warning" does not."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.cases.models import CaseEvent, CaseEventKind
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reading import once
from gongkai.reports.build import Report, build_report
from gongkai.reports.document import narrative_sections
from gongkai.reports.formats import CellRef, all_cells, default_format_for_year, sections, tables
from gongkai.reports.models import ReportPublication, ReportVersion
from gongkai.reports.narrative import DEFAULTS_DIR, render, template_for, unknown_placeholders
from gongkai.reports.narrative_checks import NUMBER, PLACEHOLDER, narrative_similarity
from gongkai.reports.registry import (
    REGISTRY,
    Context,
    Number,
    Scope,
    Unit,
    format_value,
    statistics_for_format,
)
from gongkai.reports.stats2014 import A1, A2, A3, A34
from gongkai.reports.stats2014 import TABLE as TABLE_2014
from gongkai.reports.stats_requests import (
    CARRIED_IN,
    CARRIED_OUT,
    COLUMNS,
    NEW,
    RESULTS,
    T3,
    T4,
    T4_COLUMNS,
    TOTAL,
)
from gongkai.reports.stats_table2 import (
    ART20_1,
    CHANGE,
    IN_FORCE_2021,
    ISSUED_2021,
    NORMATIVE_ROWS,
    REPEALED_2021,
    T2,
    row_path,
)

Values = Mapping[tuple[str, str], Number]  # (row, column) → value
COLUMN_2014 = "统计数"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" | "warning"
    message: str
    cells: tuple[CellRef, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "cells": [{"table": c.table, "row": c.row, "column": c.column} for c in self.cells],
        }


# What staff read instead of the codes (issue 12: no "[错误 deadline]" on a page); the codes stay in the data.
SEVERITY_LABELS = {"error": gettext_lazy("错误"), "warning": gettext_lazy("提示")}
RULE_LABELS = {
    "1": gettext_lazy("收支平衡（新收＋上年结转＝办理结果＋结转下年度）"),
    "2": gettext_lazy("办理结果之和等于总计"),
    "3": gettext_lazy("各类申请人之和等于总计"),
    "4": gettext_lazy("复议、诉讼各项之和等于总计"),
    "5": gettext_lazy("上年结转与上年度报告一致"),
    "6": gettext_lazy("数值不得为负"),
    "7": gettext_lazy("文字中的数字与统计表一致"),
    "8": gettext_lazy("分项之和等于合计"),
    "现行有效": gettext_lazy("现行有效件数前后衔接"),
    "carry_over": gettext_lazy("现行有效件数与上年衔接"),
    "digits": gettext_lazy("手工输入的数字"),
    "fill_in": gettext_lazy("待填写的文字"),
    "similarity": gettext_lazy("与上年报告文字雷同"),
    "deadline": gettext_lazy("公布期限"),
    "fee_statement": gettext_lazy("信息处理费说明"),
}


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, gettext_lazy("其他校验")))


def labelled(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as stored (``Finding.as_dict``) with the Chinese severity and rule names to show."""
    return [
        f
        | {
            "severity_label": str(SEVERITY_LABELS.get(str(f.get("severity")), SEVERITY_LABELS["warning"])),
            "rule_label": rule_label(str(f.get("rule"))),
        }
        for f in findings
    ]


def table_values(org: Organisation, year: int, fmt: str, table: str, scope: Scope = Scope.SUBTREE) -> Values:
    ctx = Context(org=org, year=year, scope=scope, fmt=fmt)
    return {
        (s.cells[fmt].row, s.cells[fmt].column): ctx.value(s.key)
        for s in statistics_for_format(fmt)
        if s.cells[fmt].table == table
    }


def _outcome_rows(fmt: str) -> list[str]:
    spec = next(t for t in tables(fmt) if t.table == T3)
    return [r for r in spec.rows if r.startswith(RESULTS) and r != TOTAL]


def check_table3(values: Values, fmt: str) -> list[Finding]:
    """Rules 1, 2, 3 and 6 (negatives) on Table 3."""
    return _table3_sums(values, fmt) + _non_negative(values, T3)


def _table3_sums(values: Values, fmt: str) -> list[Finding]:
    """statutory-reference §3.4 rule 1 (balance per column), rule 2 (outcome sum), rule 3 (row totals)."""
    findings: list[Finding] = []
    columns = [c for c, _k in COLUMNS]
    for column in columns:
        new, carried_in = values[(NEW, column)], values[(CARRIED_IN, column)]
        total, carried_out = values[(TOTAL, column)], values[(CARRIED_OUT, column)]
        if new + carried_in != total + carried_out:
            findings.append(
                Finding(
                    "1",
                    "error",
                    _(
                        "表三“%(col)s”列：本年新收%(new)s + 上年结转%(cin)s ≠ 办理结果总计%(total)s + 结转下年度%(cout)s"
                    )
                    % {"col": column, "new": new, "cin": carried_in, "total": total, "cout": carried_out},
                    tuple(CellRef(T3, r, column) for r in (NEW, CARRIED_IN, TOTAL, CARRIED_OUT)),
                )
            )
        outcome_sum = sum(values[(r, column)] for r in _outcome_rows(fmt))
        if outcome_sum != total:
            findings.append(
                Finding(
                    "2",
                    "error",
                    _("表三“%(col)s”列：各项办理结果之和%(sum)s ≠ （七）总计%(total)s")
                    % {"col": column, "sum": outcome_sum, "total": total},
                    (CellRef(T3, TOTAL, column),),
                )
            )
    for row in sorted({r for r, _c in values}):
        parts = sum(values[(row, c)] for c in columns[:-1])
        if parts != values[(row, "总计")]:
            findings.append(
                Finding(
                    "3",
                    "error",
                    _("表三“%(row)s”行：六类申请人之和%(sum)s ≠ 总计%(total)s")
                    % {"row": row, "sum": parts, "total": values[(row, "总计")]},
                    (CellRef(T3, row, "总计"),),
                )
            )
    return findings


def check_table4(values: Values) -> list[Finding]:
    """Rules 4 and 6 (negatives) on Table 4."""
    return _table4_blocks(values) + _non_negative(values, T4)


def _table4_blocks(values: Values) -> list[Finding]:
    """statutory-reference §3.4 rule 4: 维持 + 纠正 + 其他 + 尚未审结 = 总计 in each block."""
    findings: list[Finding] = []
    for row in sorted({r for r, _c in values}):
        parts = sum(values[(row, c)] for c in T4_COLUMNS[:-1])
        if parts != values[(row, "总计")]:
            findings.append(
                Finding(
                    "4",
                    "error",
                    _("表四“%(row)s”：维持、纠正、其他、尚未审结之和%(sum)s ≠ 总计%(total)s")
                    % {"row": row, "sum": parts, "total": values[(row, "总计")]},
                    (CellRef(T4, row, "总计"),),
                )
            )
    return findings


def check_carry_over(current: Values, previous: Values, year: int, source: str = "") -> list[Finding]:
    """Rule 5: 上年结转 of year N equals 结转下年度 of year N−1 per column (from 2020: 2018 had no carry-over).
    ``source`` says where last year's figure comes from (appended to the message)."""
    if year < 2020:
        return []
    findings = []
    for column, _kind in COLUMNS:
        now, before = current[(CARRIED_IN, column)], previous[(CARRIED_OUT, column)]
        if now != before:
            findings.append(
                Finding(
                    "5",
                    "error",
                    _("表三“%(col)s”列：本年上年结转%(now)s ≠ %(prev)s年结转下年度%(before)s")
                    % {"col": column, "now": now, "prev": year - 1, "before": before}
                    + source,
                    (CellRef(T3, CARRIED_IN, column),),
                )
            )
    return findings


def _non_negative(values: Values, table: str) -> list[Finding]:
    return [
        Finding(
            "6",
            "error",
            _("%(table)s“%(row)s/%(col)s”为负数%(value)s") % {"table": table, "row": r, "col": c, "value": v},
            (CellRef(table, r, c),),
        )
        for (r, c), v in values.items()
        if v < 0
    ]


def validate_request_tables(
    org: Organisation, year: int, fmt: str, scope: Scope = Scope.SUBTREE
) -> list[Finding]:
    """Rules 1-6 on Tables 3 and 4 computed from the records (the previous year with its own format)."""
    from gongkai.reports.formats import default_format_for_year

    t3 = table_values(org, year, fmt, T3, scope)
    findings = check_table3(t3, fmt) + check_table4(table_values(org, year, fmt, T4, scope))
    previous_fmt = default_format_for_year(year - 1)
    if year >= 2020 and previous_fmt in ("2019", "2021"):
        findings += check_carry_over(t3, table_values(org, year - 1, previous_fmt, T3, scope), year)
    return findings


def check_table2(values: Values) -> list[Finding]:
    """Rule 6 on Table 2: every cell is non-negative except 本年增/减 (a year-end item count may fall)."""
    return _non_negative({(r, c): v for (r, c), v in values.items() if c != CHANGE}, T2)


def check_in_force(current: Values, previous: Values, year: int) -> list[Finding]:
    """The soft rule of §3.4 (a warning): 现行有效(N) = 现行有效(N−1) + 本年制发 − 本年废止, per row of art 20 (1)
    (2021 columns; ``previous`` is year N−1 computed with the 2021 columns, whatever format it was reported in)."""
    findings = []
    for _key, _kind, _r19, row in NORMATIVE_ROWS:
        path = row_path(ART20_1, row)
        now, before = current[(path, IN_FORCE_2021)], previous[(path, IN_FORCE_2021)]
        issued, repealed = current[(path, ISSUED_2021)], current[(path, REPEALED_2021)]
        if now != before + issued - repealed:
            findings.append(
                Finding(
                    "现行有效",
                    "warning",
                    _(
                        "表二“%(row)s”：现行有效件数%(now)s ≠ %(prev)s年现行有效件数%(before)s + "
                        "本年制发件数%(issued)s − 本年废止件数%(repealed)s"
                    )
                    % {
                        "row": row,
                        "now": now,
                        "prev": year - 1,
                        "before": before,
                        "issued": issued,
                        "repealed": repealed,
                    },
                    tuple(CellRef(T2, path, c) for c in (IN_FORCE_2021, ISSUED_2021, REPEALED_2021)),
                )
            )
    return findings


def validate_table2(org: Organisation, year: int, fmt: str, scope: Scope = Scope.SUBTREE) -> list[Finding]:
    """Rule 6 and the 现行有效 carry-over warning on Table 2 of the 2019 trial or 2021 format."""
    values = table_values(org, year, fmt, T2, scope)
    findings = check_table2(values)
    if fmt == "2021":
        findings += check_in_force(values, table_values(org, year - 1, "2021", T2, scope), year)
    return findings


# The whole report ------------------------------------------------------------------------------------------

SEVERITY_ERROR, SEVERITY_WARNING = "error", "warning"
GOVERNMENT_KINDS = frozenset({OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.TOWNSHIP})
SIMILARITY_THRESHOLD = 0.8  # statutory-reference §3.4 soft rule: ≥ 80% identical to last year's narrative
REGIME_2019_FIRST_REPORT_YEAR = 2019  # the 2019 Regulations (from 2019-05-15) govern reports on 2019 onwards
ROW_SUMS_2014: tuple[tuple[str, str], ...] = (  # rule 8: (total row, what its parts are) — children rows
    (A1, "受理渠道"),
    (A2, "按时办结数与延期办结数"),
    (A3, "各类答复"),
    (A34, "各项不同意公开理由"),
)
# The fee of 国办函〔2020〕109号 is the 信息处理费: other fees (行政事业性收费 in Table 2) do not state it.
_FEE_MENTION = re.compile(r"信息处理费")
# "none collected", said of that fee (a partial waiver such as 困难群众免收 is not "none")
_FEE_NONE = re.compile(
    r"(未|没有|不曾|无)(收取|征收|产生|发生)(任何)?(政府信息公开)?信息处理费|信息处理费.{0,6}(为零|为0|均未收取)"
)


def validate_report(
    org: Organisation,
    year: int,
    fmt: str,
    scope: Scope = Scope.SUBTREE,
    *,
    today: dt.date | None = None,
    report: Report | None = None,
) -> list[Finding]:
    """Every rule of statutory-reference §3.4 for the format, the publication deadline (§3, 2019 Regulations
    art 49) and the 2021 fee statement (§3.3), errors first. ``report`` saves rebuilding the figures when the
    caller has them; ``today`` defaults to the local date."""
    report = report or build_report(org, year, fmt, scope)
    values = values_by_table(report)
    findings = check_cells(report)
    if fmt in ("2019", "2021"):
        findings += _table3_sums(values.get(T3, {}), fmt) + _table4_blocks(values.get(T4, {}))
        findings += _carry_over(org, year, scope, values.get(T3, {}))
        if fmt == "2021":
            findings += _in_force(org, year, scope, values.get(T2, {}))
    else:
        findings += check_2014_sums(values.get(TABLE_2014, {}))
    # the text is rendered as published: a blank prints as 0 (rule 6 reports the blank)
    filled = _blanks_as_zero(report)
    findings += check_narrative(filled)
    findings += check_fill_ins(filled)
    findings += _similarity(filled)
    findings += check_deadline(org, year, fmt, scope, today or timezone.localdate())
    if fmt == "2021":
        findings += _fee_statement(filled)
    return sorted(findings, key=lambda f: f.severity != SEVERITY_ERROR)


def _blanks_as_zero(report: Report) -> Report:
    if all(c.value is not None for c in report.cells):
        return report
    return replace(
        report, cells=tuple(c if c.value is not None else replace(c, value=0) for c in report.cells)
    )


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == SEVERITY_ERROR for f in findings)


def values_by_table(report: Report) -> dict[str, dict[tuple[str, str], Number]]:
    """{table: {(row, column): value}}; a blank cell counts as 0 here (rule 6 reports it)."""
    result: dict[str, dict[tuple[str, str], Number]] = {}
    for c in report.cells:
        value: Number | None = c.value
        result.setdefault(c.cell.table, {})[(c.cell.row, c.cell.column)] = 0 if value is None else value
    return result


def check_cells(report: Report) -> list[Finding]:
    """statutory-reference §3.4 rule 6: every cell of the format is present and filled (0, not empty), not
    negative (except Table 2's 本年增/减), and a whole number unless it is an amount in 万元 or a rate."""
    findings: list[Finding] = []
    present = {c.cell: c for c in report.cells}
    for ref in all_cells(report.format):
        cell = present.get(ref)
        value: Number | None = None if cell is None else cell.value
        where = {"table": ref.table, "row": ref.row, "col": ref.column}
        if cell is None or value is None:
            message = _("%(table)s“%(row)s/%(col)s”为空（没有数值的单元格应填0）") % where
        elif value < 0 and ref.column != CHANGE:
            message = _("%(table)s“%(row)s/%(col)s”为负数%(value)s") % {**where, "value": value}
        elif cell.statistic.unit is Unit.COUNT and Decimal(value) != Decimal(value).to_integral_value():
            message = _("%(table)s“%(row)s/%(col)s”应为整数，实为%(value)s") % {**where, "value": value}
        else:
            continue
        findings.append(Finding("6", SEVERITY_ERROR, message, (ref,)))
    return findings


def check_2014_sums(values: Values) -> list[Finding]:
    """statutory-reference §3.4 rule 8 (2014 table): 收到申请数 = the four channels; 申请办结数 = 按时 + 延期;
    申请答复数 = the eight answer types; 不同意公开答复数 = its reasons. (The proactive channel rows may add up
    to more than the total: not checked.)"""
    findings: list[Finding] = []
    column = COLUMN_2014
    for total_row, parts_name in ROW_SUMS_2014:
        children = [r for (r, c) in values if c == column and r.rpartition("/")[0] == total_row]
        if total_row not in {r for r, _c in values} or not children:
            continue
        parts = sum(values[(r, column)] for r in children)
        total = values[(total_row, column)]
        if parts != total:
            label = total_row.rpartition("/")[2]
            findings.append(
                Finding(
                    "8",
                    SEVERITY_ERROR,
                    _("%(table)s“%(row)s”（%(col)s）：%(parts)s之和%(sum)s ≠ %(label)s%(total)s")
                    % {
                        "table": TABLE_2014,
                        "row": total_row,
                        "col": column,
                        "parts": parts_name,
                        "sum": parts,
                        "label": label,
                        "total": total,
                    },
                    (
                        CellRef(TABLE_2014, total_row, column),
                        *(CellRef(TABLE_2014, r, column) for r in children),
                    ),
                )
            )
    return findings


# Rule 5 and the 现行有效 carry-over: last year's figures ------------------------------------------------------


def published_snapshot(
    org: Organisation, year: int, scope: Scope, fmt: str | None = None
) -> dict[str, Any] | None:
    """The frozen report (``document.freeze``) of the body's published report for ``year`` in this scope — the
    current version's — preferring the year's own format; None when it was not published."""
    fmt = fmt or default_format_for_year(year)
    publications = ReportPublication.objects.filter(
        org=org, year=year, scope=str(scope), published_at__isnull=False, snapshot__isnull=False
    )
    publication = publications.filter(format=fmt).first() or publications.first()
    if publication is None or not isinstance(publication.snapshot, dict):
        return None
    return publication.snapshot


def snapshot_values(snapshot: dict[str, Any], table: str) -> dict[tuple[str, str], Number]:
    """A table's cells from a frozen report (its ``json`` part: ``{table, row, column, value}``)."""
    result: dict[tuple[str, str], Number] = {}
    for cell in snapshot.get("json", {}).get("cells", []):
        if cell.get("table") == table:
            value = cell.get("value")
            result[(cell["row"], cell["column"])] = value if isinstance(value, int) else Decimal(str(value))
    return result


def previous_table(org: Organisation, year: int, scope: Scope, table: str, fmt: str) -> tuple[Values, str]:
    """Year ``year``'s ``table`` as published (snapshot), else recomputed from the records with ``fmt``; and a
    note saying which, for messages."""
    snapshot = published_snapshot(org, year, scope, fmt)
    if snapshot is not None and snapshot.get("json", {}).get("format") == fmt:
        values = snapshot_values(snapshot, table)
        if values:
            return values, _("（%(year)s年已发布的报告）") % {"year": year}
    return table_values(org, year, fmt, table, scope), _("（按%(year)s年记录计算）") % {"year": year}


def _carry_over(org: Organisation, year: int, scope: Scope, current: Values) -> list[Finding]:
    """Rule 5 against the stored previous year (statutory-reference §3.4; from 2020 on)."""
    previous_fmt = default_format_for_year(year - 1)
    if year < 2020 or previous_fmt not in ("2019", "2021") or not current:
        return []
    previous, source = previous_table(org, year - 1, scope, T3, previous_fmt)
    if not all((CARRIED_OUT, c) in previous for c, _k in COLUMNS):
        return []
    return check_carry_over(current, previous, year, source)


def _in_force(org: Organisation, year: int, scope: Scope, current: Values) -> list[Finding]:
    """The soft rule (a warning, id "carry_over"): 现行有效(N) = 现行有效(N−1) + 制发 − 废止 (2021 columns)."""
    if not current:
        return []
    previous, _source = previous_table(org, year - 1, scope, T2, "2021")
    if not all((row_path(ART20_1, row), IN_FORCE_2021) in previous for *_x, row in NORMATIVE_ROWS):
        previous = table_values(org, year - 1, "2021", T2, scope)
    return [replace(f, rule="carry_over") for f in check_in_force(current, previous, year)]


# Rule 7: the narrative -----------------------------------------------------------------------------------


def _section_label(number: int, heading: str) -> str:
    return _("第%(n)d部分“%(heading)s”") % {"n": number, "heading": heading}


def check_narrative(report: Report) -> list[Finding]:
    """statutory-reference §3.4 rule 7. Numbers we generate are placeholders bound to registry statistics, so
    they equal the table by construction; what remains to check in each section's template:
    - a placeholder bound to nothing (rule "7", error);
    - a hand-typed number right after a label that is elsewhere bound to a placeholder (e.g. ``上年结转5件``
      where the default text says ``上年结转{t3.carried_in.6}件``) that differs from the table (rule "7", error,
      naming the cell and both values);
    - any other hand-typed digits (rule "digits", warning naming the section and the digits)."""
    findings: list[Finding] = []
    labels = _bound_labels(report)
    shown = report.displays()
    ctx = Context(
        org=report.org, year=report.year, scope=report.scope, fmt=report.format
    )  # values read lazily
    for number, heading in enumerate(sections(report.format), start=1):
        where = _section_label(number, heading)
        text = template_for(report.org, report.year, report.format, number)
        unknown = unknown_placeholders(text)
        if unknown:
            findings.append(
                Finding(
                    "7",
                    SEVERITY_ERROR,
                    _("%(where)s：占位符%(names)s没有对应的统计数据")
                    % {"where": where, "names": "、".join("{" + n + "}" for n in unknown)},
                )
            )
        mismatches, loose = _typed_numbers(report, where, text, labels, shown, ctx)
        findings += mismatches
        if loose:
            findings.append(
                Finding(
                    "digits",
                    SEVERITY_WARNING,
                    _(
                        "%(where)s的文字中有手工输入的数字：%(digits)s（数字应使用统计占位符，以免与表格不一致）"
                    )
                    % {"where": where, "digits": "、".join(loose)},
                )
            )
    return findings


def _typed_numbers(
    report: Report,
    where: str,
    text: str,
    labels: dict[str, str],
    shown: dict[str, str],
    ctx: Context,
) -> tuple[list[Finding], list[str]]:
    """The hand-typed numbers of one section: an error for each that follows a bound label and differs from
    its cell, and the others (``loose``: equal to their cell, or after no bound label)."""
    findings: list[Finding] = []
    loose: list[str] = []
    masked = PLACEHOLDER.sub(lambda m: "\x00" * len(m.group(0)), text)
    for match in NUMBER.finditer(masked):
        typed = match.group(0)
        bound = _label_at(masked, match.start(), labels)
        if bound is None:
            loose.append(typed)
            continue
        label, key = bound
        if key not in shown:
            shown[key] = format_value(REGISTRY[key], ctx.value(key))
        if _same_number(typed, shown[key]):
            loose.append(typed)
            continue
        findings.append(_mismatch(report, where, label, typed, key, shown[key]))
    return findings, loose


def _mismatch(report: Report, where: str, label: str, typed: str, key: str, value: str) -> Finding:
    """Rule 7: the number typed after ``label`` is not the table's ``value`` of the statistic ``key``."""
    cell = REGISTRY[key].cells.get(report.format)
    return Finding(
        "7",
        SEVERITY_ERROR,
        _("%(where)s：文字“%(label)s%(typed)s”与%(cell)s的数值%(value)s不一致")
        % {
            "where": where,
            "label": label,
            "typed": typed,
            "cell": (
                _("%(table)s“%(row)s/%(col)s”") % {"table": cell.table, "row": cell.row, "col": cell.column}
                if cell
                else _("统计项“%(label)s”") % {"label": REGISTRY[key].label}
            ),
            "value": value,
        },
        (cell,) if cell else (),
    )


# Words that only an unfinished text contains: an instruction to fill in ("由本机关填写", "请填写", "待填写"),
# a blank to complete ("XXX", "××", "____", "【…】"). A default text that asks the body to write something says
# so in these words, so a report published unchanged is caught, whatever the section.
FILL_IN = re.compile(
    r"由本(?:机关|单位|部门)填写|请(?:在此)?(?:填写|补充|输入)|待填写|此处填写|（填写[^）]*）"
    r"|[XＸ]{2,}|[×]{2,}|[_＿]{3,}|【[^】]*】"
)


def check_fill_ins(report: Report) -> list[Finding]:
    """Text left to be filled in (rule "fill_in", an error): the published report must not print an
    instruction or a blank, e.g. the default "……主要问题及改进措施由本机关填写。" of the 2014 format."""
    findings = []
    for number, section in enumerate(narrative_sections(report), start=1):
        for paragraph in section.paragraphs:
            match = FILL_IN.search(paragraph)
            if match is None:
                continue
            findings.append(
                Finding(
                    "fill_in",
                    SEVERITY_ERROR,
                    _("%(where)s仍是待填写的文字“%(text)s”：请写明本机关的实际情况")
                    % {"where": _section_label(number, section.heading), "text": paragraph[:60]},
                )
            )
            break
    return findings


_CLAUSE_BREAK = re.compile(r"[，。；：、,;:（）()“”\n\x00]")


def _label_before(text: str, end: int) -> str:
    """The words before position ``end`` back to the last punctuation mark or placeholder."""
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, end)), default=0)
    return text[start:end].strip()


def _bound_labels(report: Report) -> dict[str, str]:
    """{label: statistic key} from the format's default texts and the body's own: the words right before each
    placeholder (``上年结转{t3.carried_in.6}`` → 上年结转)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEFAULTS_DIR.glob(f"{report.format}-*.md"))]
    texts += [
        template_for(report.org, report.year, report.format, n)
        for n in range(1, len(sections(report.format)) + 1)
    ]
    labels: dict[str, str] = {}
    for text in texts:
        for match in PLACEHOLDER.finditer(text):
            key = match.group(0)[1:-1]
            label = _label_before(PLACEHOLDER.sub(lambda m: "\x00" * len(m.group(0)), text), match.start())
            if key in REGISTRY and len(label) >= 3:  # not bare 共计/其中
                labels.setdefault(label, key)
    return labels


def _label_at(masked: str, position: int, labels: dict[str, str]) -> tuple[str, str] | None:
    before = _label_before(masked, position)
    matches = [label for label in labels if before.endswith(label)]
    if not matches:
        return None
    label = max(matches, key=len)
    return label, labels[label]


def _same_number(typed: str, shown: str) -> bool:
    try:
        return Decimal(unicodedata.normalize("NFKC", typed)) == Decimal(shown)
    except InvalidOperation:
        return False


def rendered_narrative(report: Report) -> str:
    """The narrative as printed: every section's paragraphs, one per line."""
    return "\n".join(p for s in narrative_sections(report) for p in s.paragraphs)


def previous_narrative(org: Organisation, year: int, scope: Scope) -> str:
    """Year ``year``'s narrative as published, else rendered now from its texts with that year's format (once
    per page being built: the findings and the similarity shown both ask for it)."""
    return once(("previous-narrative", org.pk, year, scope), lambda: _previous_narrative(org, year, scope))


def _previous_narrative(org: Organisation, year: int, scope: Scope) -> str:
    snapshot = published_snapshot(org, year, scope)
    if snapshot is not None:
        return "\n".join(p for s in snapshot.get("sections", []) for p in s.get("paragraphs", []))
    fmt = default_format_for_year(year)
    texts = [template_for(org, year, fmt, n) for n in range(1, len(sections(fmt)) + 1)]
    ctx = Context(org=org, year=year, scope=scope, fmt=fmt)
    keys = {m.group(0)[1:-1] for text in texts for m in PLACEHOLDER.finditer(text)} & set(REGISTRY)
    values = {key: format_value(REGISTRY[key], ctx.value(key)) for key in sorted(keys)}
    return "\n".join(render(text, values, org, year, scope) for text in texts)


def _similarity(report: Report) -> list[Finding]:
    """Soft rule of statutory-reference §3.4: the narrative is ≥ 80% identical to last year's (a warning)."""
    share = narrative_similarity(
        rendered_narrative(report), previous_narrative(report.org, report.year - 1, report.scope)
    )
    if share < SIMILARITY_THRESHOLD:
        return []
    return [
        Finding(
            "similarity",
            SEVERITY_WARNING,
            _(
                "报告文字与%(prev)s年度报告相同的比例为%(share).0f%%（不低于%(limit).0f%%），请根据本年度工作情况撰写"
            )
            % {"prev": report.year - 1, "share": share * 100, "limit": SIMILARITY_THRESHOLD * 100},
        )
    ]


# Deadline -------------------------------------------------------------------------------------------------


def report_deadline(org: Organisation, year: int) -> dt.date:
    """When the report on ``year`` must be public (statutory-reference §3): 2008 regime (reports on years before
    2019) every body by 31 March; 2019 regime (art 49) per organisation kind from ``GONGKAI_REPORT_DEADLINES``
    (departments 31 January, the government-level report 31 March), in the following year."""
    if year < REGIME_2019_FIRST_REPORT_YEAR:
        return dt.date(year + 1, 3, 31)
    deadlines: dict[str, str] = settings.GONGKAI_REPORT_DEADLINES
    default = "03-31" if org.kind in GOVERNMENT_KINDS else "01-31"
    month, day = (int(part) for part in deadlines.get(org.kind, default).split("-"))
    last = calendar.monthrange(year + 1, month)[1]
    return dt.date(year + 1, month, min(day, last))


def first_published_on(org: Organisation, year: int, fmt: str, scope: Scope) -> dt.date | None:
    """The local date the report was first published (version 1; corrections do not count); None if never."""
    publication = ReportPublication.objects.filter(org=org, year=year, format=fmt, scope=str(scope)).first()
    if publication is None or publication.published_at is None:
        return None
    first = (
        ReportVersion.objects.filter(publication=publication)
        .order_by("number")
        .values_list("published_at", flat=True)
        .first()
    )
    return timezone.localdate(first or publication.published_at)


def check_deadline(org: Organisation, year: int, fmt: str, scope: Scope, today: dt.date) -> list[Finding]:
    """The publication deadline: a warning with the days left while not yet due; an error once ``today`` is
    past it and the report is not published; a warning when it was published late."""
    deadline = report_deadline(org, year)
    published = first_published_on(org, year, fmt, scope)
    values = {"deadline": deadline.isoformat(), "year": year}
    if published is not None:
        if published <= deadline:
            return []
        return [
            Finding(
                "deadline",
                SEVERITY_WARNING,
                _("%(year)s年度报告应于%(deadline)s前公布，实际于%(published)s逾期公布")
                % {**values, "published": published.isoformat()},
            )
        ]
    if today <= deadline:
        return [
            Finding(
                "deadline",
                SEVERITY_WARNING,
                _("%(year)s年度报告应于%(deadline)s前公布，尚未公布，还有%(days)d天")
                % {**values, "days": (deadline - today).days},
            )
        ]
    return [
        Finding(
            "deadline",
            SEVERITY_ERROR,
            _("%(year)s年度报告应于%(deadline)s前公布，至%(today)s已逾期%(days)d天仍未公布")
            % {**values, "today": today.isoformat(), "days": (today - deadline).days},
        )
    ]


# The 2021 fee statement -----------------------------------------------------------------------------------


def fees_collected(org: Organisation, year: int, scope: Scope) -> tuple[int, Decimal, int]:
    """Fees collected in the year by the bodies in scope: (fee records, their sum in yuan, requests with a
    "缴纳费用" case event in the year). Both sources count: ``FeeCollected`` rows are what the statistics read,
    and a request's fee payment (``transitions.receive_fee``) is recorded as a case event only."""
    ctx = Context(org=org, year=year, scope=scope, fmt="2021")
    records, wan_yuan = ctx.value("fees.records"), ctx.value("fees.amount")  # the registry's (stats_fees)
    paid = ctx.bodies(
        CaseEvent.objects.filter(kind=CaseEventKind.FEE_PAID, effective_on__year=year), "request__body"
    ).aggregate(n=Count("request", distinct=True))["n"]
    return int(records), Decimal(wan_yuan) * 10000, int(paid)


def _fee_statement(report: Report) -> list[Finding]:
    """statutory-reference §3.3 (2021 format): section 六 states whether information-processing fees were
    collected (国办函〔2020〕109号); when fee records exist for the year, it must not say none were."""
    number = len(sections(report.format))
    heading = sections(report.format)[-1]
    text = "\n".join(narrative_sections(report)[-1].paragraphs)
    where = _section_label(number, heading)
    if not _FEE_MENTION.search(text):
        return [
            Finding(
                "fee_statement",
                SEVERITY_ERROR,
                _("%(where)s未说明本年度是否收取信息处理费（应写明“收取信息处理费……”或“未收取信息处理费”）")
                % {"where": where},
            )
        ]
    count, yuan, paid = fees_collected(report.org, report.year, report.scope)
    if (count or paid) and _FEE_NONE.search(text):
        return [
            Finding(
                "fee_statement",
                SEVERITY_ERROR,
                _(
                    "%(where)s称未收取信息处理费，但本年度有收费记录%(count)d笔（共%(yuan)s元），%(paid)d件申请登记了缴费"
                )
                % {"where": where, "count": count, "yuan": f"{yuan:.2f}", "paid": paid},
            )
        ]
    return []
