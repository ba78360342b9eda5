"""Matching printed labels to the official ones (gongkai.checker.labels): fuzzy, but never a guess between two.

Persona: 王芳 reads tables from many provinces, whose row labels differ by brackets, numbering, notes and typos."""

from __future__ import annotations

import pytest

from gongkai.checker import labels
from gongkai.reports.formats import tables as format_tables

T3_2021 = next(s for s in format_tables("2021") if s.table.startswith("三、"))
LEAVES = [labels.leaf(r) for r in T3_2021.rows]


@pytest.mark.parametrize(
    ("printed", "official"),
    [
        ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量"),
        ("一、 本年新收 政府信息公开申请数量", "一、本年新收政府信息公开申请数量"),
        ("本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量"),
        ("（一）本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量"),
        ("本年新收政府信息公开申请数", "一、本年新收政府信息公开申请数量"),
        ("(二)部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ("１．属于国家秘密", "1.属于国家秘密"),
        ("属于国家秘密", "1.属于国家秘密"),
        ("2.其它法律行政法规禁止公开", "2.其他法律行政法规禁止公开"),
        ("3.危及三安全一稳定", "3.危及“三安全一稳定”"),
        ("（七）总计", "（七）总计"),
        ("七、总计", "（七）总计"),
    ],
)
def test_printed_variants_name_their_official_label(printed: str, official: str) -> None:
    assert labels.match(printed, LEAVES) == official


@pytest.mark.parametrize("printed", ["总", "其他情况说明", "申请人情况", "合计数量", ""])
def test_labels_naming_no_row_match_nothing(printed: str) -> None:
    assert labels.match(printed, LEAVES) is None


def test_a_label_close_to_two_official_ones_matches_neither() -> None:
    assert labels.match("行政处罚强制", ["行政处罚", "行政强制"]) is None
    assert labels.match("规范性文件", ["规章", "行政规范性文件"]) == "行政规范性文件"


def test_normalising_keeps_meaning() -> None:
    assert labels.normalize(" （一） 予以公开： ") == "(一)予以公开"
    assert labels.strip_numbering("其中：1、当面申请数") == "当面申请数"
    assert labels.strip_note("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开"
    assert labels.leaf("第二十条第（五）项/本年增/减") == "本年增/减"
    assert labels.leaf("三、本年度办理结果/（三）不予公开/1.属于国家秘密") == "1.属于国家秘密"


def test_a_wrapped_label_names_the_one_label_it_starts() -> None:
    assert labels.match("2.申请人逾期未按收费通知要求缴纳费用、行政机关不", LEAVES) == LEAVES[-4]
    assert labels.match("1.申请人无正当理由逾期不补正、行政机关不再处理其", LEAVES) == LEAVES[-5]
    assert labels.match("（二）部分公开（区分处理的，只计这一情形，不计其他情", LEAVES) == LEAVES[3]
