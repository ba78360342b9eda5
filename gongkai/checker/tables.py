"""The tables of a published report as cells (report-checker issue, Deliver 1–2; docs/checker.md).

``extract(doc)`` detects the format, body and year (:mod:`gongkai.checker.detect`) and reads every cell of the
format's tables:

- 2019 and 2021: every cell of report-formats.json, labelled with its official labels, whether the report
  prints the row or not (a row it omits is blank, ``None``);
- 2014: the national table's cells (统计数), and the local table (地方补充指标) when the report prints one;
- 2008-era provincial tables: the title, row and column labels as printed, whitespace removed (the unit column
  is not a cell).

The text arrives flattened: one table row per line with cells apart by `` | ``, tabs or spaces, a whole table
on one line, label cells spanning rows printed once. The reader tokenises the text and walks the official rows
in order, each row's label matched by :mod:`gongkai.checker.labels` and followed by its values. Numbers run
together by copy-paste (``3960181`` for 396 | 0 | 181) are split by the row and column sums of the format; when
the sums do not decide, the cells are ``ambiguous`` (value None) and a warning names them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

from django.utils.translation import gettext as _

from gongkai.checker import detect, labels, numbers
from gongkai.checker.reading import simplify
from gongkai.checker.types import Cell, Finding, FormatCode, Number
from gongkai.reports.formats import TableSpec
from gongkai.reports.formats import tables as format_tables

Key = tuple[str, str, str]
MAX_CANDIDATES = 50000
SEARCH_WINDOW = 3000  # tokens a row's label may be looked for ahead of the previous row
DASHES = frozenset({"-", "－", "—", "——", "–", "/", "／"})
UNITS = frozenset(
    {
        "条",
        "件",
        "次",
        "个",
        "人",
        "人次",
        "项",
        "家",
        "篇",
        "期",
        "封",
        "份",
        "元",
        "万元",
        "%",
        "‰",
        "场",
        "天",
        "个工作日",
        "宗",
        "起",
        "批",
        "户",
        "场次",
        "册",
        "处",
        "所",
    }
)


class TextDocument(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def simplified(self) -> str: ...


@dataclass
class Extraction:
    format: FormatCode
    body: str
    year: int | None
    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Token:
    raw: str  # as printed
    simple: str  # Simplified, ASCII digits
    line: int
    piped: bool  # the line's cells are apart by | or tabs (empty cells kept)

    @property
    def value(self) -> bool:
        if self.piped:
            return numbers.is_value(self.simple)
        return self.simple in DASHES or numbers.is_number(self.simple)

    @property
    def unit(self) -> bool:
        return re.sub(r"\s+", "", self.simple) in UNITS


# Tokens -------------------------------------------------------------------------------------------------------

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def tokenize(text: str, simplified: str) -> list[Token]:
    tokens: list[Token] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        simple = simplified[offset : offset + len(line)]
        offset += len(line) + 1
        line, simple = line.replace("｜", "|"), simple.replace("｜", "|")
        if not line.strip() or _MD_RULE.match(line):
            continue
        tokens.extend(_line_tokens(line, simple, number))
    return tokens


def _line_tokens(line: str, simple: str, number: int) -> list[Token]:
    if "|" in line or "\t" in line:
        sep = "|" if "|" in line else "\t"
        stripped = line.strip()
        start, end = 0, len(line)
        if sep == "|" and stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            start = line.index("|") + 1
            end = line.rindex("|")
        spans = []
        pos = start
        while True:
            nxt = line.find(sep, pos, end)
            if nxt < 0:
                spans.append((pos, end))
                break
            spans.append((pos, nxt))
            pos = nxt + 1
        return [Token(line[a:b].strip(), simple[a:b].strip(), number, True) for a, b in spans]
    return [Token(m.group(0), simple[m.start() : m.end()], number, False) for m in re.finditer(r"\S+", line)]


def _values(
    tokens: Sequence[Token], i: int, is_label: Callable[[str], bool] = lambda s: True
) -> tuple[list[str], int]:
    """The values after the label at ``i``: the rest of a piped line, or the numbers that follow; units after the
    label are skipped, and (text wrapped by a PDF) up to two words that are not a row label. Returns (raw
    values, index after them)."""
    j = i + 1
    out: list[str] = []
    if tokens[i].piped:
        while j < len(tokens) and tokens[j].line == tokens[i].line:
            tok = tokens[j]
            if tok.value:
                out.append(tok.simple)
            elif not tok.unit and out:
                break
            j += 1
        return out, j
    skipped = 0
    while j < len(tokens) and not tokens[j].value and not tokens[j].piped:
        if not tokens[j].unit:
            if skipped >= 2 or is_label(tokens[j].simple) or tokens[j].raw.endswith(_SENTENCE_END):
                break
            skipped += 1
        j += 1
    if j < len(tokens) and not tokens[j].value:
        return [], i + 1
    while j < len(tokens) and tokens[j].value and not tokens[j].piped:
        out.append(tokens[j].simple)
        j += 1
    return out, j


# Value assignment, run-together digits ------------------------------------------------------------------------


@dataclass
class Pending:
    """A row whose printed values are fewer than its cells: the candidate splits still possible."""

    keys: list[Key]
    printed: str
    candidates: list[tuple[Number | None, ...]]


def _column_unit(column: str) -> str:
    if "万元" in column:
        return "万元"
    if "金额" in column or column.endswith("元"):
        return "元"
    return ""


def _parse(raw: str, column: str) -> Number | None:
    return numbers.parse(raw, _column_unit(column))


def candidates(raws: Sequence[str], columns: Sequence[str]) -> list[tuple[Number | None, ...]]:
    """Every reading of ``raws`` as len(columns) cells, run-together digit tokens split every possible way."""
    n = len(columns)
    if len(raws) == n:
        try:
            return [tuple(_parse(r, c) for r, c in zip(raws, columns, strict=True))]
        except numbers.NotANumber:
            return []
    if len(raws) > n or not raws:
        return []
    extra = n - len(raws)
    joinable = [i for i, r in enumerate(raws) if numbers.run_together(r)]
    if not joinable:
        return []
    out: list[tuple[Number | None, ...]] = []
    for shares in _compositions(extra, len(joinable)):
        parts_per_token = [1] * len(raws)
        for i, share in zip(joinable, shares, strict=True):
            parts_per_token[i] += share
        pieces: list[list[tuple[Number | None, ...]]] = []
        for raw, count in zip(raws, parts_per_token, strict=True):
            if count == 1:
                try:
                    pieces.append([(numbers.parse(raw),)])
                except numbers.NotANumber:
                    return []
            else:
                pieces.append([tuple(s) for s in numbers.splits(numbers.ascii_digits(raw), count)])
        for combo in itertools.product(*pieces):
            out.append(tuple(v for piece in combo for v in piece))
            if len(out) > MAX_CANDIDATES:
                return []  # too many readings to weigh: ambiguous
    return out


def _compositions(total: int, slots: int) -> list[tuple[int, ...]]:
    if slots == 1:
        return [(total,)]
    return [(k, *rest) for k in range(total + 1) for rest in _compositions(total - k, slots - 1)]


Equation = tuple[list[Key], list[Key]]  # Σ left = Σ right


def _holds(eq: Equation, known: dict[Key, Number | None]) -> bool | None:
    """True/False when every cell of the equation is known, else None."""
    keys = eq[0] + eq[1]
    if any(k not in known for k in keys):
        return None
    left = sum((known[k] or 0) for k in eq[0])
    right = sum((known[k] or 0) for k in eq[1])
    return bool(left == right)


class Grid:
    """Cells being read: known values, rows still ambiguous, and the sum rules that may decide them."""

    def __init__(self, equations: Sequence[Equation] = ()) -> None:
        self.known: dict[Key, Number | None] = {}
        self.order: list[Key] = []
        self.pending: list[Pending] = []
        self.equations = list(equations)
        self.unreadable: dict[Key, str] = {}

    def add(self, key: Key, value: Number | None) -> None:
        if key not in self.known and key not in self.order:
            self.order.append(key)
        self.known[key] = value

    def blank(self, key: Key) -> None:
        if key not in self.order:
            self.order.append(key)
            self.known[key] = None

    def row(
        self, keys: Sequence[Key], raws: Sequence[str], row_rule: Callable[[tuple[Number | None, ...]], bool]
    ) -> None:
        for key in keys:
            if key not in self.order:
                self.order.append(key)
        raws = list(raws)
        while len(raws) > len(keys) and numbers.is_blank(raws[-1]):
            raws.pop()  # an empty cell after the last column (a spare column of the printed table)
        if not raws or all(numbers.is_blank(r) for r in raws):
            for key in keys:
                self.known[key] = None
            return
        columns = [k[2] for k in keys]
        found = candidates(raws, columns)
        if len(raws) != len(keys):
            found = [c for c in found if row_rule(c)]
        if len(found) == 1:
            for key, v in zip(keys, found[0], strict=True):
                self.known[key] = v
            return
        printed = " ".join(raws)
        if not found:
            for key in keys:
                self.unreadable[key] = printed
            return
        self.pending.append(Pending(list(keys), printed, found))

    def resolve(self) -> None:
        progress = True
        while progress and self.pending:
            progress = False
            for p in list(self.pending):
                keep = []
                for cand in p.candidates:
                    trial = dict(self.known)
                    trial.update(zip(p.keys, cand, strict=True))
                    if all(
                        _holds(eq, trial) is not False
                        for eq in self.equations
                        if set(p.keys) & set(eq[0] + eq[1])
                    ):
                        keep.append(cand)
                if len(keep) == 1:
                    self.known.update(zip(p.keys, keep[0], strict=True))
                    self.pending.remove(p)
                    progress = True
                elif keep and len(keep) < len(p.candidates):
                    p.candidates = keep
        for p in self.pending:
            for i, key in enumerate(p.keys):
                values = {c[i] for c in p.candidates}
                if len(values) == 1:
                    self.known[key] = values.pop()
                else:
                    self.unreadable[key] = p.printed
        self.pending = []

    def cells(self) -> tuple[list[Cell], list[Finding]]:
        self.resolve()
        out = []
        for key in self.order:
            if key in self.unreadable:
                out.append(Cell(*key, value=None, ambiguous=True))
            else:
                out.append(Cell(*key, value=self.known.get(key)))
        findings = []
        by_printed: dict[str, list[Cell]] = {}
        for c in out:
            if c.ambiguous:
                by_printed.setdefault(self.unreadable[c.key], []).append(c)
        for printed, cells in by_printed.items():
            where = "；".join(f"{c.row}/{c.column}" for c in cells)
            findings.append(
                Finding(
                    "tables: ambiguous cells",
                    "warning",
                    _(
                        "表格中“%(printed)s”的数字无法按行列合计规则唯一拆分到各栏（可能是复制时数字粘连或空格丢失），以下单元格未读取：%(cells)s"
                    )
                    % {"printed": printed, "cells": where},
                    tuple(cells),
                )
            )
        return out, findings


# National formats (2014, 2019, 2021) ----------------------------------------------------------------------


def _find(
    tokens: Sequence[Token],
    start: int,
    wanted: str,
    others: Sequence[str],
    later: set[str],
    headers: Sequence[str] = (),
) -> int | None:
    """The index of the label token naming ``wanted`` from ``start`` on; None when a later row's label comes
    first (the row is not printed) or nothing matches within the window. Column headers (``headers``: 总计,
    其他 …) are never taken for a row label."""
    header_keys = {labels.normalize(h) for h in headers}
    for i in range(start, min(len(tokens), start + SEARCH_WINDOW)):
        tok = tokens[i]
        if tok.value or tok.unit or len(tok.simple) > 80 or labels.normalize(tok.simple) in header_keys:
            continue
        hit = _match(tok.simple, tuple(others))
        if hit == wanted:
            return i
        if hit is not None and hit in later:
            return None
    return None


@lru_cache(maxsize=65536)
def _match(text: str, officials: tuple[str, ...]) -> str | None:
    """labels.match, remembered: the same words are weighed against the same labels row after row."""
    return labels.match(text, officials)


def _labeller(leaves: Sequence[str], headers: Sequence[str]) -> Callable[[str], bool]:
    """Whether a word is a row label or a column header of the table (not text wrapped from the label before)."""
    header_keys = {labels.normalize(h) for h in headers}

    def is_label(text: str) -> bool:
        return labels.normalize(text) in header_keys or _match(text, tuple(leaves)) is not None

    return is_label


_ATTACHMENT = re.compile(r"^(附表|附件)[0-9一二三四五六七八九十]*[:：、.．]?")
_TITLE_YEAR = re.compile(r"^(19|20)\d\d年度?")
_SENTENCE = re.compile(r"[，。；！？,;见]")
# what a body's name ends with (人民政府, 办公厅, 教育局, 管委会, 实验区, 街道办事处 …)
_BODY_END = re.compile(
    r"(政府|厅|局|委员会|委|会|区|县|市|省|州|盟|旗|镇|乡|街道|办事处|办|室|中心|院|署|所|部|处)$"
)


def _heading(tokens: Sequence[Token], start: int, title: str) -> int | None:
    """A table's heading (its official title, typos allowed) from ``start`` on."""
    for i in range(start, len(tokens)):
        tok = tokens[i]
        if tok.value or len(tok.simple) > 60:
            continue
        if labels.match(tok.simple, [title, "x" * len(title)]) == title or _titled(tok.simple, title):
            return i
    return None


