"""Reading publication files: the column mapping, decoding, CSV/XLSX/JSON readers, problems and progress.

CSV files from Chinese offices are often GB18030, Excel's default (statutory-reference §6): a CSV is read as
UTF-8 (with or without BOM) and otherwise as GB18030, unless ``--encoding`` names one. Every problem carries
where it is (CSV line, XLSX row, JSON item) and the column as the file names it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

Value = str | dt.date | list[str]
SUFFIXES = (".csv", ".xlsx", ".json")


@dataclass(frozen=True)
class Column:
    """One mapped column: its key (the JSON key), the header exports write, and header aliases."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    imported: bool = True  # False: written by exports for information, ignored on import


COLUMNS: tuple[Column, ...] = (
    Column("index_number", "索引号", required=True),
    Column("body", "机关代码", ("发布机关", "发布机关代码", "机关"), required=True),
    Column("publisher", "发布机构"),
    Column("title", "标题", ("文件名称", "名称"), required=True),
    Column("document_number", "文号", ("发文字号",)),
    Column("made_on", "成文日期", ("made",), required=True),
    Column("published", "发布日期", ("published_on", "公开日期")),
    Column("status", "状态"),
    Column("version", "版本", imported=False),
    Column("topic", "主题分类"),
    Column("genre", "体裁"),
    Column("key_area", "重点领域"),
    Column("keywords", "关键词", ("主题词",)),
    Column("description", "内容概述", ("摘要",)),
    Column("text", "正文"),
    Column("normative_kind", "规范性文件类别"),
    Column("issued_on", "印发日期"),
    Column("repealed_on", "废止日期"),
    Column("interprets", "解读对象", ("解读的政策文件",)),
    Column("channels", "发布渠道"),
    Column("reviewer", "审查人"),
    Column("reviewed_on", "审查日期"),
    Column("review_conclusion", "审查结论"),
    Column("review_note", "审查意见"),
)
BY_KEY = {c.key: c for c in COLUMNS}


def _normal_header(text: str) -> str:
    return text.replace("\ufeff", "").strip().strip("*＊").strip().lower().replace(" ", "_")


ALIASES: dict[str, str] = {
    _normal_header(name): c.key for c in COLUMNS for name in (c.key, c.header, *c.aliases)
}


