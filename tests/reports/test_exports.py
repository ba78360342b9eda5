"""Report exports (issue 5, deliverable 4): every suffix from the frozen report, for the 2014, 2019 and 2021
formats and a year without data; DOCX/XLSX read back with python-docx/openpyxl and compared with report_json;
the PDF checked with poppler (pdffonts: CJK fonts embedded; pdftotext: table labels). Data and renders are
module-scoped (one transaction rolled back at the end); the PDF is rendered twice per module."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from gongkai.accounts.models import Role
from gongkai.cases import transitions as t
from gongkai.catalog.actions import record_publication
from gongkai.catalog.models import Channel, ChannelKind
from gongkai.organisations.models import OrgKind
from gongkai.reports.build import Report, build_report, report_json
from gongkai.reports.charts import HEADLINE_KEYS, chart_data, trend_years
from gongkai.reports.document import freeze, to_markdown
from gongkai.reports.exports import SUFFIXES, UnsupportedSuffix, render_frozen
from gongkai.reports.exports.xlsx import sheet_name
from gongkai.reports.formats import default_format_for_year
from gongkai.reports.registry import Scope
from tests.conftest import Tree, make_org, make_user

pytestmark = [pytest.mark.django_db]
D = dt.date
EMPTY = "本年度没有任何记录，以下数字均为0"
# (year, format) of the three formats, and a year with no records at all (the office, own scope)
CASES = {"2014": (2014, "2014"), "2019": (2020, "2019"), "2021": (2024, "2021")}
ZERO = (2023, "2021")


def _tree() -> Tree:
    city = make_org("导出市人民政府", OrgKind.GOVERNMENT, short_name="导出市")
    education = make_org("导出市教育局", OrgKind.DEPARTMENT, city)
    county = make_org("导出县人民政府", OrgKind.COUNTY, city)
    return Tree(
        city=city,
        office=make_org("导出市人民政府办公室", OrgKind.GENERAL_OFFICE, city),
        education=education,
        school_office=make_org("导出市教育局招生办公室", OrgKind.OTHER, education),
        county=county,
        county_police=make_org("导出县公安局", OrgKind.DEPARTMENT, county),
    )


def _records(tree: Tree) -> None:
    """Clerk 王芳 of 教育局 registers requests over the years; an item is published on the portal in 2014."""
    clerk = make_user("export-clerk", tree.education, Role.CLERK)
    site = Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city)
    record_publication(
        "test",
        tree.education,
        title="关于招生的通知",
        made_on=D(2014, 3, 3),
        published_on=D(2014, 3, 4),
        channels=[site],
    )

    def case(received: dt.date, kind: str = "natural", body: Any = None) -> Any:
        return t.register(
            clerk,
            body or tree.education,
            received=received,
            channel="online",
            applicant_kind=kind,
            subject="s",
        )

    t.answer(clerk, case(D(2014, 5, 6)), on=D(2014, 5, 20), outcome="2008.disclosed")
    case(D(2017, 4, 1), body=tree.school_office)
    t.answer(clerk, case(D(2020, 3, 4)), on=D(2020, 3, 20), outcome="2019.disclosed")
    t.answer(clerk, case(D(2022, 6, 1), "business"), on=D(2022, 6, 10), outcome="2019.partly_disclosed")
    t.answer(clerk, case(D(2024, 3, 4)), on=D(2024, 3, 20), outcome="2019.disclosed")
    t.answer(
        clerk, case(D(2024, 5, 5), "legal_service"), on=D(2024, 5, 20), outcome="2019.refused.third_party"
    )
    case(D(2024, 12, 20), "business", tree.school_office)  # carried over to 2025


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The tree, its records, the reports of each format, their frozen forms and every file of the 2021
    report written by the command (its PDF is one of the two PDF renders), in a rolled-back transaction."""
    out = tmp_path_factory.mktemp("exports")
    with django_db_blocker.unblock(), transaction.atomic():
        tree = _tree()
        _records(tree)
        reports = {fmt: build_report(tree.city, year, fmt) for fmt, (year, _f) in CASES.items()}
        zero = build_report(tree.office, ZERO[0], ZERO[1], Scope.OWN)
        frozen = {fmt: freeze(r) for fmt, r in reports.items()}
        frozen["zero"] = freeze(zero)
        files = {}
        for suffix in SUFFIXES:
            path = out / f"2024{suffix}"
            call_command(
                "report",
                "--org",
                tree.city.org_code,
                "--year",
                "2024",
                "--output",
                str(path),
                stdout=io.StringIO(),
            )
            files[suffix] = path.read_bytes()
        zero_pdf = render_frozen(frozen["zero"], ".pdf")
        yield {
            "tree": tree,
            "reports": reports,
            "zero": zero,
            "frozen": frozen,
            "files": files,
            "zero_pdf": zero_pdf,
            "out": out,
        }
        transaction.set_rollback(True)