def _titled(text: str, title: str) -> bool:
    """A title printed with what bodies put before it: 附表/附件 (numbered or not), the year, the body's name —
    "附表：2016年上海市人民政府办公厅政府信息公开情况统计表" is the 2014 table's 政府信息公开情况统计表. Not a
    sentence that ends with the title ("详见附表：…", "本机关填报了…")."""
    core = _TITLE_YEAR.sub("", _ATTACHMENT.sub("", labels.normalize(text)))
    wanted = labels.normalize(title)
    if not core.endswith(wanted):
        return False
    before = core[: -len(wanted)]
    return not before or (
        len(before) <= 30 and not _SENTENCE.search(before) and _BODY_END.search(before) is not None
    )


def _row_rule(columns: Sequence[str]) -> Callable[[tuple[Number | None, ...]], bool]:
    """总计 = Σ the columns before it, for each block of columns ending in 总计 (Tables 3 and 4)."""
    ends = [i for i, c in enumerate(columns) if c == "总计"]
    if not ends:
        return lambda values: True

    def rule(values: tuple[Number | None, ...]) -> bool:
        start = 0
        for end in ends:
            if sum((v or 0) for v in values[start:end]) != (values[end] or 0):
                return False
            start = end + 1
        return True

    return rule


def _equations(fmt: str, specs: Sequence[TableSpec]) -> list[Equation]:
    eqs: list[Equation] = []
    for spec in specs:
        ends = [i for i, c in enumerate(spec.columns) if c == "总计"]
        for row in spec.rows:
            path = spec.row_path(row)
            start = 0
            for end in ends:
                eqs.append(
                    (
                        [(spec.table, path, spec.columns[end])],
                        [(spec.table, path, c) for c in spec.columns[start:end]],
                    )
                )
                start = end + 1
        if spec.table.startswith("三、") and fmt in ("2019", "2021"):
            outcomes = [
                r for r in spec.rows if r.startswith("三、本年度办理结果/") and not r.endswith("（七）总计")
            ]
            total = "三、本年度办理结果/（七）总计"
            for c in spec.columns:
                eqs.append(([(spec.table, total, c)], [(spec.table, r, c) for r in outcomes]))
                eqs.append(
                    (
                        [(spec.table, spec.rows[0], c), (spec.table, spec.rows[1], c)],
                        [(spec.table, total, c), (spec.table, spec.rows[-1], c)],
                    )
                )
    return eqs


