"""The checker on reports of other years and other formats than the training set (tests/checker/data/variety/).

The reports there were written for these tests the way such bodies publish them: a 2016 report of a municipal
office with the 2014 national statistics table (国办发〔2014〕32号, `|` rows with 单位), a 2020 report in the 2019 trial
format (tab-separated rows), a 2023 report in the 2021 format in Traditional script (`|` rows) and a 2015 report
with the Fujian provincial table flattened to one line (as pingtan-2014). Each has a copy with planted defects
(``-defects``). Their expected cells, figures and findings were worked out by hand from the rules
(docs/checker-rules.md), not by running the checker.

Personas: 赵敏 (an evaluator at the provincial office) checks the reports of other years and expects every
figure the text states and exactly the findings worked out by hand — none on a correct report; 孙磊 (the clerk
who typed them) planted one defect of each kind in the copies and expects each to be found."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongkai.checker import engine, narrative, rules
from gongkai.checker.types import Cell, Finding, Result
from tests.checker.rules_support import DATA, document, expected_result

VARIETY = DATA / "variety"
PREVIOUS = {"pingtan-2015": "pingtan-2014", "pingtan-2023": "pingtan-2022"}  # last year's training report
REPORTS = ["shanghai-office-2016", "pingtan-2020", "pingtan-2023", "pingtan-2015"]
ALL = [name + suffix for name in REPORTS for suffix in ("", "-defects")]


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VARIETY / f"{name}.expected.json").read_text(encoding="utf-8"))
    return data


def _number(value: Any) -> int | Decimal | None:
    return value if value is None or isinstance(value, int) else Decimal(str(value))


def _result(name: str) -> Result:
    data = _expected(name)
    cells = [Cell(c["table"], c["row"], c["column"], _number(c["value"])) for c in data["cells"]]
    return Result(data["format"], data["body"], data["year"], cells)


def _doc(name: str) -> Any:
    return document((VARIETY / f"{name}.txt").read_text(encoding="utf-8"))


def _previous(name: str) -> str | None:
    return PREVIOUS.get(name.removesuffix("-defects"))


def _figures(items: Any) -> Counter[tuple[str, float]]:
    return Counter(
        (f["text"], float(f["value"])) if isinstance(f, dict) else (f.text, float(f.value)) for f in items
    )


def _findings(items: Any) -> Counter[tuple[str, str, frozenset[tuple[str, str, str]]]]:
    out: Counter[tuple[str, str, frozenset[tuple[str, str, str]]]] = Counter()
    for f in items:
        if isinstance(f, Finding):
            out[(f.rule, f.severity, frozenset(c.key for c in f.cells))] += 1
        elif "message" in f:
            cells = frozenset((c["table"], c["row"], c["column"]) for c in f["cells"])
            out[(f["rule"], f["severity"], cells)] += 1
        else:
            out[(f["rule"], f["severity"], frozenset(tuple(c) for c in f["cells"]))] += 1
    return out


@pytest.mark.parametrize("name", ALL)
def test_zhao_min_reads_every_figure_of_each_report(name: str) -> None:
    got = _figures(narrative.extract(_doc(name), None))
    want = _figures(_expected(name)["narrative"])
    assert got - want == Counter(), "extra figures"
    assert want - got == Counter(), "missing figures"


@pytest.mark.parametrize("name", ALL)
def test_zhao_min_gets_exactly_the_findings_worked_out_by_hand(name: str) -> None:
    before = _previous(name)
    previous = expected_result(before) if before else None
    got = rules.check(_result(name), _doc(name), previous)
    assert _findings(got) == _findings(_expected(name)["findings"])


@pytest.mark.parametrize("name", REPORTS)
def test_a_correct_report_of_another_year_has_no_finding(name: str) -> None:
    assert _expected(name)["findings"] == []
    assert rules.check(_result(name), _doc(name), None) == []


def test_sun_lei_plants_one_defect_of_each_kind_and_each_is_found() -> None:
    rules_found = {f.rule for name in REPORTS for f in rules.check(
        _result(name + "-defects"), _doc(name + "-defects"),
        expected_result(_previous(name)) if _previous(name) else None)}  # fmt: skip
    for wanted in (
        "2014 table 分项之和 = 合计",  # refusal reasons and review results against their totals
        "2014 table 其中 ≤ 合计",
        "narrative ↔ table (主动公开)",
        "narrative percentages",
        "Table 4 维持＋纠正＋其他＋尚未审结 = 总计",
        "blank cells",
        "narrative ↔ table (予以公开)",
        "narrative ↔ table (行政诉讼)",
        "Table 3 收支平衡（新收＋上年结转＝办理结果＋结转下年度）",
        "narrative ↔ table (复议/诉讼结果)",
        "cross-year: 现行有效 = 上年现行有效 + 制发 − 废止",
        "2008-era table 分项之和 = 合计",
        "narrative: category breakdown = proactive total",
        "cross-year: 历年累计 = 上年历年累计 + 本年度",
    ):
        assert wanted in rules_found, wanted


def test_2014_narrative_outcomes_channels_and_answers_are_compared() -> None:
    """The 2014 table's 同意公开/同意部分公开/不同意公开, the channels and the answered count against the text."""
    result = _result("shanghai-office-2016")
    doc = _doc("shanghai-office-2016")
    assert rules.check(result, doc, None) == []
    answers = "三、依申请公开情况/（三）申请答复数/"
    for row, rule in (
        (answers + "2.同意公开答复数", "narrative ↔ table (同意公开答复数)"),
        (answers + "4.不同意公开答复数", "narrative ↔ table (不同意公开答复数)"),
        ("三、依申请公开情况/（一）收到申请数/3.网络申请数", "narrative ↔ table (网络申请数)"),
        ("五、行政诉讼数量", "narrative ↔ table (行政诉讼)"),
    ):
        changed = Result(result.format, result.body, result.year, [
            Cell(c.table, c.row, c.column, 999) if c.row == row else c for c in result.cells])  # fmt: skip
        found = [f for f in rules.check(changed, doc, None) if f.rule == rule]
        assert len(found) == 1 and [c.row for c in found[0].cells] == [row], rule
    # the answered count may be the 答复数 or the 办结数 row: only when it is neither is it a defect
    closed, answered = "三、依申请公开情况/（二）申请办结数", "三、依申请公开情况/（三）申请答复数"
    changed = Result(result.format, result.body, result.year, [
        Cell(c.table, c.row, c.column, 640) if c.row in (closed, answered) else c for c in result.cells])  # fmt: skip
    found = [f for f in rules.check(changed, doc, None) if f.rule == "narrative ↔ table (申请答复数)"]
    assert len(found) == 1 and [c.row for c in found[0].cells] == [answered]


