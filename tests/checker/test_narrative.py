"""The figures a report's text states (gongkai.checker.narrative).

Personas: 王芳 (an evaluator at the provincial office) reads the training reports and the Traditional seed and
expects every figure the text states — and nothing else: not a date, a document number, a telephone number, a
section number or a table cell."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from gongkai.checker import narrative
from tests.checker.rules_support import document, expected, seed_document, training_document


def _pairs(figures: list[narrative.NarrativeFigure]) -> Counter[tuple[str, float]]:
    return Counter((f.text, float(f.value)) for f in figures)


@pytest.mark.parametrize("name", ["pingtan-2014", "pingtan-2022", "shanghai-2019"])
def test_wang_fang_gets_exactly_the_expected_figures_of_each_training_report(name: str) -> None:
    doc = training_document(name)
    got = _pairs(narrative.extract(doc, None))
    want = Counter((n["text"], float(n["value"])) for n in expected(name)["narrative"])
    assert got - want == Counter(), "extra figures"
    assert want - got == Counter(), "missing figures"


def test_every_sentence_is_verbatim_and_every_label_says_something() -> None:
    doc = training_document("shanghai-2019")
    for figure in narrative.extract(doc, None):
        assert figure.text in doc.text
        assert figure.label and not figure.label.startswith("（")


SEED_FIGURES = [
    115144,
    272,
    247,
    59229,
    33,
    10126,
    3589,
    44481,
    2600,
    Decimal("96.2"),
    9804,
    127,
    4,
    8565,
    8421,
    Decimal("98.32"),
    4179,
    14,
    14,
    182,
    967,
    3416,
    112,
    28,
    33,
    51,
    112,
    112,
    112,
    112,
    57,
    36,
    11,
    7,
    1,
    6,
    1,
]


def test_wang_fang_reads_every_figure_of_the_traditional_seed_in_its_own_script() -> None:
    doc = seed_document()
    figures = narrative.extract(doc, None)
    assert [f.value for f in figures] == SEED_FIGURES
    first = figures[0]
    assert first.text == "全市共主動公開政府信息115144條。"  # Traditional, as printed
    assert all(f.text in doc.text for f in figures)
    # the seed's 許政辦[2014]11號, its dates and 十件實事 are not figures
    assert 11 not in [f.value for f in figures if "許政辦" in f.text]


@pytest.mark.parametrize(
    "sentence",
    [
        "本报告所列数据统计期限自2014年1月1日起至2014年12月31日。",
        "根据《通知》（国办公开办函〔2019〕60号）要求编制。",
        "请与办公室联系（地址：金井湾商务营运中心7号楼14层，邮编：350400，电话：0591-23165385）。",
        "电子邮箱：pzxxgkb@163.com，网址www.pingtan.gov.cn。",
        "推送《现在为您导航！2019上海再出发》H5作品。",
        "通过“12345”市民服务热线收集意见。",
        "依据《条例》第36条规定执行。",
        "通过实施联合审批、全程辅导等7项新举措，提升服务水平。",
        "编制文化发展规划（2021-2035）。",
        "时间：2015-01-02 00:00 来源：区政府。",
        "- 3 -",
        "第3页 共10页",
        "浏览次数：1234",
        "网站标识码3100000001 沪ICP备12345678号",
        "提供7×24小时在线服务，在15个工作日内予以答复。",
    ],
)
def test_what_is_not_a_count_is_not_a_figure(sentence: str) -> None:
    assert narrative.extract(document(sentence), None) == []


def test_printed_numbers_keep_their_form() -> None:
    doc = document(
        "目前已汇集了60多个单位的信息。微信用户已突破550万，播放量超2300万。"
        "申请数量较去年回落12.3%。办件量同比下降5件。好评率99.58%。共主动公开信息１２，３４５条。"  # a full-width separator before a unit
        "全年收到申请1,234件。"
    )
    values = [f.value for f in narrative.extract(doc, None)]
    assert values == [60, 550, 2300, Decimal("-12.3"), -5, Decimal("99.58"), 12345, 1234]


def test_full_width_digits_are_read_from_the_simplified_text() -> None:
    doc = document("全年主动公开政府信息１２３４５条。")
    [figure] = narrative.extract(doc, None)
    assert figure.value == 12345 and figure.text == "全年主动公开政府信息１２３４５条。"


def test_a_sentence_saying_nothing_happened_states_a_zero() -> None:
    doc = document(
        "2014年我区各级工作部门依申请提供政府信息暂不收费。\n2022年，无收取信息处理费情况。\n"
        "本年度未收到有关政府信息公开行政复议的申请。\n未发生相关责任人责任追究问题情况。"
    )
    figures = narrative.analyse(doc)
    assert [(f.value, f.concept) for f in figures] == [(0, "fees"), (0, "fees"), (0, "reviews.total")]


def test_one_letter_request_is_the_total_the_channel_and_answered() -> None:
    doc = document(
        "2014年全区收到有关政府信息公开的信函申请1条，已受理回复；未收到有关政府信息公开行政复议的申请。"
    )
    concepts = sorted(f.concept for f in narrative.analyse(doc))
    assert concepts == ["channel.信函", "requests.answered", "requests.received", "reviews.total"]


def test_tables_and_page_chrome_are_not_narrative() -> None:
    doc = document(
        "标题: 某区2020年度政府信息公开工作年度报告\n发布时间: 2021-01-20 10:00\n"
        "规章 | 0 | 0 | 3\n一、本年新收政府信息公开申请数量\t5\t0\t5\n"
        "六、统计表 指标名称 计量单位 本年度 历年累计 主动公开文件数 条 2543 78967\n"
        "2020年，全区共主动公开政府信息321条。"
    )
    assert [(f.text, f.value) for f in narrative.extract(doc, None)] == [
        ("2020年，全区共主动公开政府信息321条。", 321)
    ]


def test_a_heading_run_into_the_text_is_not_part_of_the_sentence() -> None:
    doc = document(
        "二、主动公开政府信息情况 （一）主动公开政府信息的数量 区直各单位2014年主动公开政府信息 2543条。"
    )
    [figure] = narrative.extract(doc, None)
    assert figure.text == "区直各单位2014年主动公开政府信息 2543条。"


def test_concepts_the_rules_compare() -> None:
    doc = document(
        "市政府办公厅共受理政府信息公开申请859件；答复政府信息公开申请805件（含上年度结转申请18件，"
        "另有72件申请顺延到下年度答复）。予以公开及部分公开258件，占33.9%；不予公开35件；无法提供265件；"
        "不予处理158件；其他处理0件。信息公开类行政复议7件，诉讼9件，均获维持。"
        "集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。"
    )
    concepts = [f.concept for f in narrative.analyse(doc)]
    assert concepts == [
        "requests.received",
        "requests.answered",
        "requests.carried_in",
        "requests.carried_out",
        "outcome.disclosed+partly",
        "share",
        "outcome.refused",
        "outcome.unable",
        "outcome.not_processed",
        "outcome.other",
        "reviews.total",
        "lawsuits.total",
        "normative.in_force",
        "normative.issued",
    ]