def _header_padding(token: Token, header_lines: set[int]) -> bool:
    """An empty cell of a row that also holds labels: the layout of a header row, not a blank value."""
    return token.piped and numbers.is_blank(token.simple) and token.line in header_lines


def _first_run(tokens: Sequence[Token], start: int, end: int, length: int) -> int | None:
    """The index of the first run of at least ``length`` value tokens between ``start`` and ``end``."""
    run = 0
    for j in range(start, end):
        run = run + 1 if tokens[j].value else 0
        if run >= length:
            return j - length + 1
    return None


def _table4(tokens: Sequence[Token], start: int, spec: TableSpec, grid: Grid) -> int:
    """Table 4: printed as one row of 15 values (or as three labelled rows of 5)."""
    keys = [(spec.table, spec.row_path(r), c) for r in spec.rows for c in spec.columns]
    heading = _heading(tokens, start, spec.table)
    i = heading + 1 if heading is not None else start
    end = min(len(tokens), i + 120)
    # the first run of values after the last 总计 header cell; the empty cells of a header row (a table typed
    # without merging its header cells, or padded to the full width) are not values
    header_lines = {t.line for t in tokens[i:end] if t.simple.strip() and not t.value}
    last_total = None
    first_value = None
    for j in range(i, end):
        if tokens[j].simple == "总计":
            last_total = j
        elif tokens[j].value and last_total is not None and not _header_padding(tokens[j], header_lines):
            first_value = j
            break
    if last_total is None:
        # 总计 not found as one word: a narrow PDF wraps the header cells (“总” over “计”); the values are then
        # the first run of ten or more
        first_value = _first_run(tokens, i, end, 10)
    row_leaves = [labels.leaf(r) for r in spec.rows]
    # (a run of ten or more values is the one row of 15, whatever labels the wrapped header left before it)
    labelled = (
        first_value is not None
        and last_total is not None
        and any(labels.match(t.simple, row_leaves) for t in tokens[last_total + 1 : first_value])
    )
    if first_value is not None and not labelled:
        j = first_value
        raws: list[str] = []
        line = tokens[j].line if j < len(tokens) else -1
        while (
            j < len(tokens)
            and tokens[j].value
            and (not tokens[j].piped or tokens[j].line == line or len(raws) < 15)
        ):
            raws.append(tokens[j].simple)
            j += 1
        if raws:
            grid.row(keys, raws, _row_rule(list(spec.columns) * 3))
            return j
    # three labelled rows
    pos = i
    for row in spec.rows:
        row_keys = [(spec.table, spec.row_path(row), c) for c in spec.columns]
        found = _find(tokens, pos, labels.leaf(row), [labels.leaf(r) for r in spec.rows], set())
        if found is None:
            for k in row_keys:
                grid.blank(k)
            continue
        raws, pos = _values(tokens, found, _labeller([labels.leaf(r) for r in spec.rows], spec.columns))
        grid.row(row_keys, raws, _row_rule(spec.columns))
    return pos


