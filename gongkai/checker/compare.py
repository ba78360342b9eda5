"""Two years of one body side by side (report-checker issue, Deliver 7; docs/checker-compare.md).

``compare(old, old_doc, new, new_doc)`` gives:

- every table cell that changed, matched by (table, row, column). When both reports use the same format every
  cell of either is matched; when the formats differ (2019 → 2021, 2008-era → 2014 …) only the cells whose
  labels are the same in both are compared and the comparison says so (``note``). A 2008-era table printed with
  its year in the title ("2013年度…统计表") is matched with the year taken out of the title. A cell the tables
  could not read (``ambiguous``) is not compared: it is listed in ``unknown``;
- the narrative paragraphs added, removed and changed (``difflib`` over the lines of the report: table rows —
  lines with cells joined by " | " — and page chrome are left out; lines compared in their simplified form, so
  a year printed in Traditional script and one in Simplified differ only where the words differ);
- ``copied``: the share of last year's narrative reused this year — the characters of the new narrative
  (whitespace removed, simplified) that lie in a run of at least ``COPY_RUN`` characters which also occurs
  somewhere in the old narrative (a shorter paragraph: when last year printed it as it is), divided by all
  characters of the new narrative;
- the cross-year rule results (:func:`gongkai.checker.rules.check` with ``previous=old``, its ``cross-year:``
  findings).

Each changed cell carries the statutory rule that links the two years where one applies (statutory-reference
§3.4 rule 5 and the soft rules), and the message of a cross-year finding that cites it.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

from django.utils.translation import gettext as _

from gongkai.checker.types import Cell, Finding, Number, Result
from gongkai.exportsafe import xml_text

COPY_RUN = 10  # characters: a shorter common run (a stock phrase, a heading) is not counted as copied
COPIED_WARNING = Decimal(
    "0.8"
)  # statutory-reference §3.4 soft rule: narrative ≥ 80% identical to last year's
PAIR_RATIO = 0.5  # a removed and an added paragraph this similar are one paragraph changed
LONG_LINE = 400  # a flattened page (one line holding the whole report) is compared sentence by sentence
CROSS_YEAR = "cross-year"

T2 = "二、主动公开政府信息情况"
T3 = "三、收到和处理政府信息公开申请情况"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
CARRIED_OUT = "四、结转下年度继续办理"
IN_FORCE = "现行有效件数"
LAST_YEAR_ITEMS = "上一年项目数量"
CUMULATIVE = "历年累计"

CHROME = re.compile(
    r"^([\w./-]+/[\w./-]+$)|打印|关闭|字号|字体[:：]|【[大中小]】|浏览次数|访问次数|分享到|扫一扫"
    r"|当前位置|您的位置|首页\s*[>＞]|发布时间[:：]|来源[:：]|信息来源|索引号[:：]|版权所有|ICP|网站标识码|主办单位"
    r"|承办单位|联系我们|网站地图|技术支持|上一篇|下一篇|返回顶部"
)
ADDRESS = re.compile(r"^(https?://|www\.|via[:：])")  # an address or the source line of an archived copy
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"(?<=[。！？；])")
GAP = re.compile(r"\S[ \u3000]{2,}(?=\S)")  # cells apart by runs of spaces (a PDF's table row, -layout)
LAST_NUMBER = re.compile(r"[\d.,]+\s*(件|条|次|个|人|万元|元|%)?$")


def table_row(line: str) -> bool:
    """A table row: cells joined by " | " or tabs, or (a PDF read with -layout) two gaps of spaces, or one gap
    before a figure."""
    if " | " in line or "\t" in line or line.count("|") >= 2:
        return True
    gaps = len(GAP.findall(line))
    return gaps >= 2 or (gaps == 1 and bool(LAST_NUMBER.search(line)))


class TextDocument(Protocol):
    """What the comparison needs of ``reading.Document``."""

    @property
    def text(self) -> str: ...

    @property
    def simplified(self) -> str: ...


ChangeKind = Literal["changed", "added", "removed"]


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    column: str
    old: Number | None
    new: Number | None
    kind: ChangeKind  # added/removed: the cell is printed in one year only (same format)
    rule: str = ""  # the statutory rule linking the years, where one applies
    finding: str = ""  # the message of a cross-year finding citing this cell

    @property
    def difference(self) -> Number | None:
        if self.old is None or self.new is None:
            return None
        diff = _exact(self.new) - _exact(self.old)
        return diff

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "old": _plain(self.old),
            "new": _plain(self.new),
            "difference": _plain(self.difference),
            "kind": self.kind,
            "rule": self.rule,
            "finding": self.finding,
        }


@dataclass(frozen=True)
class ParagraphChange:
    kind: ChangeKind
    old: str = ""  # as printed
    new: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "old": self.old, "new": self.new}

    def pieces(self) -> list[tuple[str, str]]:
        """A changed paragraph as (kind, text) pieces, kind "same"/"removed"/"added", character by character."""
        matcher = difflib.SequenceMatcher(None, self.old, self.new, autojunk=False)
        out: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                out.append(("same", self.old[i1:i2]))
                continue
            if i2 > i1:
                out.append(("removed", self.old[i1:i2]))
            if j2 > j1:
                out.append(("added", self.new[j1:j2]))
        return out


@dataclass
class Comparison:
    old_body: str
    old_year: int | None
    old_format: str
    new_body: str
    new_year: int | None
    new_format: str
    compared: int = 0  # cells compared
    cells: list[CellChange] = field(default_factory=list)
    unknown: list[tuple[str, str, str]] = field(default_factory=list)  # ambiguous in either year
    paragraphs: list[ParagraphChange] = field(default_factory=list)
    unchanged_paragraphs: int = 0
    copied_chars: int = 0
    new_chars: int = 0
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def same_format(self) -> bool:
        return self.old_format == self.new_format

    @property
    def copied(self) -> Decimal:
        """The share of the new narrative copied from the old one (0–1, four decimals)."""
        if not self.new_chars:
            return Decimal(0)
        return (Decimal(self.copied_chars) / Decimal(self.new_chars)).quantize(Decimal("0.0001"))

    @property
    def copied_percent(self) -> str:
        return f"{self.copied * 100:.1f}%"

    def as_json(self) -> dict[str, Any]:
        return {
            "old": {"body": self.old_body, "year": self.old_year, "format": self.old_format},
            "new": {"body": self.new_body, "year": self.new_year, "format": self.new_format},
            "same_format": self.same_format,
            "notes": self.notes,
            "cells_compared": self.compared,
            "cells": [c.as_json() for c in self.cells],
            "unknown": [{"table": t, "row": r, "column": c} for t, r, c in self.unknown],
            "paragraphs": [p.as_json() for p in self.paragraphs],
            "unchanged_paragraphs": self.unchanged_paragraphs,
            "copied": {
                "share": float(self.copied),
                "copied_chars": self.copied_chars,
                "chars": self.new_chars,
            },
            "findings": [f.as_json() for f in self.findings],
        }


# Reading the two reports ----------------------------------------------------------------------------------


class Unreadable(ValueError):
    """A report that cannot be read or checked: one clear line."""


def check_upload(data: bytes, filename: str, previous: Any = None) -> tuple[Result, Any]:
    """(Result, Document) of an uploaded report: read (``reading.read_bytes``) and checked (``engine``), with
    last year's Document as ``previous``. Raises ``Unreadable`` with one clear line."""
    try:
        from gongkai.checker import engine, reading
    except ImportError as exc:  # pragma: no cover - until the reader and the engine are wired in
        raise Unreadable(_("报告检查模块尚未就绪")) from exc
    try:
        doc = reading.read_bytes(data, filename)
    except reading.UnreadableReport as exc:
        raise Unreadable(f"{filename}：{exc}") from exc
    return engine.check_document(doc, previous), doc


