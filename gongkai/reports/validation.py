"""Consistency rules of statutory-reference §3.4 for Tables 2, 3 and 4 (the annual-report studio adds the rest).

Each finding names its rule, the cells involved and both values, e.g.
``规则1 表三“自然人”列：本年新收 3 + 上年结转 1 ≠ 办理结果总计 2 + 结转下年度 1``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.organisations.models import Organisation
from gongkai.reports.formats import CellRef, tables
from gongkai.reports.registry import Context, Number, Scope, statistics_for_format
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


def table_values(org: Organisation, year: int, fmt: str, table: str, scope: Scope = Scope.SUBTREE) -> Values:
    ctx = Context(org=org, year=year, scope=scope)
    return {
        (s.cells[fmt].row, s.cells[fmt].column): ctx.value(s.key)
        for s in statistics_for_format(fmt)
        if s.cells[fmt].table == table
    }


def _outcome_rows(fmt: str) -> list[str]:
    spec = next(t for t in tables(fmt) if t.table == T3)
    return [r for r in spec.rows if r.startswith(RESULTS) and r != TOTAL]


def check_table3(values: Values, fmt: str) -> list[Finding]:
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
    findings += _non_negative(values, T3)
    return findings


def check_table4(values: Values) -> list[Finding]:
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
    return findings + _non_negative(values, T4)


def check_carry_over(current: Values, previous: Values, year: int) -> list[Finding]:
    """Rule 5: 上年结转 of year N equals 结转下年度 of year N−1 per column (from 2020: 2018 had no carry-over)."""
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
                    % {"col": column, "now": now, "prev": year - 1, "before": before},
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