def _national(tokens: Sequence[Token], fmt: str) -> tuple[list[Cell], list[Finding]]:
    specs = [s for s in format_tables(fmt) if s.table != "地方补充指标"]
    grid = Grid(_equations(fmt, specs))
    pos = 0
    first = specs[0]
    heading = _heading(tokens, 0, first.table)
    if heading is not None:
        pos = heading
    for spec in specs:
        if spec.table.startswith("四、") and fmt in ("2019", "2021"):
            pos = _table4(tokens, pos, spec, grid)
            continue
        if spec.block:
            blocks = [s.block for s in specs if s.block]
            later = set(blocks[blocks.index(spec.block) + 1 :])
            block = _find(tokens, pos, spec.block, blocks, later)
            if block is not None:
                pos = block + 1
        elif spec is not first:
            heading = _heading(tokens, pos, spec.table)
            if heading is not None:
                pos = heading + 1
        leaves = [labels.leaf(r) for r in spec.rows]
        headers = [part for c in spec.columns for part in c.split("/")] + ["信息内容", "申请人情况"]
        for n, row in enumerate(spec.rows):
            keys = [(spec.table, spec.row_path(row), c) for c in spec.columns]
            found = _find(tokens, pos, leaves[n], leaves, set(leaves[n + 1 :]) - {leaves[n]}, headers)
            if found is None:
                for k in keys:
                    grid.blank(k)
                continue
            raws, after = _values(tokens, found, _labeller(leaves, headers))
            grid.row(keys, raws, _row_rule(spec.columns))
            pos = after if raws else found + 1
    cells, findings = grid.cells()
    if fmt == "2014":
        local = _local_2014(tokens, pos)
        cells += local
    return cells, findings