def check_file(path: str, previous: Any = None) -> tuple[Result, Any]:
    """``check_upload`` of a file on disk."""
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise Unreadable(_("%(path)s：文件不存在") % {"path": path})
    return check_upload(file.read_bytes(), file.name, previous)


# The comparison --------------------------------------------------------------------------------------------


def compare(old: Result, old_doc: TextDocument, new: Result, new_doc: TextDocument) -> Comparison:
    result = Comparison(old.body, old.year, old.format, new.body, new.year, new.format)
    result.findings = cross_year(old, new, new_doc)
    _cells(result, old, new)
    old_paragraphs, new_paragraphs = paragraphs(old_doc), paragraphs(new_doc)
    _paragraphs(result, old_paragraphs, new_paragraphs)
    result.copied_chars, result.new_chars = copied_share(
        [p for p, _s in old_paragraphs], [p for p, _s in new_paragraphs]
    )
    if old.body and new.body and not _same_body(old.body, new.body):
        result.notes.append(
            _("两份报告的机关名称不同（%(old)s、%(new)s），请确认是同一机关")
            % {"old": old.body, "new": new.body}
        )
    if old.year is not None and new.year is not None and new.year != old.year + 1:
        result.notes.append(
            _("两份报告不是相邻年度（%(old)s年、%(new)s年），不做跨年度衔接检查")
            % {"old": old.year, "new": new.year}
        )
    if result.new_chars and result.copied >= COPIED_WARNING:
        result.notes.append(
            _("正文有%(share)s与上年报告相同（statutory-reference §3.4：正文与上年报告相同达80%%以上应提示）")
            % {"share": result.copied_percent}
        )
    return result


