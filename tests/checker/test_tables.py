"""Reading the tables of published reports (gongkai.checker.tables, detect): the training set cell for cell, and
the messes real reports come in.

Personas: 王芳 (an evaluator at the provincial office) checks the training reports and expects every cell of the
expected files, nothing more; 赵磊 (a clerk who copies reports out of web pages, PDFs and Word) brings the same
tables flattened by tabs or spaces, with full-width digits, thousands separators, digits run together, typos in
the headings and in Traditional script, and expects the same cells — or an honest "cannot tell" where the sums do
not decide, never a guess."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import opencc
import pytest

from gongkai.checker import tables
from gongkai.checker.reading import Document, read_bytes
from gongkai.checker.types import Cell
from gongkai.reports.formats import tables as format_tables

DATA = Path(__file__).resolve().parent / "data"
T2, T3, T4 = (
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
)
NEW = "一、本年新收政府信息公开申请数量"


@cache
def training_text(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def doc(text: str) -> Document:
    """A .txt report as the reader gives it (text as printed, Simplified copy at the same offsets)."""
    return Document.from_text(text)


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
    return data


def as_json(cells: list[Cell]) -> list[dict[str, Any]]:
    return [c.as_json() for c in cells]


def by_key(cells: list[Cell]) -> dict[tuple[str, str, str], Cell]:
    return {c.key: c for c in cells}


# The training set ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pingtan-2014", "pingtan-2022", "shanghai-2019"])
def test_wang_fang_gets_every_cell_of_the_training_reports(name: str) -> None:
    wanted = expected(name)
    got = tables.extract(doc(training_text(name)))
    assert (got.format, got.body, got.year) == (wanted["format"], wanted["body"], wanted["year"])
    assert as_json(got.cells) == wanted["cells"]  # same cells, same order, same values (ints stay ints)
    assert got.findings == []  # nothing ambiguous in a well-printed table


def test_shanghai_blank_cells_are_null_and_the_purchase_amount_is_in_yuan() -> None:
    cells = by_key(tables.extract(doc(training_text("shanghai-2019"))).cells)
    assert cells[(T3, "二、上年结转政府信息公开申请数量", "法人或其他组织/商业企业")].value is None
    assert cells[(T3, "三、本年度办理结果/（六）其他处理", "总计")].value is None
    assert cells[(T2, "第二十条第（九）项/政府集中采购", "采购总金额")].value == 251000
    assert cells[(T4, "行政诉讼/复议后起诉", "总计")].value is None


def test_pingtan_2021_is_a_2021_report_with_all_its_cells() -> None:
    got = tables.extract(doc(training_text("pingtan-2021")))
    assert (got.format, got.body, got.year) == ("2021", "平潭综合实验区", 2021)
    official = [(s.table, s.row_path(r), c) for s in format_tables("2021") for r in s.rows for c in s.columns]
    assert [c.key for c in got.cells] == official
    cells = by_key(got.cells)
    assert cells[(T2, "第二十条第（一）项/行政规范性文件", "现行有效件数")].value == 665
    assert cells[(T2, "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")].value == Decimal(
        "24252.311082"
    )
    assert cells[(T3, "三、本年度办理结果/（七）总计", "总计")].value == 69
    assert cells[(T4, "行政诉讼/未经复议直接起诉", "总计")].value == 12
    assert not any(c.value is None for c in got.cells)


def test_the_seed_is_narrative_only_with_its_body_and_year() -> None:
    got = tables.extract(doc((DATA / "xuchang-2014-annual-report.txt").read_text(encoding="utf-8")))
    assert (got.format, got.body, got.year) == ("narrative-only", "許昌市", 2014)
    assert got.cells == []


# Layouts ------------------------------------------------------------------------------------------------------


def _table_lines(text: str, change: Any) -> str:
    return "\n".join(change(line) if " | " in line else line for line in text.split("\n"))


def _same_cells(text: str, name: str = "pingtan-2022") -> None:
    got = tables.extract(doc(text))
    assert got.format == expected(name)["format"]
    assert as_json(got.cells) == expected(name)["cells"]
    assert got.findings == []


def test_zhao_lei_tab_separated_tables() -> None:
    _same_cells(_table_lines(training_text("pingtan-2022"), lambda line: line.replace(" | ", "\t")))


def test_zhao_lei_space_separated_tables() -> None:
    _same_cells(_table_lines(training_text("pingtan-2022"), lambda line: line.replace(" | ", "  ")))


def test_zhao_lei_whole_report_on_one_line() -> None:
    text = training_text("pingtan-2022")
    flat = " ".join(line.replace(" | ", " ") for line in text.split("\n") if line.strip())
    _same_cells(flat)


def test_markdown_pipe_tables_of_every_national_format() -> None:
    """A Markdown rendering (leading and trailing pipes, a rule under the head row) reads the same."""

    def markdown(text: str) -> str:
        out = []
        for line in text.split("\n"):
            if " | " in line:
                out.append(f"| {line} |")
                if line.startswith(("信息内容", "行政复议 |")):
                    out.append("|" + "---|" * (line.count("|") + 1))
            else:
                out.append(line)
        return "\n".join(out)

    for name in ("pingtan-2022", "shanghai-2019"):
        _same_cells(markdown(training_text(name)), name)


def test_html_rendered_tables_are_read_through_the_reader() -> None:
    """The report as an HTML page (one <tr> per row line): reading.read_bytes, then the tables."""
    text = training_text("pingtan-2022")
    body = []
    for line in text.split("\n")[3:]:
        if " | " in line:
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split(" | ")) + "</tr>")
        elif line.strip():
            body.append(f"</table><p>{line}</p><table>")
    html = "<html><head><title>x</title></head><body><h1>平潭综合实验区2022年度政府信息公开工作年度报告</h1><table>"
    html += "".join(body) + "</table></body></html>"
    got = tables.extract(read_bytes(html.encode("utf-8"), "report.html"))
    assert (got.format, got.body, got.year) == ("2021", "平潭综合实验区", 2022)
    assert as_json(got.cells) == expected("pingtan-2022")["cells"]


def test_table_4_printed_as_three_labelled_rows() -> None:
    text = training_text("pingtan-2022")
    head = text.index("行政复议 | 行政诉讼")
    end = text.index("五、存在的主要问题")
    rows = (
        "项目 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n"
        "行政复议 | 0 | 1 | 1 | 0 | 2\n未经复议直接起诉 | 1 | 0 | 0 | 0 | 1\n复议后起诉 | 0 | 0 | 0 | 0 | 0\n"
    )
    _same_cells(text[:head] + rows + text[end:])


# Numbers ------------------------------------------------------------------------------------------------------


def test_zhao_lei_full_width_digits() -> None:
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    _same_cells(_table_lines(training_text("pingtan-2022"), lambda line: line.translate(wide)))


def test_thousands_separators_and_amounts() -> None:
    text = training_text("pingtan-2022").replace("行政许可 | 10690", "行政许可 | 10,690")
    text = text.replace("行政事业性收费 | 9116.36", "行政事业性收费 | 9,116.36")
    cells = by_key(tables.extract(doc(text)).cells)
    assert cells[(T2, "第二十条第（五）项/行政许可", "本年处理决定数量")].value == 10690
    assert cells[(T2, "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")].value == Decimal(
        "9116.36"
    )
    shanghai = training_text("shanghai-2019").replace(
        "政府集中采购 | 6 | 251000元", "政府集中采购 | 6 | 25.1万元"
    )
    cells = by_key(tables.extract(doc(shanghai)).cells)
    assert cells[(T2, "第二十条第（九）项/政府集中采购", "采购总金额")].value == 251000


def test_run_together_digits_decided_by_the_row_sum() -> None:
    """71 | 3 pasted as 713: 7 + 13 ≠ 74, 71 + 3 = 74."""
    text = training_text("pingtan-2022").replace(f"{NEW} | 71 | 3 | 0", f"{NEW} | 713 | 0")
    got = tables.extract(doc(text))
    assert as_json(got.cells) == expected("pingtan-2022")["cells"]
    assert got.findings == []


def test_run_together_digits_decided_by_the_column_sums() -> None:
    """11 | 1 pasted as 111 fits the row either way (1 + 11 = 11 + 1); the column rule （七）总计 = Σ outcomes
    decides."""
    rows = {
        NEW: "11 | 1 | 0 | 0 | 0 | 0 | 12",
        "二、上年结转政府信息公开申请数量": "0 | 0 | 0 | 0 | 0 | 0 | 0",
        "（一）予以公开": "111 | 0 | 0 | 0 | 0 | 12",
        "（七）总计": "11 | 1 | 0 | 0 | 0 | 0 | 12",
        "四、结转下年度继续办理": "0 | 0 | 0 | 0 | 0 | 0 | 0",
    }
    got = tables.extract(doc(national_text("2021", rows)))
    cells = by_key(got.cells)
    disclosed = "三、本年度办理结果/（一）予以公开"
    assert cells[(T3, disclosed, "自然人")].value == 11
    assert cells[(T3, disclosed, "法人或其他组织/商业企业")].value == 1
    assert not any(c.ambiguous for c in got.cells)


def test_undecidable_run_together_is_ambiguous_with_a_warning() -> None:
    """2543 | 78967 pasted as 254378967: 2543/78967, 254/378967 … all fit (历年累计 ≥ 本年度): not guessed."""
    text = training_text("pingtan-2014").replace(
        "主动公开文件数 条 2543 78967", "主动公开文件数 条 254378967"
    )
    got = tables.extract(doc(text))
    table = "六、平潭综合实验区政府信息公开情况统计表"
    cells = by_key(got.cells)
    for column in ("2014年度", "历年累计"):
        cell = cells[(table, "主动公开文件数", column)]
        assert cell.ambiguous and cell.value is None
    assert cells[(table, "其中：1、政府网站公开数", "2014年度")].value == 2543
    (finding,) = got.findings
    assert finding.severity == "warning"
    assert "254378967" in finding.message and "主动公开文件数" in finding.message
    assert {c.key for c in finding.cells} == {
        (table, "主动公开文件数", "2014年度"),
        (table, "主动公开文件数", "历年累计"),
    }


def test_blanks_lost_in_a_space_separated_row_are_not_guessed() -> None:
    text = training_text("shanghai-2019").replace(
        f"{NEW} | 821 | 35 |  |  | 2 | 1 | 859", f"{NEW} 821 35 2 1 859"
    )
    got = tables.extract(doc(text))
    row = [c for c in got.cells if c.row == NEW]
    assert all(c.ambiguous and c.value is None for c in row)
    assert len(got.findings) == 1 and got.findings[0].severity == "warning"
    assert by_key(got.cells)[(T3, "二、上年结转政府信息公开申请数量", "自然人")].value == 18


# Labels -------------------------------------------------------------------------------------------------------


def test_traditional_script_2021_report() -> None:
    traditional = opencc.OpenCC("s2t").convert(training_text("pingtan-2022"))
    got = tables.extract(doc(traditional))
    assert (got.format, got.year) == ("2021", 2022)
    assert got.body == "平潭綜合實驗區"  # as printed
    assert as_json(got.cells) == expected("pingtan-2022")["cells"]


def test_headings_with_typos_and_missing_numbering() -> None:
    text = training_text("pingtan-2022")
    for printed, variant in (
        ("二、主动公开政府信息情况", "主动公开政府信息情况"),
        ("第二十条第（五）项", "第二十条第(五)项"),
        ("行政规范性文件 | 88", "规范性文件 | 88"),
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数"),
        ("（三）不予公开 | 1.属于国家秘密", "不予公开 | 属于国家秘密"),
        ("2.其他法律行政法规禁止公开", "2、其它法律行政法规禁止公开"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "(二)部分公开"),
        ("四、结转下年度继续办理", "四、结转下年度继续办理 "),
    ):
        assert printed in text
        text = text.replace(printed, variant, 1)
    _same_cells(text)


def test_a_2014_national_table_built_from_the_official_labels() -> None:
    spec = next(s for s in format_tables("2014") if s.table == "政府信息公开情况统计表")
    lines = ["某某市人民政府2016年政府信息公开工作年度报告", "一、基本情况", "全年共主动公开政府信息1200条。"]
    lines.append("政府信息公开情况统计表")
    lines.append("统计指标 | 单位 | 统计数")
    printed_parents: set[str] = set()
    values = {}
    for n, row in enumerate(spec.rows):
        parts = row.split("/")
        for depth in range(len(parts) - 1):
            parent = "/".join(parts[: depth + 1])
            if parent not in printed_parents and parent not in spec.rows:
                printed_parents.add(parent)
                lines.append(f"{parts[depth]} | — | —")
        values[row] = n * 3 if "万元" not in row else Decimal("1.5")
        lines.append(f"{parts[-1]} | {'万元' if '万元' in row else '条'} | {values[row]}")
    got = tables.extract(doc("\n".join(lines)))
    assert (got.format, got.body, got.year) == ("2014", "某某市人民政府", 2016)
    assert [(c.row, c.value) for c in got.cells] == [(r, values[r]) for r in spec.rows]
    assert {c.column for c in got.cells} == {"统计数"}


def test_a_2019_report_is_not_taken_for_2021_by_its_year() -> None:
    """The format comes from the labels: a 2021 report that uses the 2019 table is a 2019 report."""
    text = training_text("shanghai-2019").replace("2019年上海市", "2021年上海市")
    assert tables.extract(doc(text)).format == "2019"


# A synthetic national report ----------------------------------------------------------------------------------


def national_text(fmt: str, table3: dict[str, str]) -> str:
    """A report of ``fmt`` with Table 3 rows given by their printed leaf label (others blank-free zeros)."""
    lines = [
        f"某某县人民政府{2022 if fmt == '2021' else 2019}年度政府信息公开工作年度报告",
        "一、总体情况",
        "本年度工作正常开展。",
    ]
    lines.append(T3)
    lines.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况")
    lines.append("自然人 | 法人或其他组织 | 总计")
    lines.append("商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他")
    spec = next(s for s in format_tables(fmt) if s.table == T3)
    printed: set[str] = set()
    for row in spec.rows:
        parts = row.split("/")
        label = " | ".join(p for p in parts if p not in printed)
        printed.update(parts[:-1])
        values = table3.get(parts[-1], "0 | 0 | 0 | 0 | 0 | 0 | 0")
        lines.append(f"{label} | {values}")
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines.append("行政复议 | 行政诉讼")
    lines.append(" | ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3))
    lines.append(" | ".join(["0"] * 15))
    return "\n".join(lines)


def test_synthetic_national_report_reads_back() -> None:
    got = tables.extract(doc(national_text("2019", {})))
    assert (got.format, got.body, got.year) == ("2019", "某某县人民政府", 2019)
    t3 = [c for c in got.cells if c.table == T3]
    assert len(t3) == 23 * 7 and all(c.value == 0 for c in t3)
    t2 = [c for c in got.cells if c.table == T2]
    assert t2 and all(c.value is None for c in t2)  # a table the report omits: every cell, blank


def test_labels_in_the_narrative_are_not_taken_for_rows() -> None:
    """A sentence naming 行政许可 before the tables does not move the reading of Table 2."""
    text = training_text("pingtan-2022").replace(
        "一、总体情况", "一、总体情况\n行政许可 5 件，行政处罚 7 件。", 1
    )
    _same_cells(text)


def test_space_separated_rows_with_dashes_and_all_blank_rows() -> None:
    """Blank cells printed as dashes stay blank; a row that prints no value at all is blank, not ambiguous."""
    text = training_text("shanghai-2019")
    text = text.replace("（六）其他处理 |  |  |  |  |  |  | ", "（六）其他处理")
    text = text.replace(
        "二、上年结转政府信息公开申请数量 | 18 |  |  |  |  |  | 18",
        "二、上年结转政府信息公开申请数量 18 — — — — — 18",
    )
    got = tables.extract(doc(text))
    assert as_json(got.cells) == expected("shanghai-2019")["cells"]
    assert got.findings == []


def test_labels_wrapped_onto_the_next_line_as_pdf_text_does() -> None:
    text = training_text("pingtan-2022")
    text = _table_lines(text, lambda line: line.replace(" | ", "   "))
    text = text.replace(
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请   2",
        "1.申请人无正当理由逾期不补正、行政机关不再处理\n其政府信息公开申请   2",
    )
    assert "不计其他情形）   8" in text
    text = text.replace("不计其他情形）   8", "不计其\n他情形）   8")
    _same_cells(text)


def test_a_provincial_table_with_other_header_words() -> None:
    text = "\n".join(
        [
            "某某县人民政府2016年度政府信息公开工作年度报告",
            "一、概述",
            "本年度共主动公开政府信息120条。",
            "附表：某某县政府信息公开情况统计表",
            "项目 | 单位 | 本年 | 累计",
            "主动公开信息数 | 条 | 120 | 1,520",
            "受理申请数 | 件 | 6 | 40",
            "其中：当面申请 | 件 | 2 | 15",
            "网上申请 | 件 | ４ | ",
            "收费金额 | 元 | 0 | 0",
        ]
    )
    got = tables.extract(doc(text))
    assert (got.format, got.body, got.year) == ("2008-era", "某某县人民政府", 2016)
    title = "附表：某某县政府信息公开情况统计表"
    assert [c.as_json() for c in got.cells[:4]] == [
        {"table": title, "row": "主动公开信息数", "column": "本年", "value": 120},
        {"table": title, "row": "主动公开信息数", "column": "累计", "value": 1520},
        {"table": title, "row": "受理申请数", "column": "本年", "value": 6},
        {"table": title, "row": "受理申请数", "column": "累计", "value": 40},
    ]
    cells = by_key(got.cells)
    assert cells[(title, "网上申请", "本年")].value == 4
    assert cells[(title, "网上申请", "累计")].value is None
    assert len(got.cells) == 10


def test_provincial_units_the_module_does_not_list_and_empty_unit_cells() -> None:
    flat = (
        "某某区2015年政府信息公开工作年度报告 五、统计表 政府信息公开情况统计表 指标名称 计量单位 本年度 历年累计 "
        "主动公开文件数 条 30 300 行政复议数 宗 1 3 举报投诉数 例 0 2 附件下载"
    )
    got = tables.extract(doc(flat))
    assert got.format == "2008-era"
    assert [(c.row, c.column, c.value) for c in got.cells] == [
        ("主动公开文件数", "本年度", 30),
        ("主动公开文件数", "历年累计", 300),
        ("行政复议数", "本年度", 1),
        ("行政复议数", "历年累计", 3),
        ("举报投诉数", "本年度", 0),
        ("举报投诉数", "历年累计", 2),
    ]
    assert {c.table for c in got.cells} == {"政府信息公开情况统计表"}
    piped = "\n".join(
        ["某某区2015年政府信息公开工作年度报告", "政府信息公开情况统计表", "指标名称 | 计量单位 | 本年度 | 历年累计",
         "主动公开文件数 |  | 30 | 300", "受理申请数 | 件 | 2 | 9", "收费金额 | 元 | 0 | 0"]
    )  # fmt: skip
    got = tables.extract(doc(piped))
    assert [(c.row, c.value) for c in got.cells][:2] == [("主动公开文件数", 30), ("主动公开文件数", 300)]
    assert not got.findings


def test_table_4_values_after_a_row_label_on_one_row() -> None:
    text = training_text("pingtan-2022").replace(
        "\n0 | 1 | 1 | 0 | 2 | 1 |", "\n数量 | 0 | 1 | 1 | 0 | 2 | 1 |"
    )
    _same_cells(text)


def test_a_missing_block_heading_does_not_shift_the_next_blocks() -> None:
    text = training_text("pingtan-2022").replace("第二十条第（五）项\n", "", 1)
    _same_cells(text)
    text = training_text("pingtan-2022").replace("行政强制 | 0\n", "", 1)
    cells = by_key(tables.extract(doc(text)).cells)
    assert cells[(T2, "第二十条第（六）项/行政强制", "本年处理决定数量")].value is None
    assert cells[(T2, "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")].value == Decimal(
        "9116.36"
    )


def test_a_report_that_only_names_the_table_rows_is_narrative_only() -> None:
    """Tables published as images: the text names 本年新收政府信息公开申请数量 and 结转下年度继续办理, but no table."""
    text = (
        "某某局2023年度政府信息公开工作年度报告\n一、总体情况\n本年度依法办理申请。\n"
        "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量、上年结转政府信息公开申请数量及结转下年度继续办理"
        "的情况见附图。\n"
    )
    got = tables.extract(doc(text))
    assert (got.format, got.body, got.year, got.cells) == ("narrative-only", "某某局", 2023, [])


def test_an_empty_spare_column_after_the_last_one_is_ignored() -> None:
    text = training_text("pingtan-2022").replace("行政许可 | 10690", "行政许可 | 10690 | ")
    _same_cells(text)


@pytest.mark.parametrize(
    ("printed", "heading"),
    [
        ("附表：2016年上海市人民政府办公厅政府信息公开情况统计表", True),
        ("附件2  2017年度平潭综合实验区政府信息公开情况统计表", True),
        ("2015年政府信息公开情况统计表", True),
        ("政府信息公开情况统计表", True),
        ("详见附表：政府信息公开情况统计表", False),  # a sentence pointing at the table
        ("本机关按要求填报了政府信息公开情况统计表", False),
    ],
)
def test_a_title_printed_with_attachment_year_and_body_names_the_table(printed: str, heading: bool) -> None:
    from gongkai.checker.tables import _titled

    assert _titled(printed, "政府信息公开情况统计表") is heading
