"""Reading a published report: ``.txt``, ``.html``/``.htm``, ``.docx`` and ``.pdf`` into lines of text
(report-checker issue, Deliver 1; docs/checker-input.md).

``Document.text`` is the report as printed, Traditional script kept: one paragraph per line, one table row per
line with its cells joined by `` | `` (a label cell spanning several rows or columns appears only in the first
row it covers, as ../shared/reports/pingtan-2021.txt was rendered from HTML). ``Document.simplified`` is the
same text converted character by character (opencc t2s; full-width digits, letters and the ideographic space to
ASCII): same length, same offsets, so a position found in one is the position in the other.

The type is told by the file's signature first (``%PDF``, a ZIP with ``word/document.xml``, an OLE container,
HTML tags), the name's extension second. Anything that cannot be read raises :class:`UnreadableReport` with one
clear line (empty, encrypted, corrupt, unsupported, too large, a ZIP bomb) — never a traceback.

PDFs are read with poppler's ``pdftotext -layout`` (Debian ``poppler-utils``, installed by scripts/setup.sh's
callers): it keeps a table's columns apart by runs of spaces, which the tables module splits, and it runs as a
separate process with a time limit, so a hostile PDF cannot take the web process down.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

Source = str  # "txt" | "html" | "docx" | "pdf"

PDF_TIMEOUT_SECONDS = 60
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_RATIO = 200  # uncompressed / compressed of one entry (XML compresses ~10-20×; a bomb ~1000×)


class UnreadableReport(Exception):
    """The file cannot be read as a report; ``message`` is one Chinese line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Document:
    text: str
    simplified: str
    source: Source

    @classmethod
    def from_text(cls, text: str, source: Source = "txt") -> Document:
        return cls(text=text, simplified=simplify(text), source=source)


def max_bytes() -> int:
    return int(getattr(settings, "GONGKAI_CHECKER_MAX_BYTES", 20 * 1024 * 1024))


# Simplified text ---------------------------------------------------------------------------------------------


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _simple_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if ch == "\u3000":
        return " "
    if code < 0x2E80:  # below the CJK blocks: nothing to convert
        return ch
    converted = str(_t2s().convert(ch))
    return converted if len(converted) == 1 else ch


# Words a character-by-character conversion leaves Traditional, because their characters are also Simplified
# ones (覆 in 答覆 is Simplified 复 here, but 覆 also in 覆盖): replaced as words, of the same length.
_WORDS = {"答覆": "答复", "回覆": "回复", "批覆": "批复", "函覆": "函复"}
_WORD = re.compile("|".join(_WORDS))


def simplify(text: str) -> str:
    """opencc t2s character by character (a conversion that would change the length keeps the character),
    full-width digits and letters and U+3000 to ASCII, and the few words of ``_WORDS``: the result has the
    length and offsets of ``text``."""
    return _WORD.sub(lambda m: _WORDS[m.group(0)], "".join(_simple_char(ch) for ch in text))


# Entry points -------------------------------------------------------------------------------------------------


def read_path(path: str | Path) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableReport(_("找不到文件或无法打开：%(name)s") % {"name": path.name}) from exc
    if size > max_bytes():
        raise UnreadableReport(_too_large(size))
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> Document:
    """Read a report's bytes (``filename`` only hints at the type: the signature decides)."""
    if not data or not data.strip():
        raise UnreadableReport(_("文件是空的"))
    if len(data) > max_bytes():
        raise UnreadableReport(_too_large(len(data)))
    kind = sniff(data, filename)
    text = {"pdf": _read_pdf, "docx": _read_docx, "html": _read_html, "txt": _read_txt}[kind](data)
    text = _tidy(text)
    if not text.strip():
        raise UnreadableReport(_("文件中没有可读取的文字"))
    return Document.from_text(text, kind)


def _too_large(size: int) -> str:
    return _("文件过大（%(size)s MB），单个文件最大 %(limit)s MB") % {
        "size": f"{size / 1048576:.1f}",
        "limit": f"{max_bytes() / 1048576:.0f}",
    }


