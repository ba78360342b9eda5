"""The consistency rules on a read report (gongkai.checker.rules and crossyear).

Personas: 李娜 (a supervisor at the city office) checks the training reports and expects exactly the findings
found by hand — no more; 陈刚 (the clerk who typed a report) plants one defect at a time and expects the rule that
covers it to fire, and to stay silent once it is corrected."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.checker import rules
from gongkai.checker.types import Cell, Finding, Result
from tests.checker.rules_support import (
    cell_keys,
    document,
    expected,
    expected_result,
    pingtan_2021,
    replace_value,
    training_document,
)

T2, T3, T4 = rules.T2, rules.T3, rules.T4
NEW, CIN, TOTAL, COUT = rules.NEW, rules.CARRIED_IN, rules.TOTAL, rules.CARRIED_OUT
DISCLOSED = rules.RESULTS + "（一）予以公开"
NORMATIVE = "第二十条第（一）项/行政规范性文件"


def _check(name: str, previous: Result | None = None) -> list[Finding]:
    return rules.check(expected_result(name), training_document(name), previous)


def _same(finding: Finding, wanted: dict[str, object]) -> bool:
    return finding.severity == wanted["severity"] and cell_keys(finding.cells) == cell_keys(wanted["cells"])


def _hand_built_2021() -> Result:
    """Last year's cells as the README states them: 1 carried over, 665 in force."""
    base = expected_result("pingtan-2022")
    cells = []
    for c in base.cells:
        value = c.value
        if c.row == COUT:
            value = 1 if c.column in ("自然人", "总计") else 0
        if (c.row, c.column) == (NORMATIVE, "现行有效件数"):
            value = 665
        cells.append(Cell(c.table, c.row, c.column, value))
    return Result("2021", base.body, 2021, cells)


@pytest.mark.parametrize(
    ("name", "previous"),
    [
        ("pingtan-2014", None),
        ("pingtan-2022", "hand-built"),
        ("pingtan-2022", "read"),
        ("shanghai-2019", None),
    ],
)
def test_li_na_gets_exactly_the_expected_findings(name: str, previous: str | None) -> None:
    last = {"hand-built": _hand_built_2021, "read": pingtan_2021}[previous]() if previous else None
    got = _check(name, last)
    wanted = expected(name)["findings"]
    assert len(got) == len(wanted), [f.rule for f in got]
    for want in wanted:
        assert any(_same(f, want) for f in got), want["rule"]
    assert all(f.message for f in got)


def test_shanghai_messages_name_the_figures() -> None:
    messages = {f.rule: f.message for f in _check("shanghai-2019")}
    assert (
        "258" in messages["narrative ↔ table (予以公开及部分公开)"]
        and "275" in messages["narrative ↔ table (予以公开及部分公开)"]
    )
    assert "337" in messages["narrative ↔ table (无法提供)"]
    assert "4.34" in messages["narrative percentages"] and "4.35" in messages["narrative percentages"]


def test_pingtan_2021_read_from_its_text_has_no_findings() -> None:
    assert rules.check(pingtan_2021(), training_document("pingtan-2021"), None) == []


# 陈刚's planted defects: each rule fires on its defect and is silent on the correct version ------------------

CLEAN = document("2022年，无收取信息处理费情况。")


def _clean_2022() -> Result:
    return expected_result("pingtan-2022")


def _rules(result: Result, doc: object = CLEAN, previous: Result | None = None) -> list[str]:
    return [f"{f.rule}|{f.severity}" for f in rules.check(result, doc, previous)]  # type: ignore[arg-type]


def test_the_correct_2022_tables_are_silent() -> None:
    assert _rules(_clean_2022()) == []


