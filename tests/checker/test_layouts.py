"""The same report laid out the other ways sites publish it reads the same (found by probing the training and
variety reports with other layouts: HTML and Word tables, padding, line endings, encodings, scripts).

Personas: 赵敏 (an evaluator at the provincial office) checks reports copied from Word, where a table's header
row is often left unmerged (its empty cells kept) and where a Traditional-script copy writes 答覆 for 答复; she
expects the cells and figures of the original."""

from __future__ import annotations

import html
import io
from decimal import Decimal
from typing import Any

import opencc
import pytest

from gongkai.checker import engine, reading
from gongkai.checker.types import Result
from tests.checker.rules_support import DATA

PINGTAN_2022 = (DATA / "pingtan-2022.txt").read_text(encoding="utf-8")
PREVIOUS = ((DATA / "pingtan-2021.txt").read_bytes(), "pingtan-2021.txt")
T4 = "四、政府信息公开行政复议、行政诉讼情况"


def _cells(result: Result) -> dict[tuple[str, str, str], Any]:
    return {c.key: (None if c.value is None else Decimal(str(c.value)), c.ambiguous) for c in result.cells}


def _check(text: str, name: str = "r.txt") -> Result:
    return engine.check_bytes(text.encode("utf-8"), name, PREVIOUS)


def _padded(text: str) -> str:
    """Table 4's three header rows with the empty cells of a table typed without merging them."""
    return (
        text.replace("行政复议 | 行政诉讼\n", "行政复议 |  |  |  |  | 行政诉讼" + " | " * 9 + "\n")
        .replace(
            "总计 | 未经复议直接起诉 | 复议后起诉\n",
            "总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  | \n",
        )
        .replace("尚未审结 | 总计\n0 |", "尚未审结 | 总计 |  |  |  |  | \n0 |")
    )


def _docx(text: str) -> bytes:
    """The report as Word writes it when a table is typed row by row: every row as wide as the widest."""
    from docx import Document

    document = Document()
    rows: list[list[str]] = []

    def table() -> None:
        if rows:
            grid = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    grid.cell(i, j).text = cell
            rows.clear()

    for line in text.splitlines():
        if " | " in line:
            rows.append([c.strip() for c in line.split(" | ")])
            continue
        table()
        if line.strip():
            document.add_paragraph(line)
    table()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def original() -> Result:
    return _check(PINGTAN_2022)


def test_table_4_with_its_header_cells_unmerged_reads_the_same(original: Result) -> None:
    padded = _check(_padded(PINGTAN_2022))
    assert padded.format == "2021" and _cells(padded) == _cells(original)
    assert [c.value for c in padded.cells if c.table == T4][:5] == [0, 1, 1, 0, 2]
    assert sorted(f.rule for f in padded.findings) == sorted(f.rule for f in original.findings)


def test_a_word_copy_with_rows_as_wide_as_the_table_reads_the_same(original: Result) -> None:
    copied = engine.check_bytes(_docx(PINGTAN_2022), "report.docx", PREVIOUS)
    assert _cells(copied) == _cells(original)
    assert sorted(f.rule for f in copied.findings) == sorted(f.rule for f in original.findings)


@pytest.mark.parametrize("name", ["shanghai-office-2016", "pingtan-2015"])
def test_a_traditional_copy_states_the_same_figures(name: str) -> None:
    """答覆/回覆 (Traditional; 覆 is also a Simplified character, so a conversion character by character keeps
    it) are read as 答复/回复: the 2014 table's 答复数 rows and “已受理回覆” are found."""
    text = (DATA / "variety" / f"{name}.txt").read_text(encoding="utf-8")
    simplified = engine.check_bytes(text.encode(), "r.txt")
    traditional = engine.check_bytes(opencc.OpenCC("s2t").convert(text).encode(), "r.txt")
    assert [c.value for c in traditional.cells] == [c.value for c in simplified.cells]
    assert [(n.value, n.label) for n in traditional.narrative] == [
        (n.value, n.label) for n in simplified.narrative
    ]
    assert sorted(f.rule for f in traditional.findings) == sorted(f.rule for f in simplified.findings)


def test_a_traditional_copy_of_a_provincial_table_keeps_every_finding() -> None:
    """2008-era labels are kept as printed, so in Traditional script they read 歷年累計, 其中 … 總數: the sums,
    the cumulative column and last year's rows are still found (labels are matched in Simplified)."""
    convert = opencc.OpenCC("s2t").convert
    text = (DATA / "variety" / "pingtan-2015-defects.txt").read_text(encoding="utf-8")
    last = (DATA / "pingtan-2014.txt").read_text(encoding="utf-8")
    simplified = engine.check_bytes(text.encode(), "r.txt", (last.encode(), "last.txt"))
    traditional = engine.check_bytes(convert(text).encode(), "r.txt", (convert(last).encode(), "last.txt"))
    rules = sorted((f.rule, f.severity) for f in simplified.findings)
    assert len(rules) >= 3 and sorted((f.rule, f.severity) for f in traditional.findings) == rules
    assert {c.row for c in traditional.cells} == {convert(c.row) for c in simplified.cells}  # as printed


def test_an_indented_title_gives_the_body_and_year() -> None:
    indented = "\n".join("\u3000\u3000" + line for line in PINGTAN_2022.splitlines())
    result = _check(indented)
    assert (result.body, result.year, result.format) == ("平潭综合实验区", 2022, "2021")


def test_pdf_lines_join_a_paragraph_cut_by_the_page_and_measure_chinese_as_wide() -> None:
    """A page address in Latin letters is longer in characters than a full line of Chinese text but narrower
    on the page; a page break (with its page number) in the middle of a sentence is not a paragraph break."""
    full = "全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件，均在法定期限内予以答复，"
    text = (
        "https://www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/report-of-the-year.html\n\n"
        f"{full}办结率\n\n          - 1 -\n\f100%。全年未收取费用。\n"
    )
    lines = reading.pdf_lines(text).splitlines()
    assert lines[-1] == f"{full}办结率100%。全年未收取费用。"


def _html(text: str) -> str:
    """The report as a page: a paragraph per line, each run of ` | ` rows a bordered table."""
    out, rows = ["<html><head><meta charset='utf-8'></head><body>"], []

    def table() -> None:
        if rows:
            out.append("<table border='1'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>")
            rows.clear()

    for line in text.splitlines():
        if " | " in line:
            rows.append("".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split(" | ")))
            continue
        table()
        if line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    table()
    return "\n".join([*out, "</body></html>"])


def test_a_pdf_printed_on_a_narrow_page_reads_the_same(original: Result) -> None:
    """On an A4 page Table 4's 15 columns are narrow: pdftotext wraps its header cells (“总” over “计”) and runs
    the last values together (“1 00000”); paragraphs wrap at the page width and across pages."""
    from weasyprint import HTML

    pdf = HTML(string=_html(PINGTAN_2022)).write_pdf()
    printed = engine.check_bytes(pdf, "report.pdf", PREVIOUS)
    assert _cells(printed) == _cells(original)
    assert sorted(f.rule for f in printed.findings) == sorted(f.rule for f in original.findings)
    assert [(n.value, n.label) for n in printed.narrative] == [(n.value, n.label) for n in original.narrative]
