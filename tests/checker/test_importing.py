"""Import (report-checker issue, Deliver 5): 平潭综合实验区 is not on the platform; its published 2022 report is
imported as its 2022 submission so that later years have a carry-over to check against. The stored submission
equals the extraction; an ambiguous cell, another body's report, a provincial table or a format that cannot hold
the year is refused with the cells named, and nothing is written."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.audit.models import AuditEntry
from gongkai.checker import importing
from gongkai.checker.reading import Document
from gongkai.checker.types import Cell, Result
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.submissions.layout import layout
from gongkai.submissions.models import Submission
from tests.checker.rules_support import DATA, expected_result, replace_value
from tests.conftest import make_org

pytestmark = [pytest.mark.django_db]
T2, T3 = "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"
NEW = "一、本年新收政府信息公开申请数量"


@pytest.fixture
def pingtan(db: None) -> Organisation:
    return make_org("平潭综合实验区", OrgKind.GOVERNMENT, short_name="平潭")


def _doc(name: str = "pingtan-2022") -> Document:
    return Document.from_text((DATA / f"{name}.txt").read_text(encoding="utf-8"))


def _stored(submission: Submission) -> dict[str, Decimal]:
    return dict(submission.values.values_list("statistic_key", "value"))


def _cells_by_key(fmt: str) -> dict[str, tuple[str, str, str]]:
    return {
        e.statistic.key: (e.cell.table, e.cell.row, e.cell.column)
        for sheet in layout(fmt)
        for e in sheet.entries
        if not e.computed
    }


def test_the_stored_submission_equals_the_extraction(pingtan: Organisation) -> None:
    result = expected_result("pingtan-2022")
    plan = importing.plan(result, _doc(), pingtan)
    assert plan.ok, plan.problems
    assert (plan.year, plan.format) == (2022, "2021")
    submission = importing.store(plan, filename="pingtan-2022.txt")
    assert (submission.org, submission.year, submission.format, submission.is_current) == (
        pingtan,
        2022,
        "2021",
        True,
    )
    stored = _stored(submission)
    cells = {c.key: c.value for c in result.cells}
    where = _cells_by_key("2021")
    assert set(stored) == set(where)
    for key, value in stored.items():
        printed = cells[where[key]]
        assert value == Decimal(str(printed if printed is not None else 0)), where[key]
    fee = next(k for k, w in where.items() if w[2] == "本年收费金额（单位：万元）")
    assert stored[fee] == Decimal("9116.36")
    entry = AuditEntry.objects.filter(action="submission.submit").latest("pk")
    assert entry.actor_label == importing.ACTOR and entry.actor is None
    # imported again: the earlier submission is superseded and kept
    again = importing.store(importing.plan(result, _doc(), pingtan), filename="again.txt")
    assert Submission.objects.filter(org=pingtan, year=2022).count() == 2
    assert Submission.objects.get(pk=submission.pk).is_current is False and again.is_current


def test_an_ambiguous_cell_is_refused_naming_it_and_nothing_is_written(pingtan: Organisation) -> None:
    result = expected_result("pingtan-2022")
    cells = [
        Cell(c.table, c.row, c.column, None, ambiguous=True) if c.key == (T3, NEW, "自然人") else c
        for c in result.cells
    ]
    broken = Result(result.format, result.body, result.year, cells)
    plan = importing.plan(broken, _doc(), pingtan)
    assert not plan.ok
    assert any("数字粘连" in p and f"{T3}｜{NEW}｜自然人" in p for p in plan.problems)
    with pytest.raises(importing.ImportRefused):
        importing.store(plan)
    assert not Submission.objects.exists()


def test_another_bodys_report_is_refused_unless_asked_for(pingtan: Organisation) -> None:
    county = make_org("平安县人民政府", OrgKind.COUNTY, short_name="平安县")
    plan = importing.plan(expected_result("pingtan-2022"), _doc(), county)
    assert plan.problems == [
        f"报告的机关是“平潭综合实验区”，不是“平安县人民政府”（{county.org_code}）；"
        "如确需导入到其他机关，请加 --other-body"
    ]
    assert importing.plan(expected_result("pingtan-2022"), _doc(), county, other_body=True).ok


def test_a_provincial_table_and_a_year_the_format_cannot_hold_are_refused(pingtan: Organisation) -> None:
    old = importing.plan(expected_result("pingtan-2014"), _doc("pingtan-2014"), pingtan)
    assert len(old.problems) == 1 and "2008-era" in old.problems[0] and not old.values
    early = importing.plan(expected_result("pingtan-2022"), _doc(), pingtan, year=2019)
    assert any("2021格式的报告不能作为2019年度的填报" in p for p in early.problems)


def test_a_broken_balance_is_refused_by_the_studios_own_rules(pingtan: Organisation) -> None:
    result = replace_value(expected_result("pingtan-2022"), T3, NEW, "自然人", 99)
    plan = importing.plan(result, _doc(), pingtan)
    assert plan.ok  # the cells are all there: the submission's checks refuse it
    with pytest.raises(importing.ImportRefused) as refused:
        importing.store(plan)
    assert any("规则" in p for p in refused.value.problems)
    assert not Submission.objects.exists()


def test_blank_cells_are_stored_as_zero_and_an_amount_in_yuan_as_wan_yuan(pingtan: Organisation) -> None:
    shanghai = make_org("上海市人民政府办公厅", OrgKind.GENERAL_OFFICE)
    result = expected_result("shanghai-2019")
    plan = importing.plan(result, _doc("shanghai-2019"), shanghai)
    assert plan.ok, plan.problems
    where = {v: k for k, v in _cells_by_key("2019").items()}
    amount = where[(T2, "第二十条第（九）项/政府集中采购", "采购总金额")]
    assert plan.values[amount] == Decimal("25.1")  # printed 251000元
    assert any("251000元" in n for n in plan.notes) and any("按0保存" in n for n in plan.notes)
    blanks = [c for c in result.cells if c.value is None]
    assert blanks and all(plan.values[where[c.key]] == 0 for c in blanks if c.key in where)


# The command (needs the reader and the engine) -----------------------------------------------------------


def _write(tmp_path: Path, name: str) -> Path:
    target = tmp_path / f"{name}.txt"
    target.write_text((DATA / f"{name}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_command_dry_run_prints_findings_and_what_would_be_stored(
    pingtan: Organisation, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command(
        "import-report",
        str(_write(tmp_path, "pingtan-2022")),
        "--org",
        pingtan.org_code,
        "--dry-run",
        stdout=out,
    )
    text = out.getvalue()
    assert "平潭综合实验区 2022 (2021)" in text and "dry run" in text
    assert f"{T3}｜{NEW}｜总计 = 74" in text
    assert not Submission.objects.exists()


def test_command_stores_and_refuses_with_clear_errors(pingtan: Organisation, tmp_path: Path) -> None:
    report = _write(tmp_path, "pingtan-2022")
    with pytest.raises(CommandError, match="找不到机关单位“没有这个机关”"):
        call_command("import-report", str(report), "--org", "没有这个机关", stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"refused: .*2008-era"):
        call_command(
            "import-report",
            str(_write(tmp_path, "pingtan-2014")),
            "--org",
            pingtan.org_code,
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="文件不存在"):
        call_command(
            "import-report", str(tmp_path / "none.txt"), "--org", pingtan.org_code, stdout=io.StringIO()
        )
    assert not Submission.objects.exists()
    out = io.StringIO()
    call_command("import-report", str(report), "--org", "平潭", stdout=out)
    assert "stored: submission" in out.getvalue()
    assert Submission.objects.get().year == 2022