MAGIC = {".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".pdf": b"%PDF-", ".html": b"<!DOCTYPE html>"}


def test_every_format_renders_to_every_suffix(world: dict[str, Any]) -> None:
    for key, frozen in world["frozen"].items():
        for suffix in SUFFIXES:
            data = world["files"][suffix] if key == "2021" else render_frozen(frozen, suffix)
            if suffix == ".pdf" and key != "2021":
                continue  # rendered twice per module only (2021 by the command, the zero year below)
            assert data.startswith(MAGIC.get(suffix, b"")) and len(data) > 100, (key, suffix)
    assert world["zero_pdf"].startswith(b"%PDF-")


def test_json_and_markdown_equal_the_foundation_exports(world: dict[str, Any]) -> None:
    for fmt, report in world["reports"].items():
        frozen = world["frozen"][fmt]
        assert json.loads(render_frozen(frozen, ".json")) == report_json(report)
        assert render_frozen(frozen, ".md").decode() == to_markdown(report) + "\n"
    assert world["files"][".md"].decode() == to_markdown(world["reports"]["2021"]) + "\n"
    assert json.loads(world["files"][".json"]) == report_json(world["reports"]["2021"])


def test_unknown_suffix_is_refused_naming_the_allowed_ones(world: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSuffix, match=r"\.odt.*\.json.*\.xlsx"):
        render_frozen(world["frozen"]["2021"], ".odt")
    target = world["out"] / "report.odt"
    with pytest.raises(CommandError, match=r"report\.odt.*\.docx, \.pdf, \.xlsx"):
        call_command(
            "report", "--org", world["tree"].city.org_code, "--year", "2024", "--output", str(target)
        )
    assert not target.exists()


def _value(report: Report, key: str) -> int | float:
    return sum(c.value for c in report.cells if c.statistic.key == key)


def test_chart_data_comes_from_the_report_and_earlier_years_by_their_format(world: dict[str, Any]) -> None:
    tree = world["tree"]
    r2021 = world["reports"]["2021"]
    first = world["frozen"]["2021"]["charts"][0]
    counts = dict(zip(first["labels"], first["series"][0]["values"], strict=True))
    assert counts["一、本年新收"] == _value(r2021, "t3.new.6") == 3
    assert counts["（一）予以公开"] == _value(r2021, "t3.result00.6")
    assert counts["（三）不予公开"] == sum(_value(r2021, f"t3.result{i:02d}.6") for i in range(2, 10))
    carried = [
        c.value for c in r2021.cells if c.cell.row == "四、结转下年度继续办理" and c.cell.column == "总计"
    ]
    assert (
        counts["四、结转下年度继续办理"] == carried[0] == 2
    )  # the 2017 request is still open, and one of 2024
    # the 2019 report's trend reaches back into 2014-format years, counted with that format's statistic
    r2019 = world["reports"]["2019"]
    trend = world["frozen"]["2019"]["charts"][-1]
    assert trend["kind"] == "line" and trend["labels"] == [str(y) for y in trend_years(2020)]
    received = trend["series"][0]["values"]
    for year, value in zip(trend_years(2020), received, strict=True):
        fmt = default_format_for_year(year)
        expected = build_report(tree.city, year, fmt) if year != 2020 else r2019
        assert value == sum(_value(expected, k) for k in HEADLINE_KEYS["requests"][fmt]), year
    assert received[trend_years(2020).index(2017)] == 1  # the 2017 request, a 2014-format year
    channels = world["frozen"]["2014"]["charts"][0]
    assert dict(zip(channels["labels"], channels["series"][0]["values"], strict=True))[
        "政府网站公开政府信息数"
    ] == (_value(world["reports"]["2014"], "p14.website"))


def test_zero_year_charts_and_every_file_say_so(world: dict[str, Any]) -> None:
    frozen = world["frozen"]["zero"]
    assert world["zero"].is_empty() and frozen["charts"]
    assert all(v == 0 for chart in frozen["charts"] for s in chart["series"] for v in s["values"])
    assert EMPTY in render_frozen(frozen, ".md").decode()
    html = render_frozen(frozen, ".html").decode()
    assert EMPTY in html and html.count("<svg") == len(frozen["charts"])
    assert EMPTY in _docx_text(render_frozen(frozen, ".docx"))
    from openpyxl import load_workbook

    cover = load_workbook(io.BytesIO(render_frozen(frozen, ".xlsx"))).worksheets[0]
    assert any(EMPTY in str(c.value) for row in cover.iter_rows() for c in row if c.value)


def test_html_is_standalone_with_bordered_grouped_tables_and_chart_data(world: dict[str, Any]) -> None:
    html = world["files"][".html"].decode()
    frozen = world["frozen"]["2021"]
    assert '<html lang="zh-Hans">' in html and "<link" not in html and "<script" not in html
    assert "border: 1px solid" in html and '<th scope="col" colspan="5">法人或其他组织</th>' in html
    assert html.count("<svg") == len(frozen["charts"]) == 3
    assert html.count('class="chart-data"') == 3  # each chart with its numbers as a table
    assert frozen["title"] in html and "行政许可" in html


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_docx_in_government_document_style(world: dict[str, Any]) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    data = world["files"][".docx"]
    document = Document(io.BytesIO(data))
    frozen = world["frozen"]["2021"]
    title = document.paragraphs[0]
    assert title.text == frozen["title"] and title.alignment == 1  # centred
    run = title.runs[0]
    assert run.font.size.pt == 22 and run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    text = _docx_text(data)
    for label in ("本年新收政府信息公开申请数量", "行政许可", "结果纠正", "保护第三方合法权益"):
        assert label in text, label
    assert all(table.style.name == "Table Grid" for table in document.tables)
    # Table 3's head: 法人或其他组织 spans its five columns
    spans = {
        tc.xpath("string(.)"): tc.tcPr.gridSpan.val
        if tc.tcPr is not None and tc.tcPr.gridSpan is not None
        else 1
        for table in document.tables
        for tc in table._tbl.tr_lst[0].tc_lst
    }
    assert spans["法人或其他组织"] == 5
    pictures = document.inline_shapes
    assert len(pictures) == len(frozen["charts"])
    fonts = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")).blob
    assert "仿宋_GB2312".encode() in fonts and 'w:altName w:val="仿宋"'.encode() in fonts


def test_xlsx_sheets_hold_the_report_cells_as_numbers(world: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    for fmt, report in world["reports"].items():
        data = world["files"][".xlsx"] if fmt == "2021" else render_frozen(world["frozen"][fmt], ".xlsx")
        wb = load_workbook(io.BytesIO(data))
        cover, *sheets = wb.worksheets
        assert cover.title == "封面及说明"
        facts = {row[0].value: row[1].value for row in cover.iter_rows(min_row=3, max_col=2) if row[0].value}
        assert facts["机关"] == report.org.name and facts["年度"] == str(report.year)
        assert str(report.format) in facts["报告格式"] and facts["统计范围"] == "本机关及所属单位（汇总）"
        cells = report_json(report)["cells"]
        titles = list(dict.fromkeys(c["table"] for c in cells))
        assert [ws["A1"].value for ws in sheets] == titles
        for ws in sheets:
            assert len(ws.title) <= 31 and not re.search(r"[\[\]:*?/\\]", ws.title)
            numbers = [
                c.value for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, int | float)
            ]
            expected = [c["value"] for c in cells if c["table"] == ws["A1"].value]
            assert numbers == expected, ws.title
    t3 = load_workbook(io.BytesIO(world["files"][".xlsx"]))["三、收到和处理政府信息公开申请情况"]
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert "C3:G3" in merged and "A3:A4" in merged and "B3:B4" in merged  # grouped head
    labels = {c.value: c.alignment.indent for c in t3["A"] if c.value}
    assert labels["（一）予以公开"] == 1 and labels["三、本年度办理结果"] == 0


def test_xlsx_money_is_a_decimal_with_a_number_format(world: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(world["files"][".xlsx"]))["二、主动公开政府信息情况"]
    money = [row[1] for row in ws.iter_rows() if row[0].value == "行政事业性收费"]
    assert money and money[0].number_format == "0.00"


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    long = "四、政府信息公开行政复议、行政诉讼情况（很长的名称）/附[1]:*?"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not re.search(r"[\[\]:*?/\\]", first + second)


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils (pdffonts) is not installed")
def test_pdf_embeds_cjk_fonts(world: dict[str, Any]) -> None:
    for data in (world["files"][".pdf"], world["zero_pdf"]):
        fonts = subprocess.run(
            ["pdffonts", "-"], input=data, capture_output=True, check=False
        ).stdout.decode()
        if not fonts.strip():  # older poppler cannot read stdin
            path = world["out"] / "check.pdf"
            path.write_bytes(data)
            fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert any(re.search("Noto-?Serif-?CJK-?SC", line) for line in cjk), fonts
        assert any(re.search("Noto-?Sans-?CJK-?SC", line) for line in cjk), fonts
        assert all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+$", line) for line in cjk), cjk


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
def test_pdf_text_has_title_table_labels_and_page_numbers(world: dict[str, Any]) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=world["files"][".pdf"], capture_output=True, check=True
    ).stdout.decode()
    compact = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", world["frozen"]["2021"]["title"]) in compact
    for label in ("本年新收", "行政许可", "结果纠正", "法人或其他组织"):
        assert label in compact, label
    assert "—1—" in compact and "—2—" in compact  # page numbers in the footer
    zero = subprocess.run(
        ["pdftotext", "-", "-"], input=world["zero_pdf"], capture_output=True, check=True
    ).stdout.decode()
    assert EMPTY in re.sub(r"\s+", "", zero)


