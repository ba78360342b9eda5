"""Cross-year rules: a report against last year's report of the same body (``check-report --previous``).

- Table 3 carry-over (statutory-reference §3.4 rule 5, from 2020 on): 二、上年结转 of year N = 四、结转下年度继续办理
  of year N−1, per column — an error (a warning when a blank took part).
- 现行有效 (2021 format, soft rule of §3.4): 现行有效(N) = 现行有效(N−1) + 本年制发 − 本年废止 — a warning.
- 2008-era provincial tables: 历年累计(N) = 历年累计(N−1) + 本年度(N), per row matched by its label — a warning
  (a merger of bodies restarts a running total).
Nothing is said when the years are not consecutive or last year's table lacks the cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from gongkai.checker.reading import simplify
from gongkai.checker.types import Cell, Finding, Result


def _v(cell: Cell | None) -> int | Decimal:
    if cell is None or cell.value is None:
        return 0
    return Decimal(str(cell.value)) if isinstance(cell.value, float) else cell.value


def _usable(*cells: Cell | None) -> bool:
    return all(c is not None and not c.ambiguous for c in cells)


def check(result: Result, previous: Result) -> list[Finding]:
    if result.year is not None and previous.year is not None and previous.year != result.year - 1:
        return []
    from gongkai.checker import rules  # the labels live there

    now, before = rules.Cells(result.cells), rules.Cells(previous.cells)
    findings: list[Finding] = []
    if result.format in rules.NATIONAL and previous.format in rules.NATIONAL:
        findings += _carry_over(result, now, before)
    if result.format == "2021" and previous.format == "2021":
        findings += _in_force(now, before, previous.year)
    if result.format == "2008-era" and previous.format == "2008-era":
        findings += _cumulative(now, before)
    return findings


def _carry_over(result: Result, now: object, before: object) -> list[Finding]:
    from gongkai.checker import rules

    assert isinstance(now, rules.Cells) and isinstance(before, rules.Cells)
    if result.year is not None and result.year < 2020:
        return []
    _rows, columns = rules._t3_spec(result.format)
    broken: list[tuple[str, Cell]] = []
    blank = False
    for column in columns:
        current = now.get(rules.T3, rules.CARRIED_IN, column)
        last = before.get(rules.T3, rules.CARRIED_OUT, column)
        if not _usable(current, last):
            continue
        assert current is not None and last is not None
        if _v(current) != _v(last):
            blank = blank or current.value is None or last.value is None
            broken.append(
                (
                    _("“%(col)s”列上年结转%(now)s，而上年报告结转下年度继续办理为%(before)s")
                    % {"col": column, "now": _v(current), "before": _v(last)},
                    current,
                )
            )
    if not broken:
        return []
    return [
        Finding(
            "cross-year: Table 3 上年结转 = 上年结转下年度",
            "warning" if blank else "error",
            _("表三：") + "；".join(m for m, _c in broken) + "。",
            tuple(c for _m, c in broken),
        )
    ]


def _in_force(now: object, before: object, last_year: int | None) -> list[Finding]:
    from gongkai.checker import rules

    assert isinstance(now, rules.Cells) and isinstance(before, rules.Cells)
    messages: list[str] = []
    cited: list[Cell] = []
    for row in ("第二十条第（一）项/规章", "第二十条第（一）项/行政规范性文件"):
        cur = now.get(rules.T2, row, "现行有效件数")
        issued = now.get(rules.T2, row, "本年制发件数")
        repealed = now.get(rules.T2, row, "本年废止件数")
        last = before.get(rules.T2, row, "现行有效件数")
        if not _usable(cur, issued, repealed, last) or any(c is None or c.value is None for c in (cur, last)):
            continue
        expected = _v(last) + _v(issued) - _v(repealed)
        if _v(cur) == expected:
            continue
        messages.append(
            _(
                "“%(row)s”现行有效件数%(now)s，而上年现行有效%(last)s＋本年制发%(issued)s−本年废止%(repealed)s＝%(expected)s"
            )
            % {
                "row": row.rpartition("/")[2],
                "now": _v(cur),
                "last": _v(last),
                "issued": _v(issued),
                "repealed": _v(repealed),
                "expected": expected,
            }
        )
        cited += [c for c in (cur, issued, repealed) if c is not None]
    if not messages:
        return []
    return [
        Finding(
            "cross-year: 现行有效 = 上年现行有效 + 制发 − 废止",
            "warning",
            _("表二：") + "；".join(messages) + "。",
            tuple(cited),
        )
    ]


def _label(row: str) -> str:
    """A row label without its numbering, for matching rows between years."""
    return re.sub(r"^(?:其中[:：]?)?\s*[（(]?\d{1,2}[)）]?[、.．]\s*|\s", "", simplify(row))


def _cumulative(now: object, before: object) -> list[Finding]:
    from gongkai.checker import rules

    assert isinstance(now, rules.Cells) and isinstance(before, rules.Cells)
    messages: list[str] = []
    cited: list[Cell] = []
    previous_tables = list(dict.fromkeys(c.table for c in before.list))
    for table in dict.fromkeys(c.table for c in now.list):
        years, cumulative = rules.provincial_columns(now, table)
        if len(years) != 1 or cumulative is None:
            continue
        last_table = _matching_table(table, previous_tables)
        if last_table is None:
            continue
        _last_years, last_cumulative = rules.provincial_columns(before, last_table)
        if last_cumulative is None:
            continue
        last_rows = _rows_by_label(before.rows(last_table))
        for row in now.rows(table):
            last_row = last_rows.get(_label(row))
            if last_row is None:
                continue
            trio = (
                now.get(table, row, years[0]),
                now.get(table, row, cumulative),
                before.get(last_table, last_row, last_cumulative),
            )
            message = _cumulative_message(row, *trio)
            if message:
                messages.append(message)
                cited += [c for c in trio[:2] if c is not None]
    if not messages:
        return []
    return [
        Finding(
            "cross-year: 历年累计 = 上年历年累计 + 本年度",
            "warning",
            _("统计表：") + "；".join(messages) + "。",
            tuple(cited),
        )
    ]


def _cumulative_message(
    row: str, year_cell: Cell | None, cum_cell: Cell | None, last_cum: Cell | None
) -> str:
    """What is wrong with a row's 历年累计 (“” when it is last year's plus this year's, or cannot be checked)."""
    if not _usable(year_cell, cum_cell, last_cum):
        return ""
    assert year_cell is not None and cum_cell is not None and last_cum is not None
    if any(c.value is None for c in (year_cell, cum_cell, last_cum)):
        return ""
    expected = _v(last_cum) + _v(year_cell)
    if _v(cum_cell) == expected:
        return ""
    return _("“%(row)s”历年累计%(now)s，而上年历年累计%(last)s＋本年度%(year)s＝%(expected)s") % {
        "row": row,
        "now": _v(cum_cell),
        "last": _v(last_cum),
        "year": _v(year_cell),
        "expected": expected,
    }


def _rows_by_label(rows: Sequence[str]) -> dict[str, str]:
    """Label → row; a label printed twice (two "其中：1、…" lists) is left out: it cannot be matched for sure."""
    seen: dict[str, list[str]] = {}
    for row in rows:
        seen.setdefault(_label(row), []).append(row)
    return {label: found[0] for label, found in seen.items() if len(found) == 1}


def _matching_table(table: str, previous: Sequence[str]) -> str | None:
    if table in previous:
        return table
    if len(previous) == 1:
        return previous[0]
    plain = re.sub(r"\d{4}年度?|\s", "", simplify(table))
    return next((t for t in previous if re.sub(r"\d{4}年度?|\s", "", simplify(t)) == plain), None)
