"""Tables 3 and 4 (2019 trial and 2021 formats) computed from cases, and rules 1-6 of statutory-reference §3.4."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.cases import transitions as t
from gongkai.cases.actions import record_request
from gongkai.cases.models import AdministrativeReview, InformationRequest, Lawsuit
from gongkai.reports.formats import all_cells
from gongkai.reports.registry import REGISTRY, Scope
from gongkai.reports.stats_requests import CARRIED_IN, CARRIED_OUT, NEW, T3, T4, TOTAL
from gongkai.reports.validation import (
    check_carry_over,
    check_table3,
    check_table4,
    table_values,
    validate_request_tables,
)
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date
NATURAL, BUSINESS, RESEARCH, LEGAL = (
    "自然人",
    "法人或其他组织/商业企业",
    "法人或其他组织/科研机构",
    "法人或其他组织/法律服务机构",
)
DISCLOSED = "三、本年度办理结果/（一）予以公开"
PARTLY = "三、本年度办理结果/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
NO_SUPPLEMENT = (
    "三、本年度办理结果/（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
)
THIRD_PARTY = "三、本年度办理结果/（三）不予公开/4.保护第三方合法权益"


def case(tree: Tree, personas: Personas, received: dt.date, kind: str, body=None) -> InformationRequest:  # type: ignore[no-untyped-def]
    return t.register(
        personas.clerk,
        body or tree.education,
        received=received,
        channel="online",
        applicant_kind=kind,
        subject="s",
    )


@pytest.fixture
def two_years(tree: Tree, personas: Personas) -> None:
    a = case(tree, personas, D(2024, 3, 4), "natural")
    t.answer(personas.clerk, a, on=D(2024, 3, 20), outcome="2019.disclosed")
    b = case(tree, personas, D(2024, 12, 20), "business", tree.school_office)
    c = case(tree, personas, D(2024, 6, 3), "research")
    c = t.request_supplement(personas.clerk, c, on=D(2024, 6, 5), note="x")
    t.abandon(personas.clerk, c, on=D(2024, 7, 30))
    t.answer(personas.clerk, b, on=D(2025, 1, 10), outcome="2019.partly_disclosed")
    case(tree, personas, D(2025, 12, 29), "natural")
    e = case(tree, personas, D(2025, 5, 5), "legal_service")
    t.answer(personas.clerk, e, on=D(2025, 5, 20), outcome="2019.refused.third_party")
    case(
        tree, personas, D(2025, 3, 3), "natural", tree.county_police
    )  # another branch: never in 教育局's tables
    AdministrativeReview.objects.create(
        body=tree.education, request=e, filed_on=D(2025, 6, 1), decided_on=D(2025, 7, 1), outcome="corrected"
    )
    Lawsuit.objects.create(
        body=tree.education, request=e, filed_on=D(2025, 4, 1), decided_on=D(2026, 1, 10), outcome="upheld"
    )
    Lawsuit.objects.create(body=tree.education, request=e, filed_on=D(2025, 11, 1), after_review=True)


def test_every_cell_of_tables_3_and_4_is_declared_once() -> None:
    for fmt, rows in (("2021", 25), ("2019", 23)):
        declared = [
            s.cells[fmt] for s in REGISTRY.values() if fmt in s.cells and s.cells[fmt].table in (T3, T4)
        ]
        expected = [c for c in all_cells(fmt) if c.table in (T3, T4)]
        assert sorted(declared, key=repr) == sorted(expected, key=repr)
        assert len({c.row for c in expected if c.table == T3}) == rows


def test_table_3_counts_new_results_and_carry_over(tree: Tree, two_years: None) -> None:
    y24 = table_values(tree.education, 2024, "2021", T3)
    assert (y24[(NEW, NATURAL)], y24[(NEW, BUSINESS)], y24[(NEW, RESEARCH)], y24[(NEW, "总计")]) == (
        1,
        1,
        1,
        3,
    )
    assert (y24[(DISCLOSED, NATURAL)], y24[(NO_SUPPLEMENT, RESEARCH)], y24[(TOTAL, "总计")]) == (1, 1, 2)
    assert (y24[(CARRIED_OUT, BUSINESS)], y24[(CARRIED_OUT, "总计")]) == (1, 1)
    y25 = table_values(tree.education, 2025, "2021", T3)
    assert (y25[(CARRIED_IN, BUSINESS)], y25[(NEW, "总计")], y25[(NEW, LEGAL)]) == (1, 2, 1)
    assert (y25[(PARTLY, BUSINESS)], y25[(THIRD_PARTY, LEGAL)], y25[(TOTAL, "总计")]) == (1, 1, 2)
    assert (y25[(CARRIED_OUT, NATURAL)], y25[(CARRIED_OUT, "总计")]) == (1, 1)
    own = table_values(tree.education, 2025, "2021", T3, Scope.OWN)
    assert own[(CARRIED_IN, BUSINESS)] == 0  # that case is handled by 招生办公室, below 教育局


def test_rules_1_to_6_hold_for_cases_and_carry_over_matches_last_year(tree: Tree, two_years: None) -> None:
    for year in (2024, 2025):
        assert validate_request_tables(tree.education, year, "2021") == []
        assert validate_request_tables(tree.city, year, "2021") == []


def test_table_4_counts_by_filing_year_and_state_at_year_end(tree: Tree, two_years: None) -> None:
    t4 = table_values(tree.education, 2025, "2021", T4)
    assert (t4[("行政复议", "结果纠正")], t4[("行政复议", "总计")]) == (1, 1)
    assert (t4[("行政诉讼/未经复议直接起诉", "尚未审结")], t4[("行政诉讼/未经复议直接起诉", "结果维持")]) == (
        1,
        0,
    )
    assert (t4[("行政诉讼/复议后起诉", "尚未审结")], t4[("行政诉讼/复议后起诉", "总计")]) == (1, 1)
    assert check_table4(t4) == []


def test_2019_trial_format_has_one_other_row_and_counts_2008_answers(tree: Tree, personas: Personas) -> None:
    record_request(
        "t",
        tree.education,
        received=D(2019, 5, 10),
        channel="letter",
        applicant_kind="natural",
        subject="s",
        answered_on=D(2019, 5, 20),
        outcome="2008.already_public",
    )
    record_request(
        "t",
        tree.education,
        received=D(2019, 5, 13),
        channel="letter",
        applicant_kind="other",
        subject="s",
        answered_on=D(2019, 5, 21),
        outcome="2008.told_other_channel",
    )
    values = table_values(tree.education, 2019, "2019", T3)
    assert values[(DISCLOSED, NATURAL)] == 1  # 属于已主动公开范围 → （一）予以公开 (statutory-reference §2)
    assert (
        values[("三、本年度办理结果/（六）其他处理", "法人或其他组织/其他")] == 1
    )  # the unconfirmed default mapping
    assert check_table3(values, "2019") == []


def _t3(overrides: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    values = {(c.row, c.column): 0 for c in all_cells("2021") if c.table == T3}
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "rule", "cell"),
    [
        ({(NEW, NATURAL): 1, (NEW, "总计"): 1}, "1", (T3, NEW, NATURAL)),
        (
            {(TOTAL, NATURAL): 1, (TOTAL, "总计"): 1, (CARRIED_IN, NATURAL): 1, (CARRIED_IN, "总计"): 1},
            "2",
            (T3, TOTAL, NATURAL),
        ),
        ({(NEW, NATURAL): 1, (CARRIED_OUT, NATURAL): 1}, "3", (T3, NEW, "总计")),
        (
            {(NEW, NATURAL): -1, (NEW, "总计"): -1, (CARRIED_OUT, NATURAL): -1, (CARRIED_OUT, "总计"): -1},
            "6",
            (T3, NEW, NATURAL),
        ),
    ],
)
def test_each_broken_rule_is_caught_and_names_its_cell(overrides, rule, cell) -> None:  # type: ignore[no-untyped-def]
    findings = [f for f in check_table3(_t3(overrides), "2021") if f.rule == rule]
    assert findings, rule
    assert any((c.table, c.row, c.column) == cell for f in findings for c in f.cells)


def test_rule_4_and_rule_5_are_caught() -> None:
    t4 = {(r, c): 0 for r in ("行政复议",) for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")}
    t4[("行政复议", "结果维持")] = 2
    assert [f.rule for f in check_table4(t4)] == ["4"]
    findings = check_carry_over(_t3({(CARRIED_IN, NATURAL): 2}), _t3({(CARRIED_OUT, NATURAL): 1}), 2025)
    assert [f.rule for f in findings] == ["5"] and "2024" in findings[0].message
    assert check_carry_over(_t3({(CARRIED_IN, NATURAL): 2}), _t3({}), 2019) == []  # the 2018 table had none
