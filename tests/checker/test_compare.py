"""Year over year (report-checker issue, Deliver 7): 李娜, who checks the reports of 平安县 for the county's
supervising office, compares its 2021 and 2022 reports — two synthetic years with changed cells, paragraphs
added, removed and changed, a share of text copied, and a carry-over that does not follow from last year's."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from docx import Document as Docx

from gongkai.checker import compare
from gongkai.checker.reading import Document
from gongkai.checker.types import Cell, Result
from tests.checker.rules_support import DATA
from tests.conftest import Personas

T2, T3, T4 = compare.T2, compare.T3, "四、政府信息公开行政复议、行政诉讼情况"
NORMS = "第二十条第（一）项/行政规范性文件"
BODY = "平安县人民政府"

OLD_TEXT = "\n".join(
    [
        "平安县人民政府2021年政府信息公开工作年度报告",
        "首页 > 政务公开 > 年报",
        "一、总体情况",
        "2021年，平安县坚持以人民为中心推进政务公开工作，全面落实各项公开要求，持续提升公开质量和群众满意度。",
        "全年共收到政府信息公开申请70件，均已按期答复。",
        "本年度开展政务公开培训两次，参训人员覆盖全县各部门。",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 0 | 0 | 0",
        "二、存在的主要问题及改进情况",
        "部分单位公开意识不强，下一步将加强督促检查。",
    ]
)
NEW_TEXT = "\n".join(
    [
        "平安县人民政府2022年政府信息公开工作年度报告",
        "首页 > 政务公开 > 年报",
        "一、总体情况",
        "2022年，平安县坚持以人民为中心推进政务公开工作，全面落实各项公开要求，持续提升公开质量和群众满意度。",
        "全年共收到政府信息公开申请74件，均已按期答复。",
        "本年度新建政务公开专区十二个，方便群众就近查阅政府信息。",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 0 | 0 | 0",
        "二、存在的主要问题及改进情况",
        "部分单位公开意识不强，下一步将加强督促检查。",
    ]
)


def _result(year: int, fmt: str, cells: list[Cell]) -> Result:
    return Result(fmt, BODY, year, cells)  # type: ignore[arg-type]


def _years() -> tuple[Result, Result]:
    old = _result(
        2021,
        "2021",
        [
            Cell(T2, NORMS, "本年制发件数", 69),
            Cell(T2, NORMS, "现行有效件数", 665),
            Cell(T3, "一、本年新收政府信息公开申请数量", "总计", 70),
            Cell(T3, compare.CARRIED_OUT, "总计", 2),
            Cell(T4, "行政复议", "结果维持", 1),
            Cell(T2, "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）", Decimal("1.50")),
        ],
    )
    new = _result(
        2022,
        "2021",
        [
            Cell(T2, NORMS, "本年制发件数", 69),  # unchanged
            Cell(T2, NORMS, "现行有效件数", 698),
            Cell(T3, "一、本年新收政府信息公开申请数量", "总计", 74),
            Cell(T3, compare.CARRIED_IN, "总计", 1),  # last year carried 2 over: a cross-year error
            Cell(T4, "行政复议", "结果维持", None),  # blank this year
            Cell(T2, "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）", Decimal("1.25")),
        ],
    )
    return old, new


def _compare() -> compare.Comparison:
    old, new = _years()
    return compare.compare(old, Document.from_text(OLD_TEXT), new, Document.from_text(NEW_TEXT))


def test_every_changed_cell_with_old_new_and_difference() -> None:
    result = _compare()
    changes = {(c.table, c.row, c.column): c for c in result.cells}
    in_force = changes[(T2, NORMS, "现行有效件数")]
    assert (in_force.old, in_force.new, in_force.difference, in_force.kind) == (665, 698, 33, "changed")
    assert "现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数" in in_force.rule
    assert changes[(T3, "一、本年新收政府信息公开申请数量", "总计")].difference == 4
    fee = changes[(T2, "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")]
    assert fee.difference == Decimal("-0.25")
    blank = changes[(T4, "行政复议", "结果维持")]
    assert (blank.old, blank.new, blank.difference) == (1, None, None)
    assert (T2, NORMS, "本年制发件数") not in changes  # unchanged: not listed
    # the same format: a cell printed in one year only is listed as added or removed
    assert changes[(T3, compare.CARRIED_IN, "总计")].kind == "added"
    assert changes[(T3, compare.CARRIED_OUT, "总计")].kind == "removed"
    assert result.compared == 5 and result.same_format and not result.notes


def test_the_carry_over_mismatch_is_found_and_explained_on_its_cell() -> None:
    result = _compare()
    assert [f.rule for f in result.findings] == ["cross-year: Table 3 上年结转 = 上年结转下年度"]
    finding = result.findings[0]
    assert finding.severity == "error" and "1" in finding.message and "2" in finding.message
    carried = next(c for c in result.cells if c.row == compare.CARRIED_IN)
    assert "§3.4规则5" in carried.rule and "上年为2" in carried.rule
    assert carried.finding == finding.message


def test_paragraphs_added_removed_and_changed_without_chrome_or_table_rows() -> None:
    result = _compare()
    kinds = [(p.kind, p.old[:8], p.new[:8]) for p in result.paragraphs]
    assert kinds == [
        ("changed", "平安县人民政府2", "平安县人民政府2"),
        ("changed", "2021年，平安", "2022年，平安"),
        ("changed", "全年共收到政府信", "全年共收到政府信"),
        ("removed", "本年度开展政务公", ""),
        ("added", "", "本年度新建政务公"),
    ]
    shown = " ".join(p.old + p.new for p in result.paragraphs)
    assert "首页" not in shown and "规章 | 0" not in shown
    assert result.unchanged_paragraphs == 3  # 一、总体情况, 二、…, the last paragraph
    changed = next(p for p in result.paragraphs if p.old.startswith("全年共收到"))
    assert ("removed", "0") in changed.pieces() and ("added", "4") in changed.pieces()


def test_copied_share_is_the_new_narrative_in_runs_of_ten_found_last_year() -> None:
    old = ["甲乙丙丁戊己庚辛壬癸子丑寅卯", "春夏秋冬"]
    new = ["甲乙丙丁戊己庚辛壬癸子丑", "东南西北中发白一二三四五"]
    # 12 characters copied (a run of 12 from last year) of 24; the 4-character run 春夏秋冬 would not count
    assert compare.copied_share(old, new) == (12, 24)
    assert compare.copied_share(old, ["春夏秋冬春夏秋冬"]) == (0, 8)
    result = _compare()
    plain = [p for p, _s in compare.paragraphs(Document.from_text(NEW_TEXT))]
    assert result.new_chars == sum(map(len, plain))
    assert compare.copied_share(["一、总体情况"], ["一、总体情况", "二、其他"]) == (6, 10)
    assert 0 < result.copied < 1 and result.copied_chars < result.new_chars


def test_a_copied_narrative_is_flagged_by_the_soft_rule_and_script_does_not_matter() -> None:
    old, new = _years()
    traditional = Document.from_text(NEW_TEXT.replace("开", "開").replace("县", "縣"))
    assert traditional.text != NEW_TEXT
    result = compare.compare(old, traditional, new, Document.from_text(NEW_TEXT))
    assert not result.paragraphs and result.copied == 1
    assert any("80%" in note for note in result.notes)


def test_different_formats_compare_only_cells_with_the_same_labels_and_say_so() -> None:
    old = _result(
        2020,
        "2019",
        [
            Cell(T3, "一、本年新收政府信息公开申请数量", "总计", 50),
            Cell(T2, "第二十条第（九）项/政府集中采购", "采购总金额", 251000),
        ],
    )
    new = _result(
        2021,
        "2021",
        [
            Cell(T3, "一、本年新收政府信息公开申请数量", "总计", 70),
            Cell(T2, NORMS, "现行有效件数", 698),
        ],
    )
    result = compare.compare(old, Document.from_text(OLD_TEXT), new, Document.from_text(NEW_TEXT))
    assert [(c.row, c.difference) for c in result.cells] == [("一、本年新收政府信息公开申请数量", 20)]
    assert result.compared == 1 and not result.same_format
    assert any("2019 → 2021" in note and "1个单元格" in note for note in result.notes)


def test_ambiguous_cells_are_not_compared_and_provincial_titles_match_without_their_year() -> None:
    old = _result(
        2013, "2008-era", [Cell("2013年度政府信息公开情况统计表", "主动公开文件数", "历年累计", 76424)]
    )
    new = _result(
        2014,
        "2008-era",
        [
            Cell("2014年度政府信息公开情况统计表", "主动公开文件数", "历年累计", 78967),
            Cell("2014年度政府信息公开情况统计表", "受理依申请公开信息总数", "本年度", None, ambiguous=True),
        ],
    )
    result = compare.compare(old, Document.from_text(""), new, Document.from_text(""))
    assert [(c.old, c.new, c.difference) for c in result.cells] == [(76424, 78967, 2543)]
    assert "历年累计数 = 上年历年累计数 + 本年度数" in result.cells[0].rule
    assert result.unknown == [("2014年度政府信息公开情况统计表", "受理依申请公开信息总数", "本年度")]


def test_json_text_and_docx_carry_the_comparison_and_survive_control_characters() -> None:
    old, new = _years()
    dirty = NEW_TEXT + "\n新增一段含控制字符\x0b\x01的说明文字，用于检查导出。"
    result = compare.compare(old, Document.from_text(OLD_TEXT), new, Document.from_text(dirty))
    data = result.as_json()
    assert json.loads(json.dumps(data, ensure_ascii=False))["copied"]["chars"] == result.new_chars
    assert {"old": 665, "new": 698, "difference": 33}.items() <= data["cells"][0].items()
    text = compare.to_text(result)
    assert "665 → 698（+33）" in text and "cross-year" in text
    document = Docx(io.BytesIO(compare.to_docx(result)))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "新增一段含控制字符的说明文字" in body and "\x0b" not in body
    assert "665" in cells and "698" in cells and any("§3.4规则5" in c for c in cells)
    assert compare.title(result) in body


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("规章 | 0 | 0 | 0", True),
        ("规章\t0\t0", True),
        ("行政许可      12      3", True),
        ("主动公开文件数    2543", True),
        ("全年共收到政府信息公开申请74件。", False),
    ],
)
def test_table_rows_of_each_reader_are_not_paragraphs(line: str, row: bool) -> None:
    assert compare.table_row(line) is row


# The staff page ------------------------------------------------------------------------------------------


PAGE = "/staff/checker/compare/"


@pytest.mark.django_db
def test_the_page_is_for_staff_and_an_expired_docx_is_not_found(client: Client, personas: Personas) -> None:
    assert client.get(PAGE).status_code == 302
    client.force_login(personas.outsider)
    assert client.get(PAGE).status_code == 403
    client.force_login(personas.supervisor)
    page = client.get(PAGE)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert client.get(PAGE + "no-such-token.docx").status_code == 404
    missing = client.post(PAGE, {})
    assert missing.status_code == 400


@pytest.mark.django_db
def test_two_uploaded_years_side_by_side_and_as_docx(client: Client, personas: Personas) -> None:
    client.force_login(personas.supervisor)
    old = SimpleUploadedFile("pingtan-2021.txt", (DATA / "pingtan-2021.txt").read_bytes())
    new = SimpleUploadedFile("pingtan-2022.txt", (DATA / "pingtan-2022.txt").read_bytes())
    page = client.post(PAGE, {"old": old, "new": new})
    html = page.content.decode()
    assert page.status_code == 200, html[:2000]
    assert "平潭综合实验区政府信息公开工作年度报告逐年比较（2021年 → 2022年）" in html
    assert "<td>665</td><td>698</td>" in html and "§3.4" in html
    assert "<del>" in html and "<ins>" in html
    token = page.context["token"]
    docx = client.get(f"{PAGE}{token}.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    document = Docx(io.BytesIO(docx.content))
    assert "2021年 → 2022年" in document.paragraphs[0].text
    # the token belongs to the user who made the comparison
    client.force_login(personas.clerk)
    assert client.get(f"{PAGE}{token}.docx").status_code == 404


@pytest.mark.django_db
def test_an_unreadable_upload_is_one_clear_line(client: Client, personas: Personas) -> None:
    client.force_login(personas.clerk)
    empty = SimpleUploadedFile("picture.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    other = SimpleUploadedFile("pingtan-2022.txt", (DATA / "pingtan-2022.txt").read_bytes())
    page = client.post(PAGE, {"old": empty, "new": other})
    assert page.status_code == 400
    assert "PNG" in page.context["error"] and page.context["error"] in page.content.decode()


# The command ----------------------------------------------------------------------------------------------


def test_command_prints_the_comparison_as_text_json_and_docx(tmp_path: Path) -> None:
    old, new = tmp_path / "2021.txt", tmp_path / "2022.txt"
    old.write_bytes((DATA / "pingtan-2021.txt").read_bytes())
    new.write_bytes((DATA / "pingtan-2022.txt").read_bytes())
    out = io.StringIO()
    call_command(
        "compare-reports", str(old), str(new), "--json", "--docx", str(tmp_path / "c.docx"), stdout=out
    )
    data = json.loads(out.getvalue())
    assert (data["old"]["year"], data["new"]["year"], data["same_format"]) == (2021, 2022, True)
    in_force = next(c for c in data["cells"] if c["column"] == "现行有效件数" and c["new"] == 698)
    assert (in_force["old"], in_force["difference"]) == (665, 33)
    assert data["findings"] == []  # README: the cross-year checks pass (1 = 1, 665 + 88 − 55 = 698)
    assert 0 < data["copied"]["share"] < 1
    assert Docx(str(tmp_path / "c.docx")).paragraphs[0].text.endswith("（2021年 → 2022年）")
    text = io.StringIO()
    call_command("compare-reports", str(old), str(new), stdout=text)
    assert "一、表格" in text.getvalue() and "三、跨年度衔接检查（0项问题）" in text.getvalue()
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("compare-reports", str(tmp_path / "none.txt"), str(new), stdout=io.StringIO())


def test_bodies_are_the_same_when_one_name_contains_the_other() -> None:
    old, new = _years()
    old.body, new.body = "平潭综合实验区管委会", "平潭综合实验区"
    result = compare.compare(old, Document.from_text(OLD_TEXT), new, Document.from_text(NEW_TEXT))
    assert not any("机关名称不同" in n for n in result.notes)
    new.body = "平安县人民政府"
    result = compare.compare(old, Document.from_text(OLD_TEXT), new, Document.from_text(NEW_TEXT))
    assert any("机关名称不同（平潭综合实验区管委会、平安县人民政府）" in n for n in result.notes)