def _local_2014(tokens: Sequence[Token], pos: int) -> list[Cell]:
    spec = next((s for s in format_tables("2014") if s.table == "地方补充指标"), None)
    if spec is None:
        return []
    groups = list(dict.fromkeys(r.split("/")[0] for r in spec.rows))
    if not any(labels.match(t.simple, groups, fuzzy=False) for t in tokens[pos:] if not t.value):
        return []
    grid = Grid()
    for row in spec.rows:
        group, name = row.split("/", 1)
        keys = [(spec.table, row, c) for c in spec.columns]
        start = _find(tokens, pos, group, groups, set())
        found = _find(tokens, start if start is not None else pos, name, [name], set())
        if found is None:
            for k in keys:
                grid.blank(k)
            continue
        raws, _after = _values(tokens, found)
        grid.row(keys, raws, lambda values: True)
    cells, _findings = grid.cells()
    return cells


# 2008-era provincial tables -------------------------------------------------------------------------------

_HEADER_START = re.compile(r"^(指标名称|指标|统计指标|指标项目|项目|项目名称|类别|内容|统计项目)$")
_COLUMN = re.compile(
    r"单位|年度|累计|本年|上年|去年|数量|合计|(?:19|20)\d{2}年|数值|统计数|总数|同比|增减|备注|半年|季度"
)
_SENTENCE_END = ("。", "；", "！", "？", ";", "!", "?")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _provincial(tokens: Sequence[Token]) -> tuple[list[Cell], list[Finding]]:
    cells: list[Cell] = []
    findings: list[Finding] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            _HEADER_START.match(_squash(tok.simple))
            and i + 1 < len(tokens)
            and _COLUMN.search(tokens[i + 1].simple)
        ):
            table_cells, table_findings, i = _provincial_table(tokens, i)
            cells += table_cells
            findings += table_findings
        else:
            i += 1
    return cells, findings


