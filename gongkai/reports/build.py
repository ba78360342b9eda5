"""Build a report's figures from the registry: the cells of a format with their values, and its JSON form
``{"org", "year", "format", "scope", "cells": [{"table", "row", "column", "value"}]}`` (same shape for every
format)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gongkai.organisations.models import Organisation
from gongkai.reports.formats import CellRef, all_cells
from gongkai.reports.registry import (
    Context,
    Number,
    Scope,
    Statistic,
    format_value,
    json_value,
    statistics_for_format,
)


class FormatNotAvailable(ValueError):
    pass


@dataclass(frozen=True)
class ReportCell:
    cell: CellRef
    statistic: Statistic
    value: Number

    @property
    def display(self) -> str:
        return format_value(self.statistic, self.value)


@dataclass(frozen=True)
class Report:
    org: Organisation
    year: int
    format: str
    scope: Scope
    cells: tuple[ReportCell, ...]

    def values(self) -> dict[str, Number]:
        return {c.statistic.key: c.value for c in self.cells}

    def displays(self) -> dict[str, str]:
        return {c.statistic.key: c.display for c in self.cells}

    def is_empty(self) -> bool:
        return all(not c.value for c in self.cells)


def build_report(org: Organisation, year: int, fmt: str, scope: Scope = Scope.SUBTREE) -> Report:
    stats = {s.cells[fmt]: s for s in statistics_for_format(fmt)}
    cells = all_cells(fmt)
    missing = [c for c in cells if c not in stats]
    if missing:
        raise FormatNotAvailable(
            _("报告格式%(fmt)s尚有%(n)d个单元格未定义统计口径，暂不能生成") % {"fmt": fmt, "n": len(missing)}
        )
    ctx = Context(org=org, year=year, scope=scope, fmt=fmt)  # fmt: which submissions count
    return Report(
        org, year, fmt, scope, tuple(ReportCell(c, stats[c], ctx.value(stats[c].key)) for c in cells)
    )


def report_json(report: Report) -> dict[str, Any]:
    return {
        "org": report.org.name,
        "org_code": report.org.org_code,
        "year": report.year,
        "format": report.format,
        "scope": str(report.scope),
        "cells": [
            {
                "table": c.cell.table,
                "row": c.cell.row,
                "column": c.cell.column,
                "value": json_value(c.statistic, c.value),
            }
            for c in report.cells
        ],
    }