_HTML_TAG = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|p|div|table|br|span|title)\b", re.I)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UNSUPPORTED = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"{\\rtf": "RTF",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
    b"\x1f\x8b": "gzip",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}


def sniff(data: bytes, filename: str = "") -> Source:
    """The file's type from its signature (the extension only decides between text and HTML when the bytes
    say nothing). Raises UnreadableReport for encrypted Office files, old binary formats and non-reports."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnreadableReport(_("文件已加密（设有打开密码），无法读取，请提供未加密的文件"))
        raise UnreadableReport(_("不支持旧版 Word/Excel（.doc/.xls）文件，请另存为 .docx 或 PDF 后再上传"))
    for magic, name in _UNSUPPORTED.items():
        if data.startswith(magic):
            raise UnreadableReport(
                _("不支持的文件类型（%(kind)s），请上传 .txt、.html、.docx 或 .pdf 文件") % {"kind": name}
            )
    suffix = Path(filename).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml", ".shtml"} or _looks_html(data, strict=suffix == ".txt"):
        return "html"
    if suffix in {".pdf", ".docx", ".doc", ".xls", ".xlsx", ".zip", ".wps", ".ofd"}:
        raise UnreadableReport(_("文件已损坏或与扩展名“%(suffix)s”不符，无法读取") % {"suffix": suffix})
    return "txt"


def _looks_html(data: bytes, *, strict: bool) -> bool:
    """A page starts with markup (<!DOCTYPE, <html, <meta, a comment...). A file named .txt must start so; any
    other name may also hold an <html> or <body> tag further on. Rendered text that merely mentions a tag
    (shanghai-2019.txt describes its "<p>" conversion) stays text."""
    head = data[:4096]
    for bom, _encoding in _BOMS[:1]:
        head = head.removeprefix(bom)
    head = head.lstrip()
    if head.startswith(b"<") and _HTML_TAG.search(head):
        return True
    return not strict and re.search(rb"<(?:html|body)\b[^>]*>", head, re.I) is not None


def _sniff_zip(data: bytes) -> Source:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableReport(_("文件已损坏，无法读取")) from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise UnreadableReport(_("不支持 Excel 文件，请上传报告全文（.docx、.pdf、.html 或 .txt）"))
    raise UnreadableReport(_("不支持的文件类型（ZIP 压缩包），请上传 .txt、.html、.docx 或 .pdf 文件"))


def check_zip(archive: zipfile.ZipFile, limit: int) -> None:
    """Refuse a ZIP bomb before anything is unpacked: too many entries, too much in total, or an entry that
    would expand far beyond what real documents do."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise UnreadableReport(_("压缩文件条目过多，疑似恶意文件，已拒绝"))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limit or (info.file_size > 1_000_000 and ratio > ZIP_MAX_RATIO):
            raise UnreadableReport(_("压缩文件解压后过大，疑似恶意文件（ZIP 炸弹），已拒绝"))


# Text ---------------------------------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Characters every report uses, in both scripts: the better decoding has more of them.
_COMMON = "的年政府信息公开申请报告情况本度机关工作数量依法处理一二三四五六七八九十个件条项和为在对及予以不上下中人部门行复议诉讼网站主动发布总计结果其他有无合"