@dataclass(frozen=True)
class Problem:
    """A bad row (or file): where (第12行, 第3条), the column as the file names it, and why."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [p for p in (self.where, f"“{self.field}”" if self.field else "") if p]
        return f"{''.join(parts)}：{self.message}" if parts else self.message


class ImportFailed(ValueError):
    """Nothing was written; ``problems`` lists every reason (``warnings`` what would only have been noted)."""

    def __init__(self, problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)
        self.warnings = list(warnings)


@dataclass
class SourceRow:
    where: str
    cells: dict[str, Value]  # header as written in the file -> value


@dataclass
class Table:
    headers: list[str]
    rows: list[SourceRow] = field(default_factory=list)


class Progress:
    """A plain progress bar on stderr: redrawn in place on a terminal, one line per tenth otherwise."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self._shown = -1

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        percent = 100 if not self.total else self.done * 100 // self.total
        step = percent if self.tty else percent // 10 * 10
        if step != self._shown:
            self._shown = step
            bar = "#" * (percent * 30 // 100)
            text = f"{self.label} [{bar:<30}] {percent:3d}% {self.done}/{self.total}"
            self.stream.write(f"\r{text}" if self.tty else f"{text}\n")
            self.stream.flush()

    def close(self) -> None:
        self.advance(self.total - self.done)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _undecodable(data: bytes, exc: UnicodeDecodeError, encoding: str) -> Problem:
    line = data[: exc.start].count(b"\n") + 1
    bad = data[exc.start : max(exc.end, exc.start + 1)][:4].hex(" ").upper()
    return Problem(
        _("第%(n)d行") % {"n": line},
        "",
        _("含有无法按%(enc)s解码的字节（%(bytes)s）") % {"enc": encoding, "bytes": bad},
    )


def decode(data: bytes, encoding: str | None = None) -> str:
    """UTF-8 (BOM-aware), else GB18030, or the forced encoding. A file that is UTF-8 up to a bad byte (it
    already had non-ASCII UTF-8 text, or a BOM) is reported at that byte, not read as GB18030 mojibake."""
    if encoding:
        name = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
        try:
            return data.decode(name)
        except LookupError as exc:
            raise ImportFailed([Problem("", "--encoding", _("未知编码“%(e)s”") % {"e": encoding})]) from exc
        except UnicodeDecodeError as exc:
            raise ImportFailed([_undecodable(data, exc, encoding)]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if data.startswith(b"\xef\xbb\xbf") or not data[: utf8_error.start].isascii():
        raise ImportFailed([_undecodable(data, utf8_error, "UTF-8")]) from utf8_error
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFailed([_undecodable(data, exc, "UTF-8/GB18030")]) from exc


def _cell(value: object) -> Value:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None]
    return str(value).strip()


def read_csv(text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader, [])
        table = Table([h.strip() for h in headers])
        last, line = reader.line_num, _("第%(n)d行")
        for values in reader:
            where, last = line % {"n": last + 1}, reader.line_num
            if any(v.strip() for v in values):
                table.rows.append(_csv_row(where, table.headers, values))
    except csv.Error as exc:
        raise ImportFailed([Problem(_("第%(n)d行") % {"n": reader.line_num}, "", str(exc))]) from exc
    return table


def _csv_row(where: str, headers: list[str], values: list[str]) -> SourceRow:
    """``_row`` for CSV, whose cells are all text."""
    if len(values) > len(headers):
        return _row(where, headers, values)
    return SourceRow(where, {h: v.strip() for h, v in zip(headers, values, strict=False) if h})


def _row(where: str, headers: list[str], values: Sequence[object]) -> SourceRow:
    cells = {h: _cell(v) for h, v in zip(headers, values, strict=False) if h}
    extra = [v for v in values[len(headers) :] if _cell(v)]
    if extra:
        cells[""] = _("多出%(n)d个没有表头的单元格") % {"n": len(extra)}
    return SourceRow(where, cells)


def read_xlsx(path: Path) -> Table:
    """The first worksheet; row 1 is the header (openpyxl in read-only mode, values not formulas)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise ImportFailed([Problem("", "", _("不是有效的XLSX文件：%(e)s") % {"e": exc})]) from exc
    try:
        rows: Iterator[tuple[object, ...]] = book.worksheets[0].iter_rows(values_only=True)
        table = Table([str(_cell(h)) for h in next(rows, ())])
        line = _("第%(n)d行")
        for number, values in enumerate(rows, start=2):
            if any(_cell(v) for v in values):
                table.rows.append(_row(line % {"n": number}, table.headers, values))
    finally:
        book.close()
    return table


def read_json(text: str) -> Table:
    """A list of objects; the headers are every key any object uses."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed([Problem(_("第%(n)d行") % {"n": exc.lineno}, "", exc.msg)]) from exc
    if not isinstance(items, list):
        raise ImportFailed([Problem("", "", _("JSON文件应为对象的列表"))])
    headers: dict[str, None] = {}
    table = Table([])
    problems = []
    for index, item in enumerate(items):
        where = _("第%(n)d条（[%(i)d]）") % {"n": index + 1, "i": index}
        if not isinstance(item, dict):
            problems.append(Problem(where, "", _("应为对象")))
            continue
        headers.update(dict.fromkeys(str(k) for k in item))
        table.rows.append(SourceRow(where, {str(k): _cell(v) for k, v in item.items()}))
    if problems:
        raise ImportFailed(problems)
    table.headers = list(headers)
    return table


def read_table(path: Path, encoding: str | None = None) -> Table:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportFailed([Problem("", "", _("文件类型应为 .csv、.xlsx 或 .json"))])
    if suffix == ".xlsx":
        return read_xlsx(path)
    text = decode(path.read_bytes(), encoding)
    return read_json(text) if suffix == ".json" else read_csv(text)


@dataclass
class Mapping:
    """The file's headers mapped to column keys (key -> header as the file writes it)."""

    headers: dict[str, str]
    warnings: list[Problem]

    def label(self, key: str) -> str:
        return self.headers.get(key) or BY_KEY[key].header


def map_headers(headers: Sequence[str]) -> Mapping:
    """Missing required columns and a column given twice are reported once, up front."""
    mapped: dict[str, str] = {}
    problems, warnings = [], []
    for header in headers:
        if not header.strip():
            continue
        key = ALIASES.get(_normal_header(header))
        if key is None:
            warnings.append(Problem("", header, _("不是可导入的列，已忽略")))
        elif key in mapped:
            problems.append(
                Problem("", header, _("与“%(other)s”是同一列") % {"other": mapped[key]}),
            )
        elif BY_KEY[key].imported:
            mapped[key] = header
    for column in COLUMNS:
        if column.required and column.key not in mapped:
            problems.append(Problem("", column.header, _("缺少必需的列")))
    if problems:
        raise ImportFailed(problems, warnings)
    return Mapping(mapped, warnings)