def test_a_snapshot_frozen_before_charts_still_exports(world: dict[str, Any]) -> None:
    old = {k: v for k, v in world["frozen"]["2014"].items() if k != "charts"}
    html = render_frozen(old, ".html").decode()
    assert "<svg" not in html and old["title"] in html
    assert render_frozen(old, ".md") == render_frozen(world["frozen"]["2014"], ".md")
    assert chart_data(world["reports"]["2014"]) == world["frozen"]["2014"]["charts"]


def test_report_page_shows_charts_with_their_numbers(world: dict[str, Any]) -> None:
    from django.template.loader import render_to_string

    from gongkai.reports.exports.html import chart_figures

    frozen = world["frozen"]["2021"]
    page = render_to_string(
        "reports/_report.html", {**frozen, "chart_figures": chart_figures(frozen["charts"])}
    )
    assert page.count("<svg") == len(frozen["charts"]) and 'aria-label="近5年主要指标"' in page
    received = frozen["charts"][-1]["series"][0]["values"]
    row = "".join(
        f'<td class="value">{v}</td>'
        for v in (received[-1], *(s["values"][-1] for s in frozen["charts"][-1]["series"][1:]))
    )
    assert f'<th scope="row">2024</th>{row}</tr>' in page
    assert "<svg" not in render_to_string("reports/_report.html", frozen)  # a view without charts


