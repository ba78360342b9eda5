"""DOCX of a frozen report in government document style (GB/T 9704-2012 conventions as the letters use
them): title centred in 方正小标宋简体 2号 (22pt, falling back to 宋体/Noto Serif CJK SC), body 仿宋_GB2312 3号
(16pt) with first-line indent, section headings in 黑体, bordered tables ("Table Grid") whose head keeps the
grouped columns of the official tables (colspan/rowspan merged), charts as PNG pictures.

Fallbacks: each East Asian face is set through ``w:rFonts w:eastAsia`` and declared in the font table with
``w:altName`` (仿宋_GB2312 → 仿宋/FangSong; 方正小标宋简体 → 宋体/SimSun; 黑体 → SimHei), so Word uses the
alternative on a machine without the GB2312 faces and LibreOffice on Linux maps them through fontconfig to
Noto Serif/Sans CJK SC."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from gongkai.reports.exports.common import Block, Table, charts, layout, notices
from gongkai.reports.exports.draw import chart_png

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
TABLE_FONT = "仿宋_GB2312"
ALT_NAMES = {
    BODY_FONT: "仿宋",
    TITLE_FONT: "宋体",
    HEADING_FONT: "SimHei",
    "Noto Serif CJK SC": "Source Han Serif SC",
}


def _font(run_or_style: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _declare_fallbacks(document: Any) -> None:
    """Font-table entries with alternative names (Word's substitution list) for the GB2312 faces."""
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name in (BODY_FONT, HEADING_FONT) else "roman"}"/>'
        f'<w:pitch w:val="variable"/></w:font>'
        for name, alt in ALT_NAMES.items()
    )
    blob: bytes = part.blob
    part._blob = blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def render_docx(frozen: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    _declare_fallbacks(document)
    document.core_properties.title = frozen["title"]

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(frozen["title"]), TITLE_FONT, 22)
    title.paragraph_format.line_spacing = Pt(36)
    for notice in notices(frozen):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(notice), BODY_FONT, 16)
    pictures = charts(frozen)
    for number, (heading, paragraphs, tables) in enumerate(layout(frozen)):
        h = document.add_paragraph()
        h.paragraph_format.first_line_indent = Pt(32)
        _font(h.add_run(heading), HEADING_FONT, 16)
        for text in paragraphs:
            p = document.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _font(p.add_run(text), BODY_FONT, 16)
        for table in tables:
            _table(document, table)
        if number == 0:
            for chart in pictures:
                _chart(document, chart)
    if not frozen.get("sections"):
        for chart in pictures:
            _chart(document, chart)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _chart(document: Any, chart: dict[str, Any]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15.5))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(caption.add_run(chart.get("title", "")), BODY_FONT, 12)


def _cell_text(cell: Any, text: str, *, bold: bool = False, align: str = "left", indent: int = 0) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.first_line_indent = Pt(0)
    if indent:
        p.paragraph_format.left_indent = Pt(9 * indent)
    _font(p.add_run(text), TABLE_FONT, 9, bold)


def _table(document: Any, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(caption.add_run(table.title), HEADING_FONT, 12)
    for block in table.blocks:
        _block(document, block)


def _block(document: Any, block: Block) -> None:
    """One bordered table: the head (指标 spanning the header rows, grouped columns merged), then the lines
    (a heading line spans the row). Text is written first through one list of cells — ``Table.cell()`` walks
    the whole table on every call — and the spans are merged afterwards."""
    head = len(block.header)
    ncols = len(block.columns) + 1
    grid = document.add_table(rows=head + len(block.lines), cols=ncols)
    grid.style = "Table Grid"
    cells = grid._cells
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = {(r, 0) for r in range(head)}
    _cell_text(cells[0], _("指标"), bold=True, align="center")
    if head > 1:
        merges.append((0, 0, head - 1, 0))
    for r, row in enumerate(block.header):
        c = 0
        for h in row:
            while (r, c) in taken:
                c += 1
            r2, c2 = min(r + h.rowspan, head) - 1, min(c + h.colspan, ncols) - 1
            _cell_text(cells[r * ncols + c], h.label, bold=True, align="center")
            if (r2, c2) != (r, c):
                merges.append((r, c, r2, c2))
            taken.update((rr, cc) for rr in range(r, r2 + 1) for cc in range(c, c2 + 1))
    for i, line in enumerate(block.lines):
        r = head + i
        if not line.displays:
            _cell_text(cells[r * ncols], line.label, bold=True, indent=line.depth)
            merges.append((r, 0, r, ncols - 1))
            continue
        _cell_text(cells[r * ncols], line.label, indent=line.depth)
        for c, display in enumerate(line.displays, start=1):
            _cell_text(cells[r * ncols + c], display, align="right")
    for r, c, r2, c2 in merges:
        cells[r * ncols + c].merge(cells[r2 * ncols + c2])
    for row in grid.rows[:head]:  # the head repeats on each page
        row._tr.get_or_add_trPr().append(_header_flag())
    document.add_paragraph()


def _header_flag() -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    return flag