def _title(tokens: Sequence[Token], header: int) -> str:
    """The table's title as printed: the label tokens just before its header (back to a sentence end or a
    numbered title such as 六、…统计表), up to the last one that names a 表."""
    picked: list[Token] = []
    j = header - 1
    while j >= 0 and len(picked) < 4:
        tok = tokens[j]
        if tok.value or not tok.raw.strip() or len(tok.simple) > 60 or tok.raw.endswith(_SENTENCE_END):
            break
        picked.insert(0, tok)
        if "表" in tok.simple and re.match(r"^(?:[一二三四五六七八九十]+、|附件|附表)", tok.simple):
            break
        j -= 1
    titled = [n for n, t in enumerate(picked) if "表" in t.simple]
    if titled:
        last = titled[-1]
        start = last
        # numbering or a word printed apart from the title ("六、" "平潭…统计表", "附件1：" "…统计表")
        while start > 0 and re.fullmatch(
            r"[一二三四五六七八九十\d]+[、.．]?|附件\d*[:：]?|附表\d*[:：]?", picked[start - 1].simple
        ):
            start -= 1
        picked = picked[start : last + 1]
    return _squash("".join(t.raw for t in picked))


def _provincial_table(tokens: Sequence[Token], header: int) -> tuple[list[Cell], list[Finding], int]:
    title = _title(tokens, header)
    columns, unit_column, i = _provincial_columns(tokens, header)
    value_columns = [c for n, c in enumerate(columns) if n != unit_column]
    if not value_columns:
        return [], [], header + 1
    rows, i = _provincial_rows(tokens, i, unit_column, len(value_columns))
    grid = Grid(_provincial_equations(title, [r for r, _v in rows], value_columns))
    cumulative = next((n for n, c in enumerate(value_columns) if "累计" in simplify(c)), None)

    def rule(values: tuple[Number | None, ...]) -> bool:
        if cumulative is None:
            return True
        return all((v or 0) <= (values[cumulative] or 0) for n, v in enumerate(values) if n != cumulative)

    for label, raws in rows:
        keys = [(title, label, c) for c in value_columns]
        grid.row(keys, raws, rule)
    cells, findings = grid.cells()
    return cells, findings, i


def _provincial_columns(tokens: Sequence[Token], header: int) -> tuple[list[str], int, int]:
    """The column headers after the table's header token (指标名称 | 计量单位 | 本年度 | 历年累计), the index of
    the unit column among them (-1: none) and the index of the first token after them."""
    columns: list[str] = []
    unit_column = -1
    i = header + 1
    while (
        i < len(tokens)
        and not tokens[i].value
        and _COLUMN.search(tokens[i].simple)
        and len(tokens[i].simple) < 20
    ):
        if re.search(r"单位", tokens[i].simple):
            unit_column = len(columns)
        columns.append(_squash(tokens[i].raw))
        i += 1
    return columns, unit_column, i