def test_a_table_frozen_before_blocks_exports_as_one_value_column() -> None:
    frozen = {
        "title": "旧快照2014年政府信息公开工作年度报告",
        "report": {"is_empty": False, "year": 2014, "format": "2014"},
        "existence_notice": "",
        "sections": [{"heading": "一、基本情况", "paragraphs": ["正文。"]}],
        "tables": [
            {
                "title": "政府信息公开情况统计表",
                "in_section": False,
                "lines": [
                    {"label": "一、主动公开情况", "depth": 0, "cell": None},
                    {"label": "（一）收到申请数", "depth": 1, "cell": {"display": "7"}},
                ],
            }
        ],
        "json": {
            "org": "旧机关",
            "org_code": "X",
            "year": 2014,
            "format": "2014",
            "scope": "own",
            "cells": [],
        },
    }
    assert "| 　（一）收到申请数 | 7 |" in render_frozen(frozen, ".md").decode()
    assert '<td class="value">7</td>' in render_frozen(frozen, ".html").decode()
    assert "（一）收到申请数" in _docx_text(render_frozen(frozen, ".docx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render_frozen(frozen, ".xlsx"))).worksheets[1]
    assert [c.value for c in sheet[4]] == ["一、主动公开情况", None]
    assert [c.value for c in sheet[5]] == ["（一）收到申请数", "7"]  # no JSON value: the display is kept
