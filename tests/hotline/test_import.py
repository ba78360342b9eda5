"""Importing the platform's export: 小李 (教育局 clerk) imports CSV in UTF-8, UTF-8 with BOM and GB18030, and XLSX;
a bad row refuses the whole file with its row, field and reason; a re-import is a no-op."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper

from gongkai.audit.models import AuditEntry
from gongkai.hotline.importer import ImportRefused, import_tickets
from gongkai.hotline.models import Ticket, TicketEvent
from tests.conftest import Tree
from tests.hotline.helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
ROWS = [
    [
        "A001",
        "2025-05-06 09:12",
        "咨询",
        "学区划分",
        "王小明",
        "13912345678",
        "咨询学区",
        "已办结",
        "2025-05-06 15:00",
        "满意",
    ],
    [
        "A002",
        "2025/05/07 10:00",
        "投诉",
        "校外培训收费",
        "李四",
        "0374-1234567",
        "投诉收费",
        "办理中",
        "",
        "",
    ],
    ["A003", "2025-05-08 11:00", "求助", "校车线路", "", "", "", "已办结", "2025-05-12 09:00", "不满意"],
]


def _batch_entries() -> int:
    return AuditEntry.objects.filter(action="hotline.bulk_create").count()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_csv_export_is_imported_in_any_of_its_encodings(tree: Tree, encoding: str) -> None:
    result = import_tickets("clerk", tree.education, csv_bytes(ROWS, encoding), "工单.csv")
    assert result.created == 3 and _batch_entries() == 1
    first = Ticket.objects.get(number="A001")
    assert (first.topic, first.category, first.status, first.satisfaction) == (
        "学区划分",
        "consult",
        "completed",
        "satisfied",
    )
    assert first.phone_masked == "139****5678" and first.received_at == dt.datetime(
        2025, 5, 6, 1, 12, tzinfo=dt.UTC
    )
    assert Ticket.objects.get(number="A002").status == "in_progress"
    assert TicketEvent.objects.filter(ticket=first).count() == 3  # received, completed, rated


def test_an_xlsx_export_is_imported_with_its_cell_types(tree: Tree) -> None:
    rows: list[list[Any]] = [list(r) for r in ROWS]
    rows[0][1] = dt.datetime(2025, 5, 6, 9, 12)  # a date cell
    rows[0][5] = 13912345678  # a number cell
    result = import_tickets("clerk", tree.education, xlsx_bytes(rows), "工单.xlsx")
    assert result.created == 3
    assert Ticket.objects.get(number="A001").phone_masked == "139****5678"


def test_a_bad_row_names_its_row_field_and_reason_and_nothing_is_written(tree: Tree) -> None:
    rows = [
        *ROWS,
        ["A004", "昨天上午", "咨询", "", "", "", "", "", "", ""],
        ["A001", "2025-05-09 09:00", "咨询", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(ImportRefused) as refused:
        import_tickets("clerk", tree.education, csv_bytes(rows), "工单.csv")
    problems = {(p.row, p.field) for p in refused.value.problems}
    assert problems == {(5, "受理时间"), (6, "工单编号")}
    assert "昨天上午" in refused.value.problems[0].reason
    assert not Ticket.objects.exists() and _batch_entries() == 0


def test_completed_without_a_completion_time_is_refused(tree: Tree) -> None:
    rows = [["B1", "2025-05-06 09:12", "咨询", "", "", "", "", "已办结", "", "满意"]]
    with pytest.raises(ImportRefused) as refused:
        import_tickets("clerk", tree.education, csv_bytes(rows), "工单.csv")
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "办结时间")]


def test_a_re_import_is_a_no_op_and_a_changed_row_is_refused(tree: Tree) -> None:
    import_tickets("clerk", tree.education, csv_bytes(ROWS), "工单.csv")
    again = import_tickets("clerk", tree.education, csv_bytes(ROWS), "工单.csv")
    assert (again.created, again.unchanged) == (0, 3) and _batch_entries() == 1
    changed = [ROWS[0], [*ROWS[1][:3], "另一个问题", *ROWS[1][4:]]]
    with pytest.raises(ImportRefused) as refused:
        import_tickets("clerk", tree.education, csv_bytes(changed), "工单.csv")
    assert [p.row for p in refused.value.problems] == [3]


def test_a_row_may_name_a_body_of_the_subtree_only(tree: Tree) -> None:
    header = ["工单编号", "受理时间", "承办机关代码"]
    ok = csv_bytes([["C1", "2025-05-06 09:00", tree.county_police.org_code]], header=header)
    import_tickets("city", tree.city, ok, "工单.csv")
    assert Ticket.objects.get().body == tree.county_police
    outside = csv_bytes([["C2", "2025-05-06 09:00", tree.county_police.org_code]], header=header)
    with pytest.raises(ImportRefused) as refused:
        import_tickets("edu", tree.education, outside, "工单.csv")
    assert refused.value.problems[0].field == "承办机关代码"


def test_the_command_imports_and_reports_problems(tree: Tree, tmp_path: Any) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(ROWS, "gb18030"))
    out = StringIO()
    call_command("hotline-import", str(good), "--org", tree.education.org_code, stdout=out)
    assert "已导入3件工单" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["D1", "2025-05-06 09:00", "未知类型", "", "", "", "", "", "", ""]]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("hotline-import", str(bad), "--org", tree.education.org_code, stderr=OutputWrapper(err))
    assert "第2行“诉求类型”" in err.getvalue()
    assert Ticket.objects.count() == 3