def _provincial_rows(
    tokens: Sequence[Token], i: int, unit_column: int, value_count: int
) -> tuple[list[tuple[str, list[str]]], int]:
    """The rows from token ``i`` on, each its label (a "其中" line prefixing the next) and its raw value cells,
    up to the first token that is not part of a row; and the index of that token."""
    rows: list[tuple[str, list[str]]] = []
    prefix = ""
    while i < len(tokens):
        label_tokens, unit_seen, i = _provincial_label(tokens, i, unit_column)
        if not label_tokens:
            break
        piped_row = label_tokens[0].piped
        raws: list[str] = []
        line = label_tokens[-1].line
        while i < len(tokens) and tokens[i].value and (not piped_row or tokens[i].line == line):
            raws.append(tokens[i].simple)
            i += 1
        if (
            piped_row
            and not unit_seen
            and unit_column >= 0
            and len(raws) == value_count + 1
            and numbers.is_blank(raws[unit_column])
        ):
            del raws[unit_column]  # the unit cell left empty (columns are counted after the label column)
        label = prefix + _squash("".join(t.raw for t in label_tokens))
        if not raws and not piped_row:
            if re.fullmatch(r"其中[:：]?", label):
                prefix = label
                continue
            break
        prefix = ""
        rows.append((label, raws))
    return rows, i


def _provincial_label(tokens: Sequence[Token], i: int, unit_column: int) -> tuple[list[Token], bool, int]:
    """A row's label tokens from ``i`` (none: the table ended), whether its unit was read, and the index after
    them. A sentence or a long text ends the table; a unit this module does not list is dropped."""
    label_tokens: list[Token] = []
    unit_seen = False
    while i < len(tokens) and not tokens[i].value:
        tok = tokens[i]
        if tok.unit and label_tokens and unit_column >= 0:
            unit_seen = True
            i += 1
            break
        if len(tok.simple) > 40 or tok.raw.endswith(_SENTENCE_END) or len(label_tokens) >= 4:
            return [], unit_seen, i
        label_tokens.append(tok)
        i += 1
    if unit_column >= 0 and not unit_seen and len(label_tokens) >= 2 and _unit_like(label_tokens[-1].simple):
        label_tokens.pop()  # a unit this module does not list (份数, 宗 …)
    return label_tokens, unit_seen, i


def _unit_like(text: str) -> bool:
    return len(text) <= 2 and not re.search(r"[\d数率额量]", text)


def _provincial_equations(title: str, rows: Sequence[str], columns: Sequence[str]) -> list[Equation]:
    """A 总数 row of requests or answers = Σ its numbered 其中 rows (what the rules module also checks)."""
    from gongkai.checker.rules import provincial_groups

    eqs: list[Equation] = []
    for parent, children in provincial_groups(list(rows)):
        plain = simplify(parent)  # labels are kept as printed, Traditional too
        if not (re.search(r"申请|答复", plain) and re.search(r"总数|合计|总计", plain)):
            continue
        if not any(re.search(r"其他", simplify(r)) for r in children):
            continue
        for c in columns:
            eqs.append(([(title, parent, c)], [(title, r, c) for r in children]))
    return eqs


# Entry point ----------------------------------------------------------------------------------------------


def extract(doc: TextDocument) -> Extraction:
    identity = detect.identify(doc.text, doc.simplified)
    extraction = Extraction(identity.format, identity.body, identity.year)
    tokens = tokenize(doc.text, doc.simplified)
    if identity.format in ("2014", "2019", "2021"):
        extraction.cells, extraction.findings = _national(tokens, identity.format)
    elif identity.format == "2008-era":
        extraction.cells, extraction.findings = _provincial(tokens)
        if not extraction.cells:
            extraction.format = "narrative-only"
    else:
        # a provincial table whose header names none of the usual words (项目 | 单位 | 本年 | 累计)
        cells, findings = _provincial(tokens)
        if len({c.row for c in cells if c.value is not None}) >= 3:
            extraction.format = "2008-era"
            extraction.cells, extraction.findings = cells, findings
    return extraction


def with_value(cell: Cell, value: Number | None) -> Cell:
    return replace(cell, value=value, ambiguous=False)