def test_a_broken_balance_is_an_error_on_its_column() -> None:
    broken = replace_value(_clean_2022(), T3, NEW, "自然人", 70)
    findings = rules.check(broken, CLEAN, None)
    balance = next(f for f in findings if f.rule.startswith("Table 3 收支平衡"))
    assert balance.severity == "error"
    assert ("自然人" in balance.message) and {c.column for c in balance.cells} == {"自然人"}
    # the new-requests row no longer adds up either
    assert any(f.rule.startswith("Table 3 总计") for f in findings)


def test_result_rows_summing_above_the_total_is_an_error() -> None:
    broken = replace_value(_clean_2022(), T3, DISCLOSED, "自然人", 27)
    broken = replace_value(broken, T3, DISCLOSED, "总计", 27)
    names = _rules(broken)
    assert "Table 3 （七）总计 = Σ 办理结果（各列）|error" in names


def test_a_table_4_block_that_does_not_add_up() -> None:
    broken = replace_value(_clean_2022(), T4, rules.REVIEW, "总计", 3)
    assert _rules(broken) == ["Table 4 维持＋纠正＋其他＋尚未审结 = 总计|error"]


def test_a_blank_total_is_a_warning_not_an_error() -> None:
    broken = replace_value(_clean_2022(), T4, rules.REVIEW, "总计", None)
    assert sorted(_rules(broken)) == [
        "Table 4 维持＋纠正＋其他＋尚未审结 = 总计|warning",
        "blank cells|warning",
    ]


def test_negative_and_fractional_counts() -> None:
    broken = replace_value(_clean_2022(), T2, "第二十条第（六）项/行政强制", "本年处理决定数量", -1)
    assert _rules(broken) == ["cells non-negative|error"]
    broken = replace_value(
        _clean_2022(), T2, "第二十条第（六）项/行政强制", "本年处理决定数量", Decimal("1.5")
    )
    assert _rules(broken) == ["cells whole numbers|error"]
    # fees in 万元 keep their decimals
    assert _rules(_clean_2022()) == []


def test_an_ambiguous_cell_silences_the_rules_that_need_it() -> None:
    base = replace_value(_clean_2022(), T4, rules.REVIEW, "总计", 9)
    cells = [
        Cell(c.table, c.row, c.column, c.value, ambiguous=True) if c.key == (T4, rules.REVIEW, "总计") else c
        for c in base.cells
    ]
    assert _rules(Result("2021", base.body, 2022, cells)) == []


def test_narrative_requests_received_contradicting_the_table() -> None:
    doc = document("2022年，全区收到政府信息公开申请80件。")
    assert _rules(_clean_2022(), doc) == ["narrative ↔ table (requests received)|error"]
    assert _rules(_clean_2022(), document("2022年，全区收到政府信息公开申请74件。")) == []
    # new + carried over (74 + 1) is explained: a warning
    assert _rules(_clean_2022(), document("2022年，全区收到政府信息公开申请75件。")) == [
        "narrative ↔ table (requests received)|warning"
    ]


def test_narrative_outcomes_reviews_and_table_2() -> None:
    clean = _clean_2022()
    right = document(
        "予以公开21件，部分公开9件，无法提供37件。政府信息公开方面共有行政诉讼案件1件、行政复议案件2件，均已结案。"
        "集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。"
    )
    assert _rules(clean, right) == []
    wrong = document(
        "予以公开20件，部分公开9件，无法提供30件。政府信息公开方面共有行政诉讼案件3件、行政复议案件2件，均获维持。"
        "集中公开现行有效行政规范性文件700件，动态更新本年度制发的规范性文件88件。"
    )
    assert sorted(_rules(clean, wrong)) == sorted(
        [
            "narrative ↔ table (予以公开)|error",
            "narrative ↔ table (无法提供)|error",
            "narrative ↔ table (行政诉讼)|error",
            "narrative ↔ table (复议/诉讼结果)|error",
            "narrative ↔ table (表二 行政规范性文件 现行有效件数)|error",
        ]
    )