@cache
def _common_chars() -> frozenset[str]:
    traditional: str = _s2t().convert(_COMMON)
    return frozenset(_COMMON + traditional)


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def decode_text(data: bytes) -> str:
    """Decode a text file: a BOM first (UTF-8, UTF-16, UTF-32), then strict UTF-8, then whichever of GB18030
    and Big5 (cp950) decodes strictly and reads most like a report."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableReport(_("文件编码损坏，无法读取")) from exc
    if _looks_utf16(data):
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _score(text) > 0:
                return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "cp950"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), encoding == "gb18030", text))
    if candidates:
        return max(candidates)[2]
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise UnreadableReport(_("无法识别文件的文字编码（支持 UTF-8、GB18030/GBK、Big5、UTF-16）"))
    return text


def _looks_utf16(data: bytes) -> bool:
    sample = data[:2000]
    return len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4


def _score(text: str) -> float:
    cjk = [ch for ch in text[:20000] if ord(ch) >= 0x2E80]
    if not cjk:
        return 0.0
    common = _common_chars()
    weird = sum(1 for ch in cjk if 0xE000 <= ord(ch) <= 0xF8FF or ord(ch) > 0xFFFF)
    return (sum(1 for ch in cjk if ch in common) - 5 * weird) / len(cjk)


def _read_txt(data: bytes) -> str:
    if b"\x00" in data[:4096] and not _looks_utf16(data) and not data.startswith(tuple(b for b, _e in _BOMS)):
        raise UnreadableReport(_("不是文本文件，无法读取（支持 .txt、.html、.docx、.pdf）"))
    return decode_text(data)


def _tidy(text: str) -> str:
    """Line ends to \\n, NUL and other C0 controls except tab removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


# HTML ---------------------------------------------------------------------------------------------------------

_DROP = {"script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
         "select", "option", "textarea", "iframe", "object", "embed", "svg", "canvas", "map", "head"}  # fmt: skip
_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "source", "track", "wbr", "param"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
          "article", "main", "blockquote", "pre", "address", "figure", "figcaption", "center", "caption",
          "tr", "table", "tbody", "thead", "tfoot", "hr", "body", "html"}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str]
    parent: _Node | None = None


