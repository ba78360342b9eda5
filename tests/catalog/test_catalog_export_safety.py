"""Issue 10 for the catalog: exports go through ``gongkai.exportsafe`` (formula-like text as text, stored control
characters removed), and the importer normalises text (``gongkai.inputs``), refusing a control character by
row and column, the whole file unless --skip-bad."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from gongkai.catalog import transitions as t
from gongkai.catalog.importing import import_publications
from gongkai.catalog.models import Channel, Publication
from tests.catalog.test_import_export import (  # noqa: F401 (channels is a fixture)
    channels,
    failing,
    row,
    run,
    state,
    write_csv,
)
from tests.conftest import Personas, Tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("channels")]
D = dt.date


def published(tree: Tree, personas: Personas, title: str) -> Publication:
    portal = Channel.objects.get(name="测试市政府门户网站")
    pub, _w = t.create_draft(personas.clerk, tree.education, title="标题", made_on=D(2026, 3, 2))
    t.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    t.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[portal])
    Publication.objects.filter(pk=pub.pk).update(title=title)  # as old data would be stored
    return pub


def export(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"items{suffix}"
    call_command("export", "publications", str(path), stderr=io.StringIO())
    return path


@pytest.mark.parametrize("title", ["+1+2 增长", "-5%同比", "@SUM(A1)", "=1+2"])
def test_every_formula_start_round_trips_through_csv_and_xlsx(
    tmp_path: Path, tree: Tree, personas: Personas, title: str
) -> None:
    published(tree, personas, title)
    csv_path, xlsx_path = export(tmp_path, ".csv"), export(tmp_path, ".xlsx")
    assert f"'{title}" in csv_path.read_text(encoding="utf-8-sig")
    sheet = openpyxl.load_workbook(xlsx_path).active
    assert sheet is not None
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    assert title in [c.value for c in sheet[2]]
    before = state()
    for path in (csv_path, xlsx_path):
        assert import_publications("test", path).counts["unchanged"] == 1
    assert state() == before


def test_stored_control_characters_are_removed_from_csv_and_xlsx_exports(
    tmp_path: Path, tree: Tree, personas: Personas
) -> None:
    published(tree, personas, "关于\x01\x02\x0b\x0c\x1f招生的通知")
    assert "关于招生的通知" in export(tmp_path, ".csv").read_text(encoding="utf-8-sig")
    sheet = openpyxl.load_workbook(export(tmp_path, ".xlsx")).active
    assert sheet is not None and "关于招生的通知" in [c.value for c in sheet[2]]


def test_a_control_character_in_an_imported_row_is_refused_by_row_and_column(
    tmp_path: Path, tree: Tree, personas: Personas
) -> None:
    path = write_csv(tmp_path / "items.csv", [row(tree, 1), row(tree, 2, 标题="关于\x01招生的通知")])
    err = failing(path)
    assert "第3行“标题”" in err and "U+0001" in err
    assert not Publication.objects.exists()
    out, err = run(path, "--skip-bad")
    assert "新增1条" in out and "第3行“标题”" in err
    assert list(Publication.objects.values_list("index_serial", flat=True)) == [1]


def test_imported_text_is_normalised(tmp_path: Path, tree: Tree, personas: Personas) -> None:
    path = write_csv(
        tmp_path / "items.csv",
        [row(tree, 1, 标题="\ufeff关于招生\n的通知\u200b", 正文="第一段\r\n第二段")],
    )
    run(path)
    pub = Publication.objects.get()
    assert (pub.title, pub.text) == ("关于招生 的通知", "第一段\n第二段")