def test_all_closed_while_a_review_is_pending() -> None:
    broken = replace_value(_clean_2022(), T4, rules.REVIEW, "其他结果", 0)
    broken = replace_value(broken, T4, rules.REVIEW, "尚未审结", 1)
    doc = document("2022年，全区政府信息公开工作方面共有行政复议案件2件，均已结案。")
    findings = rules.check(broken, doc, None)
    assert [f.rule for f in findings] == ["narrative ↔ table (复议/诉讼结果)"]
    assert {c.column for c in findings[0].cells} == {"结果纠正", "尚未审结", "总计"}


def test_narrative_percentages_are_computed_from_the_stated_total() -> None:
    right = document("答复申请200件。予以公开100件，占50%；不予公开50件，占25%。")
    assert _rules(Result("2021", "x", 2022, []), right) == []
    wrong = document("答复申请200件。予以公开100件，占55%；不予公开50件，占25%。")
    assert _rules(Result("2021", "x", 2022, []), wrong) == ["narrative percentages|warning"]
    # without a total that explains any share nothing is said
    unknown = document("予以公开100件，占55%；不予公开50件，占35%。")
    assert _rules(Result("2021", "x", 2022, []), unknown) == []


def test_a_category_breakdown_must_add_up_to_the_proactive_total() -> None:
    total = "全年主动公开政府信息100条。"
    right = document(
        total
        + "主动公开政府信息的主要类别有：机构职能类信息50条，规划计划类信息30条，其他应主动公开的信息20条。"
    )
    wrong = document(
        total
        + "主动公开政府信息的主要类别有：机构职能类信息50条，规划计划类信息30条，其他应主动公开的信息25条。"
    )
    empty = Result("2008-era", "x", 2014, [])
    assert _rules(empty, right) == []
    assert _rules(empty, wrong) == ["narrative: category breakdown = proactive total|error"]


# The 2014 national table and the 2008-era provincial tables --------------------------------------------------

A = "三、依申请公开情况/"


def _table_2014(received: int, channels: tuple[int, int, int, int]) -> Result:
    rows = [A + "（一）收到申请数"] + [
        A + "（一）收到申请数/" + r for r in ("1.当面申请数", "2.传真申请数", "3.网络申请数", "4.信函申请数")
    ]
    values = (received, *channels)
    return Result(
        "2014", "x", 2015, [Cell(rules.T2014, r, "统计数", v) for r, v in zip(rows, values, strict=True)]
    )


def test_2014_table_received_equals_its_channels() -> None:
    assert _rules(_table_2014(112, (28, 0, 33, 51))) == []
    assert _rules(_table_2014(112, (28, 0, 33, 50))) == ["2014 table 分项之和 = 合计|error"]


PROVINCIAL = "六、某区政府信息公开情况统计表"


def _provincial(rows: list[tuple[str, int | None, int | None]], year: int = 2014) -> Result:
    cells = []
    for row, this_year, cumulative in rows:
        cells += [
            Cell(PROVINCIAL, row, f"{year}年度", this_year),
            Cell(PROVINCIAL, row, "历年累计", cumulative),
        ]
    return Result("2008-era", "某区", year, cells)


ROWS_2014 = [
    ("主动公开文件数", 2543, 78967),
    ("其中：1、政府网站公开数", 2543, 78967),
    ("2、政府公报公开数", 0, 0),
    ("受理依申请公开信息总数", 3, 10),
    ("其中：1、当面申请数", 1, 4),
    ("2、网上申请数", 1, 3),
    ("3、信函、传真申请数", 1, 3),
    ("对申请的答复总数", 3, 10),
    ("其中：1、同意公开答复数", 2, 8),
    ("2、同意部分公开答复数", 1, 1),
    ("3、不予公开答复数", 0, 1),
    ("4、其他类型答复数", 0, 0),
]


