"""Report validation (issue 5, deliverables 3 and 7): one failing fixture per rule of statutory-reference §3.4,
the deadline (§3, 2019 Regulations art 49) and the 2021 fee statement, each finding naming its cell and both
values; a clean report has no errors; the ``validate-report`` command; and the demo city's 2024/2025 reports.

Fixtures: value mappings fed to the check functions, real records (requests, fees, narrative texts, a
published snapshot) on the small tree of tests/conftest.py, and reports built from records with one cell
tampered with (``validate_report(..., report=...)``)."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.cases import transitions as t
from gongkai.cases.models import AdministrativeReview, FeeCollected, InformationRequest, Lawsuit
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.actions import save_narrative
from gongkai.reports.build import Report, build_report
from gongkai.reports.document import checksum, freeze
from gongkai.reports.formats import CellRef, all_cells
from gongkai.reports.models import ReportPublication
from gongkai.reports.narrative_checks import hand_typed_numbers, narrative_similarity
from gongkai.reports.registry import Number, Scope
from gongkai.reports.stats2014 import A1, A2, A3, A34, TABLE
from gongkai.reports.stats_requests import CARRIED_IN, CARRIED_OUT, NEW, T3, T4, TOTAL
from gongkai.reports.stats_table2 import T2
from gongkai.reports.validation import (
    Finding,
    check_2014_sums,
    check_table3,
    check_table4,
    has_errors,
    report_deadline,
    validate_report,
)
from tests.conftest import Personas, Tree, make_org

pytestmark = pytest.mark.django_db
D = dt.date
NATURAL, BUSINESS = "自然人", "法人或其他组织/商业企业"
DISCLOSED = "三、本年度办理结果/（一）予以公开"
NORMATIVE = "第二十条第（一）项/行政规范性文件"
NORMATIVE_2019 = "第二十条第（一）项/规范性文件"
LICENSING = "第二十条第（五）项/行政许可"
FEES_2019 = "第二十条第（八）项/行政事业性收费"
IN_TIME_2025 = D(2026, 1, 10)  # before the 31 January deadline of a department's 2025 report


def errors(findings: list[Finding], rule: str | None = None) -> list[Finding]:
    return [f for f in findings if f.severity == "error" and (rule is None or f.rule == rule)]


def of_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def names(finding: Finding, table: str, row: str, column: str) -> bool:
    return CellRef(table, row, column) in finding.cells


def tamper(report: Report, changes: dict[tuple[str, str, str], Number | None]) -> Report:
    """The report with some cells replaced (what a bad submission or a bug would produce)."""
    cells = tuple(
        replace(c, value=changes[(c.cell.table, c.cell.row, c.cell.column)])  # type: ignore[arg-type]
        if (c.cell.table, c.cell.row, c.cell.column) in changes
        else c
        for c in report.cells
    )
    return replace(report, cells=cells)


def t3_values(overrides: dict[tuple[str, str], int]) -> dict[tuple[str, str], Number]:
    values: dict[tuple[str, str], Number] = {(c.row, c.column): 0 for c in all_cells("2021") if c.table == T3}
    values.update(overrides)
    return values


def case(personas: Personas, body: Organisation, received: dt.date, kind: str) -> InformationRequest:
    return t.register(
        personas.clerk,
        body,
        received=received,
        channel="online",
        applicant_kind=kind,
        subject="申请公开招生计划",
    )


@pytest.fixture
def two_years(tree: Tree, personas: Personas) -> None:
    """教育局 (a department) and its 招生办: requests across 2024/2025, a review and a lawsuit."""
    a = case(personas, tree.education, D(2024, 3, 4), "natural")
    t.answer(personas.clerk, a, on=D(2024, 3, 20), outcome="2019.disclosed")
    b = case(personas, tree.school_office, D(2024, 12, 20), "business")
    t.answer(personas.clerk, b, on=D(2025, 1, 10), outcome="2019.partly_disclosed")
    c = case(personas, tree.education, D(2025, 5, 5), "natural")
    t.answer(personas.clerk, c, on=D(2025, 5, 20), outcome="2019.refused.third_party")
    case(personas, tree.education, D(2025, 12, 29), "natural")  # open at the year end
    AdministrativeReview.objects.create(
        body=tree.education, request=c, filed_on=D(2025, 6, 1), decided_on=D(2025, 7, 1), outcome="corrected"
    )
    Lawsuit.objects.create(body=tree.education, request=c, filed_on=D(2025, 11, 1), after_review=True)


# A clean report ---------------------------------------------------------------------------------------------


def test_a_clean_report_from_records_has_no_errors(tree: Tree, two_years: None) -> None:
    findings = validate_report(tree.education, 2025, "2021", today=IN_TIME_2025)
    assert errors(findings) == []
    (deadline,) = of_rule(findings, "deadline")
    assert deadline.severity == "warning" and "2026-01-31" in deadline.message and "21天" in deadline.message
    assert {f.rule for f in findings} <= {"deadline", "similarity"}  # default texts: no digits, fees stated
    assert errors(validate_report(tree.city, 2025, "2021", Scope.OWN, today=D(2026, 3, 1))) == []


# Rules 1-4: Table 3 and Table 4 arithmetic ---------------------------------------------------------------------


def test_rule_1_balance_per_column_names_the_column_and_both_sides() -> None:
    values = t3_values({(NEW, NATURAL): 3, (NEW, "总计"): 3, (TOTAL, NATURAL): 1, (TOTAL, "总计"): 1})
    values[(DISCLOSED, NATURAL)] = values[(DISCLOSED, "总计")] = 1
    (finding, total) = of_rule(check_table3(values, "2021"), "1")  # 自然人 and 总计
    assert names(total, T3, NEW, "总计") and "表三“总计”列" in total.message
    assert (
        finding.severity == "error"
        and names(finding, T3, NEW, NATURAL)
        and names(finding, T3, TOTAL, NATURAL)
    )
    assert "表三“自然人”列" in finding.message
    assert (
        "本年新收3" in finding.message
        and "办理结果总计1" in finding.message
        and "结转下年度0" in finding.message
    )


def test_rule_2_outcome_sum_names_the_total_row_and_both_values() -> None:
    values = t3_values({(CARRIED_IN, BUSINESS): 2, (CARRIED_IN, "总计"): 2, (TOTAL, BUSINESS): 2})
    values[(TOTAL, "总计")] = 2
    values[(DISCLOSED, BUSINESS)] = values[(DISCLOSED, "总计")] = 1  # one outcome row missing
    (finding, total) = of_rule(check_table3(values, "2021"), "2")  # 商业企业 and 总计
    assert names(total, T3, TOTAL, "总计")
    assert names(finding, T3, TOTAL, BUSINESS) and "“法人或其他组织/商业企业”列" in finding.message
    assert "各项办理结果之和1" in finding.message and "（七）总计2" in finding.message


def test_rule_3_row_total_through_a_report_built_from_records(tree: Tree, two_years: None) -> None:
    report = build_report(tree.education, 2025, "2021")
    bad = tamper(report, {(T3, NEW, NATURAL): 5, (T3, CARRIED_OUT, NATURAL): 4})  # 2 → 5, 1 → 4: rule 1 holds
    findings = validate_report(tree.education, 2025, "2021", today=IN_TIME_2025, report=bad)
    rule3 = of_rule(findings, "3")
    assert {f.cells[0].row for f in rule3} == {NEW, CARRIED_OUT} and errors(findings, "1") == []
    (new,) = [f for f in rule3 if f.cells[0].row == NEW]
    assert names(new, T3, NEW, "总计") and f"“{NEW}”行" in new.message
    assert "六类申请人之和5" in new.message and "总计2" in new.message


def test_rule_4_table_4_block_names_the_block_and_both_values(tree: Tree, two_years: None) -> None:
    assert (
        check_table4(
            {
                (r, c): 0
                for r in ("行政复议",)
                for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
            }
        )
        == []
    )
    report = build_report(tree.education, 2025, "2021")
    bad = tamper(report, {(T4, "行政复议", "结果维持"): 2})
    (finding,) = of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025, report=bad), "4")
    assert finding.severity == "error" and names(finding, T4, "行政复议", "总计")
    assert "表四“行政复议”" in finding.message and "之和3" in finding.message and "总计1" in finding.message


# Rule 5: carry-over against the stored previous year -------------------------------------------------------------


def test_rule_5_compares_with_the_published_snapshot_of_last_year(tree: Tree, two_years: None) -> None:
    assert of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "5") == []  # recomputed
    frozen = freeze(build_report(tree.education, 2024, "2021"))
    for cell in frozen["json"]["cells"]:
        if (cell["table"], cell["row"], cell["column"]) == (T3, CARRIED_OUT, NATURAL):
            cell["value"] = 7  # what was published for 2024 (records changed since)
    ReportPublication.objects.create(
        org=tree.education,
        year=2024,
        format="2021",
        scope="subtree",
        published_at=timezone.make_aware(dt.datetime(2025, 1, 20, 10)),
        snapshot=frozen,
        checksum=checksum(frozen),
    )
    (finding,) = of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "5")
    assert finding.severity == "error" and names(finding, T3, CARRIED_IN, NATURAL)
    assert "“自然人”列" in finding.message and "本年上年结转0" in finding.message
    assert "2024年结转下年度7" in finding.message and "已发布" in finding.message


def test_rule_5_starts_in_2020() -> None:
    from gongkai.reports.validation import check_carry_over

    assert check_carry_over(t3_values({(CARRIED_IN, NATURAL): 2}), t3_values({}), 2019) == []
    assert [f.rule for f in check_carry_over(t3_values({(CARRIED_IN, NATURAL): 2}), t3_values({}), 2020)] == [
        "5"
    ]


# Rule 6: non-negative whole numbers, no blanks --------------------------------------------------------------------


def test_rule_6_negative_blank_and_fractional_cells(tree: Tree, personas: Personas) -> None:
    from gongkai.catalog.figures import save_proactive_figures

    save_proactive_figures("test", tree.education, 2019, licensing_items=10, fee_items=3)
    save_proactive_figures("test", tree.education, 2020, licensing_items=8, fee_items=3)  # 本年增/减 = −2
    report = build_report(tree.education, 2020, "2019")
    clean = validate_report(tree.education, 2020, "2019", today=D(2021, 1, 5), report=report)
    assert errors(clean) == []  # a negative 本年增/减 is allowed
    bad = tamper(
        report,
        {
            (T3, NEW, NATURAL): -1,
            (T2, NORMATIVE_2019, "本年新制作数量"): Decimal("1.5"),
            (T2, LICENSING, "处理决定数量"): None,
            (T2, "第二十条第（九）项/政府集中采购", "采购总金额"): Decimal(
                "12.3456"
            ),  # 万元: decimals are fine
        },
    )
    rule6 = of_rule(validate_report(tree.education, 2020, "2019", today=D(2021, 1, 5), report=bad), "6")
    by_cell = {f.cells[0]: f.message for f in rule6}
    assert set(by_cell) == {
        CellRef(T3, NEW, NATURAL),
        CellRef(T2, NORMATIVE_2019, "本年新制作数量"),
        CellRef(T2, LICENSING, "处理决定数量"),
    }
    assert f"{T3}“{NEW}/自然人”为负数-1" in by_cell[CellRef(T3, NEW, NATURAL)]
    assert "应为整数，实为1.5" in by_cell[CellRef(T2, NORMATIVE_2019, "本年新制作数量")]
    assert f"{T2}“{LICENSING}/处理决定数量”为空" in by_cell[CellRef(T2, LICENSING, "处理决定数量")]


# Rule 7 and hand-typed digits --------------------------------------------------------------------------------


def test_hand_typed_numbers_ignore_placeholders_only() -> None:
    text = "{year}年收到申请{t3.new.6}件{if t3.new.6}（其中{p14.items}）{endif}，另有来信12件、办结率96.5%。"
    assert hand_typed_numbers(text) == ["12", "96.5"]
    assert hand_typed_numbers("依据国办发〔2014〕32号，于2024年1月31日前公布") == [
        "2014",
        "32",
        "2024",
        "1",
        "31",
    ]
    assert hand_typed_numbers("收到申请１２件") == ["１２"]  # full-width digits too
    assert hand_typed_numbers("{org}无其他需要报告的事项。") == []


def test_rule_7_a_typed_number_after_a_bound_label_must_equal_the_table(
    tree: Tree, personas: Personas, two_years: None
) -> None:
    save_narrative(
        personas.clerk, tree.education, "2021", 1, "本年新收政府信息公开申请5件，上年结转1件。", 2025
    )
    findings = validate_report(tree.education, 2025, "2021", today=IN_TIME_2025)
    (wrong,) = errors(findings, "7")
    assert names(wrong, T3, NEW, "总计") and "第1部分“一、总体情况”" in wrong.message
    assert "“本年新收政府信息公开申请5”" in wrong.message and "数值2不一致" in wrong.message
    assert f"{T3}“{NEW}/总计”" in wrong.message
    (digits,) = of_rule(findings, "digits")  # 上年结转1 is right, but still typed by hand
    assert (
        digits.severity == "warning"
        and "第1部分“一、总体情况”" in digits.message
        and "：1（" in digits.message
    )


def test_rule_7_a_placeholder_bound_to_nothing_is_an_error(tree: Tree, personas: Personas) -> None:
    from gongkai.reports.models import NarrativeTemplate

    # bypassing save_narrative (which refuses it): e.g. a statistic renamed after the text was saved
    NarrativeTemplate.objects.create(
        org=tree.education, year=2025, format="2021", section=5, text="共{t3.gone}件"
    )
    (finding,) = errors(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "7")
    assert "第5部分" in finding.message and "{t3.gone}" in finding.message


# Rule 8: the 2014 table --------------------------------------------------------------------------------------


def test_rule_8_sums_of_the_2014_table() -> None:
    col = "统计数"
    values: dict[tuple[str, str], Number] = {
        (A1, col): 10,
        (A1 + "/1.当面申请数", col): 3,
        (A1 + "/2.传真申请数", col): 0,
        (A1 + "/3.网络申请数", col): 4,
        (A1 + "/4.信函申请数", col): 2,  # 9 ≠ 10
        (A2, col): 5,
        (A2 + "/1.按时办结数", col): 4,
        (A2 + "/2.延期办结数", col): 1,
        (A3, col): 4,
        (A3 + "/1.属于已主动公开范围数", col): 1,  # + 4.不同意公开答复数 2 = 3 ≠ 4
        (A34, col): 2,
        (A34 + "/其中：涉及个人隐私", col): 1,
    }
    findings = check_2014_sums(values)
    by_row = {f.cells[0].row: f for f in findings}
    assert set(by_row) == {A1, A3, A34} and {f.rule for f in findings} == {"8"}  # 办结 5 = 4 + 1 holds
    assert "受理渠道之和9 ≠ （一）收到申请数10" in by_row[A1].message and TABLE in by_row[A1].message
    assert "各类答复之和3 ≠ （三）申请答复数4" in by_row[A3].message
    assert "各项不同意公开理由之和1 ≠ 4.不同意公开答复数2" in by_row[A34].message
    assert names(by_row[A34], TABLE, A34 + "/其中：涉及个人隐私", col)


def test_rule_8_through_a_2014_report_from_records(tree: Tree) -> None:
    from gongkai.cases.actions import record_request

    record_request(
        "test",
        tree.education,
        received=D(2016, 5, 10),
        channel="letter",
        applicant_kind="natural",
        subject="s",
        answered_on=D(2016, 5, 20),
        outcome="2008.disclosed",
    )
    # Section 七 is the body's own to write (its default is a blank to fill in: rule "fill_in").
    save_narrative("test", tree.education, "2014", 7, "本年度未发现突出问题，将继续完善制度。", year=2016)
    report = build_report(tree.education, 2016, "2014")
    assert errors(validate_report(tree.education, 2016, "2014", today=D(2017, 3, 1), report=report)) == []
    bad = tamper(report, {(TABLE, A2 + "/2.延期办结数", "统计数"): 1})
    (finding,) = of_rule(validate_report(tree.education, 2016, "2014", today=D(2017, 3, 1), report=bad), "8")
    assert (
        names(finding, TABLE, A2, "统计数")
        and "按时办结数与延期办结数之和2 ≠ （二）申请办结数1" in finding.message
    )


# Soft rules: 现行有效 carry-over and similarity ---------------------------------------------------------------------


def test_in_force_carry_over_is_a_warning_with_both_values(tree: Tree) -> None:
    report = build_report(tree.education, 2024, "2021")
    bad = tamper(report, {(T2, NORMATIVE, "现行有效件数"): 4})
    findings = validate_report(tree.education, 2024, "2021", today=D(2025, 1, 3), report=bad)
    (finding,) = of_rule(findings, "carry_over")
    assert finding.severity == "warning" and names(finding, T2, NORMATIVE, "现行有效件数")
    assert "现行有效件数4" in finding.message and "2023年现行有效件数0" in finding.message
    assert errors(findings) == []


def test_narrative_similarity_is_character_level_and_ignores_numbers() -> None:
    assert narrative_similarity("本年收到申请12件。", "本年收到申请80件。") == 1.0
    assert narrative_similarity("", "") == 0.0 and narrative_similarity("一些文字", "") == 0.0
    assert narrative_similarity("主动公开政府信息", "依申请公开工作") < 0.5
    half = narrative_similarity("甲乙丙丁", "甲乙戊己")
    assert half == pytest.approx(0.5)


def test_text_copied_from_last_year_gets_the_similarity_warning(tree: Tree, personas: Personas) -> None:
    text = "本年度，{org}以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，" * 20
    for year in (2024, 2025):
        for section in (1, 5):
            save_narrative(personas.clerk, tree.education, "2021", section, text, year)
    (finding,) = of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "similarity")
    assert finding.severity == "warning" and "2024年度" in finding.message and "%" in finding.message
    save_narrative(
        personas.clerk,
        tree.education,
        "2021",
        1,
        "今年重点推进重大建设项目和公共资源配置领域信息公开。",
        2025,
    )
    save_narrative(
        personas.clerk, tree.education, "2021", 5, "存在问题：政策解读形式单一。改进：增加图解。", 2025
    )
    assert of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "similarity") == []


# Deadline ------------------------------------------------------------------------------------------------------


def test_deadline_per_kind_and_regime(tree: Tree, settings: Any) -> None:
    assert report_deadline(tree.education, 2024) == D(2025, 1, 31)  # a department, 2019 regime (art 49)
    assert report_deadline(tree.city, 2024) == D(2025, 3, 31)  # the government-level report
    assert report_deadline(tree.county, 2024) == D(2025, 3, 31)
    assert report_deadline(tree.education, 2017) == D(2018, 3, 31)  # 2008 regime: everybody 31 March
    township = make_org("测试镇人民政府", OrgKind.TOWNSHIP, tree.county)
    assert report_deadline(township, 2024) == D(2025, 3, 31)
    settings.GONGKAI_REPORT_DEADLINES = {**settings.GONGKAI_REPORT_DEADLINES, "township": "01-31"}
    assert report_deadline(township, 2024) == D(2025, 1, 31)


def test_deadline_warning_error_and_late_publication(tree: Tree) -> None:
    (before,) = of_rule(validate_report(tree.education, 2024, "2021", today=D(2025, 1, 10)), "deadline")
    assert before.severity == "warning" and "2025-01-31" in before.message and "还有21天" in before.message
    (late,) = of_rule(validate_report(tree.education, 2024, "2021", today=D(2025, 2, 3)), "deadline")
    assert late.severity == "error" and "2025-01-31" in late.message and "逾期3天" in late.message
    assert has_errors([late]) and not has_errors([before])
    assert (
        of_rule(validate_report(tree.city, 2024, "2021", today=D(2025, 2, 3)), "deadline")[0].severity
        == "warning"
    )
    frozen = freeze(build_report(tree.education, 2024, "2021"))
    ReportPublication.objects.create(
        org=tree.education,
        year=2024,
        format="2021",
        scope="subtree",
        published_at=timezone.make_aware(dt.datetime(2025, 2, 5, 9)),
        snapshot=frozen,
        checksum=checksum(frozen),
    )
    (published,) = of_rule(validate_report(tree.education, 2024, "2021", today=D(2025, 6, 1)), "deadline")
    assert (
        published.severity == "warning"
        and "2025-02-05" in published.message
        and "逾期公布" in published.message
    )


# The 2021 fee statement ------------------------------------------------------------------------------------------


def test_fee_statement_must_exist_and_agree_with_the_fee_records(tree: Tree, personas: Personas) -> None:
    assert of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement") == []
    save_narrative(personas.clerk, tree.education, "2021", 6, "本机关无其他需要报告的事项。", 2025)
    (missing,) = of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement")
    assert missing.severity == "error" and "第6部分“六、其他需要报告的事项”" in missing.message
    save_narrative(personas.clerk, tree.education, "2021", 6, "本年度未收取信息处理费。", 2025)
    assert of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement") == []
    FeeCollected.objects.create(
        body=tree.school_office, amount_yuan=Decimal("300.00"), collected_on=D(2025, 4, 2)
    )
    (wrong,) = of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement")
    assert wrong.severity == "error" and "收费记录1笔" in wrong.message and "300.00元" in wrong.message
    conditional = (
        "{if fees.amount}本年度收取信息处理费{fees.records}笔。{else}本年度未收取信息处理费。{endif}"
    )
    save_narrative(personas.clerk, tree.education, "2021", 6, conditional, 2025)
    assert of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement") == []
    # Table 2's 行政事业性收费 is another fee: naming it does not state the information-processing fee.
    save_narrative(personas.clerk, tree.education, "2021", 6, "行政事业性收费情况见表二。", 2025)
    (other_fee,) = of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement")
    assert "未说明本年度是否收取信息处理费" in other_fee.message
    # Fees collected, and waived for some: not a claim that none were collected.
    waived = "本年度收取信息处理费{fees.records}笔，对困难群众免收信息处理费。"
    save_narrative(personas.clerk, tree.education, "2021", 6, waived, 2025)
    assert of_rule(validate_report(tree.education, 2025, "2021", today=IN_TIME_2025), "fee_statement") == []


# The command -----------------------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("validate-report", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_command_prints_findings_and_exits_1_on_errors(tree: Tree, personas: Personas) -> None:
    save_narrative(personas.clerk, tree.education, "2021", 6, "本机关无其他需要报告的事项。", 2025)
    status, out, err = run("--org", tree.education.org_code, "--year", "2025", "--scope", "own")
    assert status == 1
    lines = out.splitlines()
    assert any(line.startswith("error\tfee_statement\t第6部分") for line in lines)
    assert all(line.split("\t")[0] in {"error", "warning"} for line in lines)
    assert "error(s)" in err
    status, out, _err = run("--org", tree.education.org_code, "--year", "2025", "--json")
    findings: list[dict[str, Any]] = json.loads(out)
    assert status == 1 and {"rule", "severity", "message", "cells"} == set(findings[0])
    assert any(f["rule"] == "fee_statement" and f["severity"] == "error" for f in findings)


def test_command_exits_0_with_warnings_only(tree: Tree) -> None:
    year = timezone.localdate().year  # this year's report is not due yet: the deadline is only a warning
    status, out, _err = run("--org", tree.city.org_code, "--year", str(year), "--json")
    findings = json.loads(out)
    assert status == 0 and findings and all(f["severity"] == "warning" for f in findings)
    assert any(f["rule"] == "deadline" and "还有" in f["message"] for f in findings)


def test_command_rejects_an_unknown_org() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--org", "不存在的机关", "--year", "2025")


def test_a_default_blank_left_in_the_text_is_an_error(tree: Tree) -> None:
    """Defect 14 of issue 10: the default "……主要问题及改进措施由本机关填写。" went out in a published report."""
    report = build_report(tree.education, 2016, "2014")
    (finding,) = of_rule(
        validate_report(tree.education, 2016, "2014", today=D(2017, 3, 1), report=report), "fill_in"
    )
    assert finding.severity == "error" and "第7部分" in finding.message and "请填写" in finding.message
    for typed in ("存在的问题由本机关填写。", "联系人：XXX", "共办理____件", "（填写具体措施）"):
        save_narrative("test", tree.education, "2014", 7, typed, year=2016)
        report = build_report(tree.education, 2016, "2014")
        assert of_rule(
            validate_report(tree.education, 2016, "2014", today=D(2017, 3, 1), report=report), "fill_in"
        )
    save_narrative("test", tree.education, "2014", 7, "本年度未发现突出问题。", year=2016)
    report = build_report(tree.education, 2016, "2014")
    assert not of_rule(
        validate_report(tree.education, 2016, "2014", today=D(2017, 3, 1), report=report), "fill_in"
    )