def _same_body(a: str, b: str) -> bool:
    """The same body when one name contains the other (平潭综合实验区管委会 and 平潭综合实验区)."""
    a, b = _squash(a), _squash(b)
    return a in b or b in a


def cross_year(old: Result, new: Result, new_doc: TextDocument) -> list[Finding]:
    """The cross-year findings of the rules with last year's report as ``previous``."""
    from gongkai.checker import rules

    doc: Any = new_doc  # narrative.TextDocument declares settable attributes; a Document's are read-only
    return [f for f in rules.check(new, doc, previous=old) if f.rule.startswith(CROSS_YEAR)]


def _table_key(table: str, fmt: str) -> str:
    """A provincial table's title without its year and spaces (the title of each year names the year)."""
    if fmt in ("2014", "2019", "2021"):
        return table
    return re.sub(r"\d{4}\s*年度?|\s", "", table)


def _keyed(result: Result) -> dict[tuple[str, str, str], Cell]:
    out: dict[tuple[str, str, str], Cell] = {}
    for cell in result.cells:
        out.setdefault((_table_key(cell.table, result.format), cell.row, cell.column), cell)
    return out


def _cells(result: Comparison, old: Result, new: Result) -> None:
    before, after = _keyed(old), _keyed(new)
    cited = _cited(result.findings)
    if result.same_format:
        keys = list(dict.fromkeys([*after, *before]))
    else:
        keys = [k for k in after if k in before]
        result.notes.append(
            _(
                "两年的报告格式不同（%(old)s → %(new)s）：只比较两年标签相同的%(n)d个单元格，"
                "其余单元格无法对应，未作比较"
            )
            % {"old": old.format, "new": new.format, "n": len(keys)}
        )
    for key in keys:
        was, now = before.get(key), after.get(key)
        shown = now or was
        assert shown is not None
        if (was is not None and was.ambiguous) or (now is not None and now.ambiguous):
            result.unknown.append(shown.key)
            continue
        if was is not None and now is not None:
            result.compared += 1
            if _same(was.value, now.value):
                continue
            kind: ChangeKind = "changed"
        else:
            kind = "added" if now is not None else "removed"
        result.cells.append(
            CellChange(
                shown.table,
                shown.row,
                shown.column,
                was.value if was else None,
                now.value if now else None,
                kind,
                rule=explain(shown, before, old.format),
                finding=cited.get(shown.key, ""),
            )
        )