def test_concepts_of_quoted_outcomes_and_continued_sentences() -> None:
    doc = document(
        "2016年，本机关共收到政府信息公开申请653件。其中，当面申请118件，网络申请402件。"
        "在已答复的申请中，“同意公开”的183件，“不同意公开”的64件，其他类型答复5件。"
        "2016年，因政府信息公开申请引发行政复议14件。引发行政诉讼9件。\n"
        "全区法院共受理行政诉讼案件300件。\n"
    )
    concepts = [(f.value, f.concept) for f in narrative.analyse(doc)]
    assert concepts == [
        (653, "requests.received"),
        (118, "channel.当面"),
        (402, "channel.网络"),
        (183, "outcome.disclosed"),
        (64, "outcome.refused"),
        (5, ""),
        (14, "reviews.total"),
        (9, "lawsuits.total"),
        (300, ""),
    ]


# End to end (reading → tables → narrative → rules) -----------------------------------------------------------


def _check_path(name: str) -> dict[str, Any]:
    before = _previous(name)
    previous = (DATA / f"{before}.txt") if before else None
    data: dict[str, Any] = engine.check_path(VARIETY / f"{name}.txt", previous).as_json()
    return data


def _cells(items: Any) -> dict[tuple[str, str, str], Any]:
    return {(c["table"], c["row"], c["column"]): c["value"] for c in items}


@pytest.mark.parametrize(
    "name", ["shanghai-office-2016", "shanghai-office-2016-defects", "pingtan-2020", "pingtan-2020-defects",
             "pingtan-2023", "pingtan-2023-defects", "pingtan-2015", "pingtan-2015-defects"],
)  # fmt: skip
def test_zhao_min_checks_the_file_end_to_end_exactly(name: str) -> None:
    got, want = _check_path(name), _expected(name)
    assert (got["format"], got["body"], got["year"]) == (want["format"], want["body"], want["year"])
    assert _cells(got["cells"]) == _cells(want["cells"])
    assert _figures(got["narrative"]) == _figures(want["narrative"])
    assert _findings(got["findings"]) == _findings(want["findings"])


@pytest.mark.parametrize("name", ["shanghai-office-2016", "shanghai-office-2016-defects"])
def test_the_2014_table_report_end_to_end(name: str) -> None:
    """The 2014-table report whose table title carries 附表, the year and the body ("附表：2016年上海市人民政府办公厅
    政府信息公开情况统计表"): the title is the table's heading, so its first row is read (2856), not left blank."""
    got = _check_path(name)
    assert (got["format"], got["body"], got["year"]) == ("2014", "上海市人民政府办公厅", 2016)
    first = "一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
    assert _cells(got["cells"])[("政府信息公开情况统计表", first, "统计数")] == 2856
    assert not any(f["rule"] == "blank cells" for f in got["findings"])