def test_provincial_table_sums_and_running_totals() -> None:
    assert _rules(_provincial(ROWS_2014)) == []
    answers_off = [(r, 5 if r == "对申请的答复总数" else y, c) for r, y, c in ROWS_2014]
    assert _rules(_provincial(answers_off)) == ["2008-era table 分项之和 = 合计|error"]
    running_off = [(r, y, 1 if r == "2、政府公报公开数" else c) for r, y, c in ROWS_2014]
    running_off = [(r, 2 if r == "2、政府公报公开数" else y, c) for r, y, c in running_off]
    assert "2008-era table 历年累计 ≥ 本年度|error" in _rules(_provincial(running_off))


def test_provincial_narrative_against_its_table() -> None:
    doc = document("2014年全区收到有关政府信息公开的信函申请4条，已受理回复。")
    assert _rules(_provincial(ROWS_2014), doc) == [
        "narrative ↔ table (requests received)|error",
        "narrative ↔ table (答复)|error",
    ]


# Cross-year ---------------------------------------------------------------------------------------------------


def test_pingtan_2022_cross_year_rules_pass_and_catch_planted_defects() -> None:
    last = _hand_built_2021()
    assert _rules(_clean_2022(), CLEAN, last) == []
    wrong_carry = replace_value(last, T3, COUT, "自然人", 2)
    assert _rules(_clean_2022(), CLEAN, wrong_carry) == [
        "cross-year: Table 3 上年结转 = 上年结转下年度|error"
    ]
    wrong_in_force = replace_value(last, T2, NORMATIVE, "现行有效件数", 600)
    findings = rules.check(_clean_2022(), CLEAN, wrong_in_force)  # type: ignore[arg-type]
    assert [(f.rule, f.severity) for f in findings] == [
        ("cross-year: 现行有效 = 上年现行有效 + 制发 − 废止", "warning")
    ]
    assert "698" in findings[0].message and "633" in findings[0].message
    # not consecutive years: nothing is compared
    assert _rules(_clean_2022(), CLEAN, Result("2021", "x", 2019, wrong_carry.cells)) == []


def test_2008_era_running_totals_chain_between_years() -> None:
    last = _provincial([(r, y, c - y) for r, y, c in ROWS_2014], year=2013)
    assert _rules(_provincial(ROWS_2014), CLEAN, last) == []
    off = _provincial(
        [(r, y, c - y - (1 if r == "受理依申请公开信息总数" else 0)) for r, y, c in ROWS_2014], year=2013
    )
    assert _rules(_provincial(ROWS_2014), CLEAN, off) == [
        "cross-year: 历年累计 = 上年历年累计 + 本年度|warning"
    ]


def test_2014_table_against_the_narrative() -> None:
    table = _table_2014(112, (28, 0, 33, 51))
    assert _rules(table, document("全市共受理政府信息公开申请112件。")) == []
    assert _rules(table, document("全市共受理政府信息公开申请110件。")) == [
        "narrative ↔ table (requests received)|error"
    ]


def test_a_received_figure_that_says_it_includes_the_carry_over_is_not_a_defect() -> None:
    doc = document("2022年，全区收到政府信息公开申请75件（含上年结转1件）。")
    assert _rules(_clean_2022(), doc) == []


def test_2014_table_refusals_equal_their_reasons() -> None:
    refused = A + "（三）申请答复数/4.不同意公开答复数"
    reasons = [refused + "/其中：涉及国家秘密", refused + "/其中：涉及个人隐私"]
    cells = [Cell(rules.T2014, refused, "统计数", 7), Cell(rules.T2014, reasons[0], "统计数", 1)]
    right = Result("2014", "x", 2015, [*cells, Cell(rules.T2014, reasons[1], "统计数", 6)])
    wrong = Result("2014", "x", 2015, [*cells, Cell(rules.T2014, reasons[1], "统计数", 5)])
    assert _rules(right) == []
    assert _rules(wrong) == ["2014 table 分项之和 = 合计|error"]
