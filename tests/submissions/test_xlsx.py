"""The submission template and its parser: a round trip stores the figures; every kind of bad upload is refused
naming its sheet, cell and reason, and stores nothing (issue 5 "Bad input")."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.audit.models import AuditEntry
from gongkai.reports.stats_requests import CARRIED_OUT, NEW, T3, T4
from gongkai.reports.stats_table2 import ART20_8, T2
from gongkai.submissions import actions
from gongkai.submissions.layout import META_SHEET, layout
from gongkai.submissions.models import Submission, SubmittedValue
from gongkai.submissions.xlsx import SubmissionError, parse, template_for
from tests.conftest import Personas, Tree
from tests.submissions.helpers import ALL, PERSON, TABLE3_2021, edit, fill, where

pytestmark = pytest.mark.django_db

YEAR, FMT = 2024, "2021"
FEE = (T2, f"{ART20_8}/行政事业性收费", "本年收费金额（单位：万元）")


@pytest.fixture
def media(fast_passwords_and_media: Path) -> Path:
    return fast_passwords_and_media


@pytest.fixture
def template(tree: Tree) -> bytes:
    return template_for(tree.county_police, YEAR, FMT)


def test_template_has_official_labels_locked_inputs_and_identity(tree: Tree, template: bytes) -> None:
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == ["表二", "表三", "表四", META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    meta = dict(wb[META_SHEET].iter_rows(values_only=True))
    assert (
        meta["org_code"] == tree.county_police.org_code
        and meta["year"] == "2024"
        and meta["format"] == "2021"
    )
    t3 = wb["表三"]
    assert t3.protection.sheet
    assert t3["A1"].value == "三、收到和处理政府信息公开申请情况"
    # grouped column header: 法人或其他组织 over its five kinds, 自然人 spanning both header rows
    assert t3["E4"].value == "法人或其他组织" and "E4:I4" in {str(r) for r in t3.merged_cells.ranges}
    assert "D4:D5" in {str(r) for r in t3.merged_cells.ranges}
    sheet, coordinate = where(FMT, T3, NEW, PERSON)
    assert (sheet, coordinate) == ("表三", "D6")
    assert t3[coordinate].value == 0 and not t3[coordinate].protection.locked
    assert t3["A6"].protection.locked
    rules = {dv.type for dv in t3.data_validations.dataValidation}
    assert "whole" in rules
    money = {dv.type for dv in wb["表二"].data_validations.dataValidation}
    assert "decimal" in money


def test_round_trip_stores_the_figures(tree: Tree, personas: Personas, template: bytes, media: Path) -> None:
    filled = fill(
        template,
        FMT,
        {**TABLE3_2021, FEE: 1.25, (T4, "行政复议", "结果维持"): 1, (T4, "行政复议", "总计"): 1},
    )
    submission = actions.submit(
        personas.supervisor, tree.county_police, YEAR, FMT, io.BytesIO(filled), "公安局.xlsx"
    )
    stored = dict(SubmittedValue.objects.filter(submission=submission).values_list("statistic_key", "value"))
    assert stored["t3.new.0"] == 3 and stored["t3.new.6"] == 3 and stored["t3.carried_out.0"] == 1
    assert stored["t2.fee.amount"] == Decimal("1.25")
    assert stored["t4.review.upheld"] == 1
    assert len(stored) == sum(1 for s in layout(FMT) for e in s.entries if not e.computed)
    assert submission.is_current and submission.size == len(filled) and submission.file.read() == filled
    assert Path(submission.file.path).is_relative_to(media)
    entry = AuditEntry.objects.get(action="submission.submit")
    assert entry.object_id == str(submission.pk) and entry.actor == personas.supervisor


def test_a_new_upload_supersedes_the_current_one(tree: Tree, personas: Personas, template: bytes) -> None:
    first = actions.submit(personas.supervisor, tree.county_police, YEAR, FMT, io.BytesIO(template), "a.xlsx")
    second = actions.submit(
        personas.supervisor,
        tree.county_police,
        YEAR,
        FMT,
        io.BytesIO(fill(template, FMT, TABLE3_2021)),
        "b.xlsx",
    )
    first.refresh_from_db()
    assert not first.is_current and first.superseded_at is not None
    assert list(Submission.objects.current()) == [second]
    actions.withdraw(personas.supervisor, second, "数据有误")
    assert not Submission.objects.current().exists()
    assert AuditEntry.objects.filter(action="submission.withdraw", object_id=str(second.pk)).exists()


def _formula_without_cached_value(template: bytes) -> bytes:
    return edit(template, {where(FMT, T3, NEW, PERSON): "=1+2"})


def _formula_with_cached_value(template: bytes) -> bytes:
    """What Excel saves: the formula and the value it displayed (openpyxl writes no value, so add it)."""
    raw = _formula_without_cached_value(fill(template, FMT, TABLE3_2021))
    src, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<f>1\+2</f><v\s*/?>(</v>)?", b"<f>1+2</f><v>3</v>", data)
            dst.writestr(item, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A small zip that unpacks to 60 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return out.getvalue()


BAD = {
    "not an xlsx": (lambda t: b"%PDF-1.4 not a workbook", "", "不是有效的XLSX"),
    "corrupt zip": (lambda t: t[: len(t) // 2], "", "不是有效的XLSX"),
    "zip bomb": (lambda t: _zip_bomb(), "", "解压后过大"),
    "missing sheet": (lambda t: edit(t, {}, drop_sheet="表四"), "表四", "缺少工作表"),
    "label changed": (lambda t: edit(t, {("表三", "A6"): "新收申请"}), "表三!A6", "标签被修改"),
    "blank cell": (lambda t: edit(t, {("表三", "D6"): None}), "表三!D6", "未填写"),
    "negative": (lambda t: edit(t, {("表三", "D6"): -2}), "表三!D6", "不能为负数"),
    "non-integer count": (lambda t: edit(t, {("表三", "D6"): 2.5}), "表三!D6", "须为整数"),
    "text": (lambda t: edit(t, {("表三", "D6"): "三件"}), "表三!D6", "文本“三件”"),
    "formula without value": (_formula_without_cached_value, "表三!D6", "含公式但没有计算结果"),
    "too many decimals": (lambda t: fill(t, FMT, {FEE: 0.00001}), "表二", "最多保留4位小数"),
    "inconsistent table 3": (
        lambda t: fill(t, FMT, {(T3, NEW, PERSON): 3, (T3, NEW, ALL): 3}),
        "表三!D6",
        "规则1",
    ),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_upload_is_refused_naming_sheet_cell_and_reason(
    kind: str, tree: Tree, personas: Personas, template: bytes, media: Path
) -> None:
    make, where_, reason = BAD[kind]
    with pytest.raises(SubmissionError) as caught:
        actions.submit(
            personas.supervisor, tree.county_police, YEAR, FMT, io.BytesIO(make(template)), "x.xlsx"
        )
    problems = caught.value.problems
    assert any(p.where.startswith(where_) and reason in p.reason for p in problems), [
        str(p) for p in problems
    ]
    assert not Submission.objects.exists() and not SubmittedValue.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="submission.").exists()
    assert not any(media.rglob("*.xlsx"))


def test_formula_with_a_cached_value_is_accepted(tree: Tree, template: bytes) -> None:
    values = parse(_formula_with_cached_value(template), tree.county_police, YEAR, FMT)
    assert values["t3.new.0"] == 3


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        ("format", "模板是2019格式"),
        ("org", "模板属于机关"),
        ("year", "模板年度为2023"),
    ],
)
def test_template_of_another_format_body_or_year_is_refused(tree: Tree, other: str, reason: str) -> None:
    org, year, fmt = tree.county_police, YEAR, FMT
    if other == "format":
        upload = template_for(org, year, "2019")
    elif other == "org":
        upload = template_for(tree.education, year, fmt)
    else:
        upload = template_for(org, 2023, fmt)
    with pytest.raises(SubmissionError) as caught:
        parse(upload, org, year, fmt)
    assert any(p.sheet == META_SHEET and reason in p.reason for p in caught.value.problems)


def test_table3_carried_over_figure_not_matching_last_year_is_a_warning(
    tree: Tree, personas: Personas
) -> None:
    """Rule 5 compares with the previous year as the platform knows it: a warning, the upload is kept."""
    template = template_for(tree.county_police, YEAR, FMT)
    values = {
        **TABLE3_2021,
        (T3, "二、上年结转政府信息公开申请数量", PERSON): 1,
        (T3, "二、上年结转政府信息公开申请数量", ALL): 1,
        (T3, CARRIED_OUT, PERSON): 2,
        (T3, CARRIED_OUT, ALL): 2,
    }
    submission = actions.submit(
        personas.supervisor, tree.county_police, YEAR, FMT, io.BytesIO(fill(template, FMT, values)), "c.xlsx"
    )
    assert any("2023年结转下年度0" in w for w in submission.warnings), submission.warnings


def test_a_2014_sheet_whose_channels_do_not_add_up_is_refused(tree: Tree, personas: Personas) -> None:
    """Statutory-reference §3.4 rule 8 on a 2014-format submission: 收到申请数 = the four channels."""
    from gongkai.reports.stats2014 import A1, TABLE

    template_2014 = template_for(tree.county_police, 2016, "2014")
    column = "统计数"
    bad = fill(template_2014, "2014", {(TABLE, A1, column): 5, (TABLE, A1 + "/1.当面申请数", column): 3})
    with pytest.raises(SubmissionError) as caught:
        actions.submit(personas.supervisor, tree.county_police, 2016, "2014", io.BytesIO(bad), "x.xlsx")
    sheet, cell = where("2014", TABLE, A1, column)
    assert any(p.where == f"{sheet}!{cell}" and "规则8" in p.reason for p in caught.value.problems)
    assert not Submission.objects.exists()