def _same(a: Number | None, b: Number | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return _exact(a) == _exact(b)


def _cited(findings: Iterable[Finding]) -> dict[tuple[str, str, str], str]:
    out: dict[tuple[str, str, str], str] = {}
    for finding in findings:
        for cell in finding.cells:
            out.setdefault(cell.key, finding.message)
    return out


def explain(cell: Cell, before: dict[tuple[str, str, str], Cell], old_format: str) -> str:
    """The statutory rule that ties this cell to last year's report, with last year's figure it must follow."""
    if cell.table == T3 and cell.row == CARRIED_IN:
        last = before.get((T3, CARRIED_OUT, cell.column))
        return _("§3.4规则5：本年“上年结转”应等于上年报告的“结转下年度继续办理”（上年为%(last)s）") % {
            "last": _shown(last)
        }
    if cell.table == T2 and cell.column == IN_FORCE:
        return _("§3.4（提示性规则）：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数")
    if cell.table == T2 and cell.column == LAST_YEAR_ITEMS:
        return _("2019年格式：本年“上一年项目数量”应等于上年的上一年项目数量加上年“本年增/减”")
    if cell.column == CUMULATIVE or cell.column.endswith(CUMULATIVE):
        return _("历年累计数 = 上年历年累计数 + 本年度数（机构合并时可能重新起算）")
    if old_format != "" and cell.table == T3 and cell.row == CARRIED_OUT:
        return _("§3.4规则5：本年“结转下年度继续办理”将成为下一年报告的“上年结转”")
    return ""


def _shown(cell: Cell | None) -> str:
    if cell is None:
        return _("未列出")
    if cell.value is None:
        return _("空白")
    return str(_plain(cell.value))


# Paragraphs ------------------------------------------------------------------------------------------------


def paragraphs(doc: TextDocument) -> list[tuple[str, str]]:
    """The narrative paragraphs of a report as (simplified and squashed, as printed): one per line, table rows
    (cells joined by " | " or tabs) and page chrome left out; a flattened page's long line split at the ends of
    sentences."""
    out: list[tuple[str, str]] = []
    printed_lines = doc.text.split("\n")
    simple_lines = doc.simplified.split("\n")
    if len(simple_lines) != len(printed_lines):
        simple_lines = printed_lines
    for printed, simple in zip(printed_lines, simple_lines, strict=True):
        line = printed.strip()
        if not line or not CJK.search(simple):
            continue
        parts = _sentences(printed, simple) if len(line) > LONG_LINE else [(printed, simple)]
        for shown, plain in parts:
            shown = shown.strip()
            if (
                not shown
                or table_row(shown)
                or ADDRESS.match(shown)
                or (len(shown) < 60 and CHROME.search(plain))
            ):
                continue
            squashed = _squash(plain)
            if squashed and CJK.search(squashed):
                out.append((squashed, shown))
    return out


def _sentences(printed: str, simple: str) -> list[tuple[str, str]]:
    out = []
    start = 0
    for match in SENTENCE_END.finditer(simple):
        end = match.start()
        if end > start:
            out.append((printed[start:end], simple[start:end]))
            start = end
    if start < len(simple):
        out.append((printed[start:], simple[start:]))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paragraphs(result: Comparison, old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> None:
    matcher = difflib.SequenceMatcher(None, [p for p, _s in old], [p for p, _s in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.unchanged_paragraphs += i2 - i1
            continue
        result.paragraphs += _pair(old[i1:i2], new[j1:j2])


def _pair(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> list[ParagraphChange]:
    """A block of removed and added paragraphs: those alike (ratio ≥ PAIR_RATIO, in order) are one paragraph
    changed; the rest removed or added, in document order."""
    out: list[ParagraphChange] = []
    j = 0
    for old_plain, old_shown in old:
        best, best_ratio = -1, PAIR_RATIO
        for k in range(j, len(new)):
            ratio = difflib.SequenceMatcher(None, old_plain, new[k][0], autojunk=False).ratio()
            if ratio >= best_ratio:
                best, best_ratio = k, ratio
        if best < 0:
            out.append(ParagraphChange("removed", old=old_shown))
            continue
        out += [ParagraphChange("added", new=shown) for _p, shown in new[j:best]]
        out.append(ParagraphChange("changed", old=old_shown, new=new[best][1]))
        j = best + 1
    out += [ParagraphChange("added", new=shown) for _p, shown in new[j:]]
    return out


def copied_share(old: Sequence[str], new: Sequence[str], run: int = COPY_RUN) -> tuple[int, int]:
    """(characters of ``new`` in a run of at least ``run`` characters also found in ``old``, all characters of
    ``new``); a run never crosses a paragraph break; a paragraph shorter than ``run`` counts as copied when it
    is one of last year's paragraphs as it is."""
    shingles = {p[i : i + run] for p in old for i in range(len(p) - run + 1)}
    whole = set(old)
    copied = total = 0
    for paragraph in new:
        total += len(paragraph)
        if len(paragraph) < run:  # a short paragraph (a heading) counts when last year printed it as it is
            copied += len(paragraph) if paragraph in whole else 0
            continue
        marked = [False] * len(paragraph)
        for i in range(len(paragraph) - run + 1):
            if paragraph[i : i + run] in shingles:
                for k in range(i, i + run):
                    marked[k] = True
        copied += sum(marked)
    return copied, total


# Rendering -------------------------------------------------------------------------------------------------


def _exact(value: Number) -> int | Decimal:
    return Decimal(str(value)) if isinstance(value, float) else value


def _plain(value: Number | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    exact = Decimal(str(value))
    if exact == exact.to_integral_value():
        return int(exact)
    return float(exact)


def number(value: Number | None) -> str:
    """A figure as shown: blank for None, a signed difference kept as computed."""
    if value is None:
        return _("空白")
    return str(_plain(value))


def signed(value: Number | None) -> str:
    if value is None:
        return ""
    plain = _plain(value)
    assert plain is not None
    return f"+{plain}" if plain > 0 else str(plain)


def title(comparison: Comparison) -> str:
    return _("%(body)s政府信息公开工作年度报告逐年比较（%(old)s年 → %(new)s年）") % {
        "body": comparison.new_body or comparison.old_body,
        "old": comparison.old_year or "?",
        "new": comparison.new_year or "?",
    }


def kind_label(kind: str) -> str:
    return {"changed": _("修改"), "added": _("新增"), "removed": _("删除")}[kind]


def to_text(comparison: Comparison) -> str:
    """The comparison as the command prints it."""
    c = comparison
    lines = [title(c)]
    lines.append(
        _("上年：%(body)s %(year)s年（%(fmt)s格式）；本年：%(nbody)s %(nyear)s年（%(nfmt)s格式）")
        % {
            "body": c.old_body,
            "year": c.old_year,
            "fmt": c.old_format,
            "nbody": c.new_body,
            "nyear": c.new_year,
            "nfmt": c.new_format,
        }
    )
    lines += [f"* {note}" for note in c.notes]
    lines.append("")
    lines.append(
        _("一、表格（比较%(n)d个单元格，%(changed)d处变化）") % {"n": c.compared, "changed": len(c.cells)}
    )
    for change in c.cells:
        lines.append(
            f"  [{kind_label(change.kind)}] {change.table} | {change.row} | {change.column}: "
            f"{number(change.old)} → {number(change.new)}"
            + (f"（{signed(change.difference)}）" if change.difference is not None else "")
        )
        for why in (change.rule, change.finding):
            if why:
                lines.append(f"      {why}")
    for table, row, column in c.unknown:
        lines.append("  " + _("[无法比较：数字粘连] %(where)s") % {"where": f"{table} | {row} | {column}"})
    lines.append("")
    lines.append(
        _("二、正文（%(n)d段相同，%(changed)d处变化；本年正文%(share)s与上年相同）")
        % {"n": c.unchanged_paragraphs, "changed": len(c.paragraphs), "share": c.copied_percent}
    )
    for p in c.paragraphs:
        if p.kind == "changed":
            lines.append(f"  [{kind_label(p.kind)}] - {p.old}")
            lines.append(f"         + {p.new}")
        elif p.kind == "added":
            lines.append(f"  [{kind_label(p.kind)}] + {p.new}")
        else:
            lines.append(f"  [{kind_label(p.kind)}] - {p.old}")
    lines.append("")
    lines.append(_("三、跨年度衔接检查（%(n)d项问题）") % {"n": len(c.findings)})
    for f in c.findings:
        severity = _("错误") if f.severity == "error" else _("提示")
        lines.append(f"  [{severity}] {f.rule}: {f.message}")
    return "\n".join(lines)


def to_docx(comparison: Comparison) -> bytes:
    """The comparison as a DOCX (python-docx); every text through ``exportsafe.xml_text``."""
    from docx import Document

    c = comparison
    document = Document()
    document.add_heading(xml_text(title(c)), level=1)
    for note in c.notes:
        document.add_paragraph(xml_text(note), style="List Bullet")
    _docx_cells(document, c)
    _docx_paragraphs(document, c)
    document.add_heading(xml_text(_("三、跨年度衔接检查（%(n)d项问题）") % {"n": len(c.findings)}), level=2)
    if not c.findings:
        document.add_paragraph(xml_text(_("未发现跨年度衔接问题。")))
    for f in c.findings:
        severity = _("错误") if f.severity == "error" else _("提示")
        document.add_paragraph(xml_text(f"【{severity}】{f.rule}：{f.message}"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_cells(document: Any, c: Comparison) -> None:
    """Part 一: every changed cell with both years' values and why it changed; the cells not comparable."""
    document.add_heading(
        xml_text(
            _("一、表格（比较%(n)d个单元格，%(changed)d处变化）") % {"n": c.compared, "changed": len(c.cells)}
        ),
        level=2,
    )
    if c.cells:
        table = document.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        heads = (_("表格"), _("行"), _("列"), f"{c.old_year or ''}", f"{c.new_year or ''}", _("变化与依据"))
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.text = xml_text(str(text))
        for change in c.cells:
            row = table.add_row().cells
            why = "；".join(
                x
                for x in (kind_label(change.kind), signed(change.difference), change.rule, change.finding)
                if x
            )
            texts = (change.table, change.row, change.column, number(change.old), number(change.new), why)
            for cell, text in zip(row, texts, strict=True):
                cell.text = xml_text(text)
    for where in c.unknown:
        document.add_paragraph(xml_text(_("无法比较（数字粘连）：") + " | ".join(where)))


def _docx_paragraphs(document: Any, c: Comparison) -> None:
    """Part 二: the paragraphs added (underlined, green), removed (struck, red) and changed (both, by piece)."""
    from docx.shared import RGBColor

    document.add_heading(
        xml_text(
            _("二、正文（%(n)d段相同，%(changed)d处变化；本年正文%(share)s与上年相同）")
            % {"n": c.unchanged_paragraphs, "changed": len(c.paragraphs), "share": c.copied_percent}
        ),
        level=2,
    )
    red, green = RGBColor(0xB0, 0x00, 0x20), RGBColor(0x00, 0x6B, 0x2E)

    def piece(para: Any, kind: str, text: str) -> None:
        run = para.add_run(xml_text(text))
        if kind == "removed":
            run.font.strike, run.font.color.rgb = True, red
        elif kind == "added":
            run.font.underline, run.font.color.rgb = True, green

    for p in c.paragraphs:
        para = document.add_paragraph()
        para.add_run(xml_text(f"【{kind_label(p.kind)}】")).bold = True
        if p.kind == "changed":
            for kind, text in p.pieces():
                piece(para, kind, text)
        elif p.kind == "added":
            piece(para, "added", p.new)
        else:
            piece(para, "removed", p.old)