def test_the_variety_files_are_what_the_module_docstring_says() -> None:
    formats = {name: _expected(name)["format"] for name in REPORTS}
    assert formats == {
        "shanghai-office-2016": "2014",
        "pingtan-2020": "2019",
        "pingtan-2023": "2021",
        "pingtan-2015": "2008-era",
    }
    assert (
        "|" not in (VARIETY / "pingtan-2020.txt").read_text(encoding="utf-8").split("三、收到和处理")[1][:400]
    )
    assert "申請" in (VARIETY / "pingtan-2023.txt").read_text(encoding="utf-8")
    assert Path(VARIETY / "pingtan-2015.txt").read_text(encoding="utf-8").count("\n") < 10


def test_a_fee_stated_in_yuan_is_compared_with_the_table_in_wan_yuan() -> None:
    result = _result("shanghai-office-2016")
    fees = "七、依申请公开信息收取的费用（万元）"
    doc = document("2016年，本机关收取政府信息公开检索、复制、邮寄等费用共计1200元。\n")
    charged = Result(result.format, result.body, result.year, [
        Cell(c.table, c.row, c.column, Decimal("0.12")) if c.row == fees else c for c in result.cells])  # fmt: skip
    assert [f.rule for f in rules.check(charged, doc, None)] == []
    assert [f.rule for f in rules.check(result, doc, None)] == ["narrative ↔ table (收费)"]


def test_provincial_answers_and_single_channels_against_the_text() -> None:
    """pingtan-2015 states 同意公开4件, 同意部分公开1件, 当面申请2件, 网上申请3件: each against its 其中 row; the
    combined 信函、传真申请数 row is not compared with 信函申请1件."""
    result, doc = _result("pingtan-2015"), _doc("pingtan-2015")
    table = "六、平潭综合实验区政府信息公开情况统计表"
    for row, rule in (
        ("其中：1、同意公开答复数", "narrative ↔ table (同意公开)"),
        ("2、同意部分公开答复数", "narrative ↔ table (部分公开)"),
        ("其中：1、当面申请数", "narrative ↔ table (当面申请)"),
        ("2、网上申请数", "narrative ↔ table (网上申请)"),
    ):
        changed = Result(result.format, result.body, result.year, [
            Cell(c.table, c.row, c.column, 0) if (c.row, c.column) == (row, "2015年度") else c
            for c in result.cells])  # fmt: skip
        assert rule in [f.rule for f in rules.check(changed, doc, None)], rule
    changed = Result(result.format, result.body, result.year, [
        Cell(c.table, c.row, c.column, 0) if (c.row, c.column) == ("3、信函、传真申请数", "2015年度") else c
        for c in result.cells])  # fmt: skip
    assert not [f for f in rules.check(changed, doc, None) if "信函" in f.rule]
    assert table in {c.table for c in result.cells}


def test_requests_counted_as_matters_and_a_count_that_includes_the_carry_over() -> None:
    doc = document(
        "2016年，全区共受理依申请公开事项32件，均在规定时限内办结。\n"
        "全年共受理政府信息公开申请40件（含上年结转的申请8件）。\n"
    )
    assert [(f.value, f.concept) for f in narrative.analyse(doc)][:2] == [
        (32, "requests.received"),
        (40, "requests.received"),
    ]
    result = _result("pingtan-2015")
    table = "六、平潭综合实验区政府信息公开情况统计表"
    changed = Result(result.format, result.body, result.year, [
        Cell(c.table, c.row, c.column, 32) if (c.row, c.column) == ("受理依申请公开信息总数", "2015年度") else c
        for c in result.cells])  # fmt: skip
    carried = document("全年共受理政府信息公开申请40件（含上年结转的申请8件）。\n")
    found = [f.rule for f in rules.check(changed, carried, None) if "received" in f.rule]
    assert found == [] and table
    plain = document("全年共受理政府信息公开申请40件。\n")
    assert "narrative ↔ table (requests received)" in [f.rule for f in rules.check(changed, plain, None)]


def test_2014_reviews_may_leave_pending_cases_out_but_never_count_more() -> None:
    result, doc = _result("shanghai-office-2016"), _doc("shanghai-office-2016")
    other = "四、行政复议数量/（三）其他情形数"
    for number, wanted in ((0, []), (3, ["2014 table 分项之和 = 合计"])):
        changed = Result(result.format, result.body, result.year, [
            Cell(c.table, c.row, c.column, number) if c.row == other else c for c in result.cells])  # fmt: skip
        assert [f.rule for f in rules.check(changed, doc, None)] == wanted


def test_taiwan_phrasing_of_a_traditional_report_is_about_information_disclosure() -> None:
    doc = document(
        "2018年，本府共收到政府資訊公開申請56件，其中網路申請40件。\n2019年本府未收到政府資訊公開申請。\n"
    )
    figures = narrative.analyse(doc)
    assert [(f.value, f.concept) for f in figures] == [
        (56, "requests.received"),
        (40, "channel.网络"),
        (0, "requests.received"),
    ]
    assert figures[0].sentence.text.startswith("2018年，本府共收到政府資訊公開申請")