class _TreeBuilder(HTMLParser):
    """A tolerant tree of the page (html.parser): unclosed <p>, <td>, <tr>, <li> are closed as browsers do."""

    # A start tag closes an open element of these kinds, looking no further up than the boundary tags.
    _CLOSES: dict[str, tuple[set[str], set[str]]] = {
        "p": ({"p"}, {"td", "th", "table", "div", "li", "#root"}),
        "table": ({"p"}, {"td", "th", "div", "li", "#root"}),
        "div": ({"p"}, {"td", "th", "table", "div", "li", "#root"}),
        "li": ({"li"}, {"ul", "ol", "table", "#root"}),
        "td": ({"td", "th"}, {"tr", "table", "#root"}),
        "th": ({"td", "th"}, {"tr", "table", "#root"}),
        "tr": ({"tr"}, {"table", "tbody", "thead", "tfoot", "#root"}),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, [])
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rule = self._CLOSES.get(tag)
        if rule is not None:
            closes, boundary = rule
            node: _Node | None = self.current
            while node is not None and node.tag not in closes and node.tag not in boundary:
                node = node.parent
            if node is not None and node.tag in closes and node.parent is not None:
                self.current = node.parent
        child = _Node(tag, {k: v or "" for k, v in attrs}, [], self.current)
        self.current.children.append(child)
        if tag not in _VOID:
            self.current = child

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(_Node(tag, {k: v or "" for k, v in attrs}, [], self.current))

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.current
        while node is not None and node.tag != tag:
            if node.tag == "table" and tag != "table":
                return  # a stray end tag does not leave a table
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def decode_html(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950"}.get(name, name)
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


# Page chrome marked by a class or id of its own (the report is never wrapped in one of these).
_CHROME = frozenset(
    {"nav", "navbar", "menu", "breadcrumb", "crumbs", "footer", "copyright", "sidebar", "share"}
)


def _hidden(node: _Node) -> bool:
    """Not shown (hidden, display:none) or page chrome (navigation, breadcrumbs, footer, share buttons)."""
    style = node.attrs.get("style", "").replace(" ", "").lower()
    if "hidden" in node.attrs or "display:none" in style or node.attrs.get("aria-hidden") == "true":
        return True
    tokens = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".lower().replace("_", "-").split()
    return any(token in _CHROME for token in tokens) or node.attrs.get("role") == "navigation"


def _has_table(node: _Node) -> bool:
    return any(isinstance(c, _Node) and (c.tag == "table" or _has_table(c)) for c in node.children)


def _join(parts: list[str]) -> str:
    """Pieces of one cell or line: no space between Chinese pieces, one between two Latin words."""
    out = ""
    for part in parts:
        if (
            out
            and part
            and out[-1].isascii()
            and out[-1].isalnum()
            and part[0].isascii()
            and part[0].isalnum()
        ):
            out += " "
        out += part
    return out


def _inline_text(node: _Node) -> str:
    """The text of a table cell: whitespace collapsed, <br> and paragraphs inside the cell joined."""
    pieces: list[str] = []

    def walk(n: _Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                pieces.append(child)
            elif child.tag not in _DROP and not _hidden(child):
                if child.tag in _BLOCK or child.tag in {"br", "td", "th"}:
                    pieces.append("\x00")
                walk(child)
                if child.tag in _BLOCK:
                    pieces.append("\x00")

    walk(node)
    chunks = [re.sub(r"\s+", " ", c).strip() for c in "".join(pieces).split("\x00")]
    return _join([c for c in chunks if c])


def _raw_text(node: _Node) -> str:
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag not in _DROP:
            parts.append(_raw_text(child))
    return "".join(parts)


class _HtmlRenderer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        line = re.sub(r"[ \t\n\r\f\u00a0]+", " ", "".join(self.buffer)).strip()
        if line:
            self.lines.append(line)
        self.buffer = []

    def render(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(child)
                continue
            if child.tag in _DROP or _hidden(child):
                continue
            if child.tag == "br":
                self.flush()
            elif child.tag == "pre":  # preformatted (a table typed with spaces): its lines as they are
                self.flush()
                self.lines.extend(line.rstrip() for line in _raw_text(child).split("\n") if line.strip())
            elif child.tag == "table" and not _has_table(child):
                self.flush()
                self.table(child)
            elif child.tag in _BLOCK or child.tag in {"td", "th", "table"}:
                self.flush()
                self.render(child)
                self.flush()
            else:
                self.render(child)

    def table(self, table: _Node) -> None:
        """One line per row, its own cells joined by " | " (a spanned cell is only in the row that holds it)."""
        caption = next((c for c in table.children if isinstance(c, _Node) and c.tag == "caption"), None)
        if caption is not None and _inline_text(caption):
            self.lines.append(_inline_text(caption))
        for row in _rows(table):
            cells = [_inline_text(c) for c in row.children if isinstance(c, _Node) and c.tag in {"td", "th"}]
            if any(cells):
                self.lines.append(" | ".join(cells))


def _rows(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                yield child
            elif child.tag in {"thead", "tbody", "tfoot"}:
                yield from _rows(child)


def html_to_text(markup: str) -> str:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    renderer = _HtmlRenderer()
    renderer.render(builder.root)
    renderer.flush()
    lines = renderer.lines
    title = _find(builder.root, "title")
    if title is not None:
        heading = _inline_text(title)
        if heading and not any(heading in line for line in lines[:20]):
            lines.insert(0, heading)
    return "\n".join(lines)


def _find(node: _Node, tag: str) -> _Node | None:
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                return child
            found = _find(child, tag)
            if found is not None:
                return found
    return None


def _read_html(data: bytes) -> str:
    return html_to_text(decode_html(data))


# DOCX ---------------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _read_docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, limit=max(10 * max_bytes(), 100 * 1024 * 1024))
            bad = archive.testzip()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableReport(_("DOCX 文件已损坏，无法读取")) from exc
    if bad is not None:
        raise UnreadableReport(_("DOCX 文件已损坏，无法读取"))
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        numbering = _Numbering(document)
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise UnreadableReport(_("DOCX 文件已损坏，无法读取")) from exc
    lines: list[str] = []
    _docx_blocks(body, lines, numbering)
    return "\n".join(lines)


def _docx_blocks(container: Any, lines: list[str], numbering: _Numbering | None = None) -> None:
    for element in container.iterchildren():
        tag = element.tag
        if tag == f"{_W}p":
            label = numbering.label(element) if numbering is not None else ""
            text = label + _docx_paragraph(element)
            lines.extend(line for line in text.split("\n") if line.strip())
        elif tag == f"{_W}tbl":
            _docx_table(element, lines)
        elif tag in {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"}:
            _docx_blocks(element, lines, numbering)


_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三, 105 → 一百零五 (Word's chineseCounting, up to 9999)."""
    if n <= 0 or n > 9999:
        return str(n)
    parts: list[str] = []
    gap = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            parts.extend(["零"] if gap else [])
            parts.append(_CHINESE_DIGITS[digit] + unit)
            gap = False
        elif parts:
            gap = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _letters(n: int, upper: bool) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out if upper else out.lower()


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out, n = out + numeral, n - value
    return out


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "chineseCounting": chinese_number,
    "chineseCountingThousand": chinese_number,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "upperLetter": lambda n: _letters(n, True),
    "lowerLetter": lambda n: _letters(n, False),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
}


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int


class _Numbering:
    """Word's automatic numbering (numbering.xml): the "一、" or "（二）" a heading shows is not in its text, so
    it is rebuilt here, counting each list's levels in document order (a level restarts when a higher one
    moves on). Bullets and unknown formats give nothing; a document without numbering gives nothing."""

    def __init__(self, document: Any) -> None:
        self.lists: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, _Level]] = {}
        for definition in root.iterchildren(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in definition.iterchildren(f"{_W}lvl"):
                levels[_int(lvl.get(f"{_W}ilvl"), 0)] = _Level(
                    _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", _int(_val(lvl, "start"), 1)
                )
            abstract[definition.get(f"{_W}abstractNumId") or ""] = levels
        for num in root.iterchildren(f"{_W}num"):
            self.lists[num.get(f"{_W}numId") or ""] = abstract.get(_val(num, "abstractNumId") or "", {})

    def label(self, p: Any) -> str:
        props = p.find(f"{_W}pPr")
        num = props.find(f"{_W}numPr") if props is not None else None
        if num is None:
            return ""
        list_id, level = _val(num, "numId") or "", _int(_val(num, "ilvl"), 0)
        levels = self.lists.get(list_id)
        if not levels or level not in levels:
            return ""
        counts = self.counters.setdefault(list_id, {})
        counts[level] = counts.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            spec = levels.get(at)
            if spec is None or spec.fmt not in _FORMATS:
                return ""
            return str(_FORMATS[spec.fmt](counts.get(at, spec.start)))

        if levels[level].fmt not in _FORMATS:  # a bullet, or a format not worth spelling
            return ""
        return re.sub(r"%([1-9])", number, levels[level].text)


def _val(element: Any, child: str) -> str | None:
    found = element.find(f"{_W}{child}")
    return None if found is None else found.get(f"{_W}val")


def _int(text: str | None, default: int) -> int:
    return int(text) if text is not None and text.lstrip("-").isdigit() else default


def _docx_paragraph(p: Any) -> str:
    out: list[str] = []

    def walk(node: Any) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in {
                f"{_W}del",
                f"{_W}instrText",
                f"{_W}delText",
                _MC_FALLBACK,
            }:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in {f"{_W}br", f"{_W}cr"}:
                out.append("\n")
            elif tag == f"{_W}p":  # a text box's paragraph inside a run
                out.append("\n")
                walk(child)
                out.append("\n")
            else:
                walk(child)

    walk(p)
    return "".join(out).rstrip()


def _docx_table(tbl: Any, lines: list[str]) -> None:
    rows = [tr for tr in tbl.iterchildren(f"{_W}tr")]
    nested = any(inner is not tbl for inner in tbl.iter(f"{_W}tbl"))
    for tr in rows:
        cells = []
        for tc in _docx_row_cells(tr):
            props = tc.find(f"{_W}tcPr")
            merge = props.find(f"{_W}vMerge") if props is not None else None
            if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                continue  # the rest of a vertically merged cell: shown in its first row only
            if nested:
                _docx_blocks(tc, lines)
                continue
            texts = [_docx_paragraph(p).replace("\n", "") for p in tc.iter(f"{_W}p")]
            cells.append(re.sub(r"[ \t]+", " ", _join([t.strip() for t in texts if t.strip()])))
        if not nested and any(cells):
            lines.append(" | ".join(cells))


def _docx_row_cells(tr: Any) -> Iterator[Any]:
    for child in tr.iterchildren():
        if child.tag == f"{_W}tc":
            yield child
        elif child.tag in {f"{_W}sdt", f"{_W}customXml"}:
            content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if content is not None:
                yield from _docx_row_cells(content)


# PDF ----------------------------------------------------------------------------------------------------------

_GAP = re.compile(r"\S {2,}\S")
_END = tuple("。：:；;！!？?")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def _read_pdf(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise UnreadableReport(_("服务器未安装 PDF 读取工具（poppler-utils），无法读取 PDF 文件"))
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(data)
        try:
            done = subprocess.run(  # noqa: S603 - fixed tool, the file is ours
                [tool, "-layout", "-enc", "UTF-8", str(source), "-"],
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise UnreadableReport(_("PDF 文件读取超时，无法读取")) from exc
    errors = done.stderr.decode("utf-8", errors="replace").lower()
    if done.returncode != 0:
        if "password" in errors or (b"/Encrypt" in data and done.returncode in (1, 3)):
            raise UnreadableReport(_("PDF 文件已加密（设有密码或禁止复制），无法读取，请提供未加密的文件"))
        raise UnreadableReport(_("PDF 文件已损坏，无法读取"))
    text = done.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise UnreadableReport(_("PDF 中没有可提取的文字（可能是扫描图片），无法读取"))
    return pdf_lines(text)


_WORDS_APART = re.compile(r"[\u3400-\u9fff] [\u3400-\u9fff]")  # Chinese words apart by a space
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?)\s*$"
)


def _without_page_breaks(text: str) -> list[str]:
    """The lines of pdftotext's output with its pages run together: the blank lines and page numbers
    (“- 3 -”, “第3页 共8页”) around a form feed dropped, so a paragraph cut by the page's end is joined again."""
    lines: list[str] = []
    for n, page in enumerate(text.split("\f")):
        page_lines = [line.rstrip() for line in page.split("\n")]
        if n > 0:
            while page_lines and (not page_lines[0].strip() or _PAGE_NUMBER.match(page_lines[0])):
                page_lines.pop(0)
        while lines and (not lines[-1].strip() or _PAGE_NUMBER.match(lines[-1])):
            lines.pop()
        lines += page_lines
    return lines


def pdf_lines(text: str) -> str:
    """pdftotext -layout output as lines: pages joined, trailing spaces removed, paragraph lines wrapped by
    the page width joined again; a table row (cells apart by two or more spaces) keeps its spacing."""
    raw = _without_page_breaks(text)
    text_lines = [line.strip() for line in raw if line.strip() and not _GAP.search(line.strip())]
    width = max((_columns(line) for line in text_lines), default=0)
    out: list[str] = []
    joinable = False
    previous = ""
    for line in raw:
        if not line.strip():
            joinable = False
            continue
        table_like = bool(_GAP.search(line.strip()))
        stripped = line if table_like else line.strip()
        # a page flattened to words apart by spaces (a copied web page) is not joined: whether the wrap fell
        # between two words or inside one cannot be told, and a line's end is a word's end for the tables
        apart = bool(_WORDS_APART.search(previous) or _WORDS_APART.search(stripped))
        if joinable and not table_like and not _HEADING.match(stripped) and not apart:
            out[-1] = _join([out[-1], stripped])
        else:
            out.append(stripped)
        previous = stripped
        joinable = (
            not table_like
            and width >= 20
            and _columns(stripped) >= 0.8 * width
            and not stripped.endswith(_END)
        )
    return "\n".join(out)


def _columns(line: str) -> int:
    """How wide a line prints: a Chinese character takes two columns, a Latin letter or digit one. Counting
    characters would make a line of a web address (page chrome) look wider than a full line of Chinese text,
    and no wrapped line of the text would be joined again."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
