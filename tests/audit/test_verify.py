"""`gongkai audit verify` (issue #10, deliver 6): with the triggers dropped (an attacker with SQL rights), every
change, deletion or reordering of entries is named by the first entry it breaks; an anchor kept elsewhere
catches deleted newest entries and a rewritten chain."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from gongkai.audit import chain, triggers
from gongkai.audit.log import record
from gongkai.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries() -> Iterator[list[int]]:
    """Five entries, then the triggers dropped (the test's transaction brings them back)."""
    with transaction.atomic():
        ids = [
            record("tester", "thing.do", object_type="x", object_id=str(i), after={"i": i}).pk
            for i in range(5)
        ]
    triggers.uninstall(connection)
    yield ids


def _sql(sql: str, *params: int | str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        verify(*args)
    assert caught.value.returncode == 1
    return str(caught.value)


def test_an_intact_log_verifies_and_prints_its_head(entries: list[int]) -> None:
    head = AuditEntry.objects.get(pk=entries[-1]).chain_hash
    out = verify()
    assert "共 5 条" in out and f"第 {entries[-1]} 条" in out and head in out


def test_an_empty_log_verifies() -> None:
    assert "共 0 条" in verify()


def test_a_raw_update_of_one_summary_is_named(entries: list[int]) -> None:
    _sql("UPDATE audit_auditentry SET summary = %s WHERE id = %s", "无事发生", entries[2])
    message = refused()
    assert f"第{entries[2]}条的内容与其哈希不符" in message


def test_a_deleted_middle_entry_is_named_as_a_gap(entries: list[int]) -> None:
    _sql("DELETE FROM audit_auditentry WHERE id = %s", entries[2])
    message = refused()
    assert f"第{entries[3]}条没有接在第{entries[1]}条之后" in message


def test_a_deleted_first_entry_is_named(entries: list[int]) -> None:
    _sql("DELETE FROM audit_auditentry WHERE id = %s", entries[0])
    assert f"第{entries[1]}条不是日志的第一条" in refused()


def _swap(a: int, b: int) -> None:
    """Swap every column but the id between two entries (their hashes too). Only ints and the model's column
    names are formatted into the SQL."""
    columns = [f.column for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    pick = f"CASE audit_auditentry.id WHEN {a} THEN {b} ELSE {a} END"
    assignments = ", ".join(
        f"{c} = (SELECT s.{c} FROM audit_swap s WHERE s.id = {pick})"  # noqa: S608
        for c in columns
    )
    _sql(f"CREATE TEMP TABLE audit_swap AS SELECT * FROM audit_auditentry WHERE id IN ({a}, {b})")  # noqa: S608
    _sql(f"UPDATE audit_auditentry SET {assignments} WHERE id IN ({a}, {b})")  # noqa: S608
    _sql("DROP TABLE audit_swap")


def test_two_swapped_entries_name_the_first(entries: list[int]) -> None:
    a, b = entries[1], entries[3]
    _swap(a, b)
    assert AuditEntry.objects.get(pk=a).object_id == "3"
    message = refused()
    assert f"第{a}条没有接在" in message


def test_deleted_newest_entries_are_caught_by_the_anchor(entries: list[int], tmp_path: Path) -> None:
    anchor = tmp_path / "audit.anchor"
    verify("--anchor", str(anchor))
    assert f'"id": {entries[-1]}' in anchor.read_text()
    _sql("DELETE FROM audit_auditentry WHERE id >= %s", entries[3])
    assert "共 3 条" in verify()  # a shorter chain is still a chain
    assert f"锚点记录的第{entries[-1]}条已不存在" in refused("--anchor", str(anchor))


def test_a_rewritten_chain_is_caught_by_the_anchor(entries: list[int], tmp_path: Path) -> None:
    """Someone with full rights changes an entry and recomputes every hash after it: only the anchor shows it."""
    anchor = tmp_path / "audit.anchor"
    verify("--anchor", str(anchor))
    prev = AuditEntry.objects.get(pk=entries[2]).prev_hash
    for pk in entries[2:]:
        _sql("UPDATE audit_auditentry SET summary = %s, prev_hash = %s WHERE id = %s", "改写", prev, pk)
        entry = AuditEntry.objects.get(pk=pk)
        prev = chain.entry_hash(prev, chain.content_of(entry))
        _sql("UPDATE audit_auditentry SET chain_hash = %s WHERE id = %s", prev, pk)
    assert "共 5 条" in verify()
    assert f"第{entries[-1]}条的哈希与锚点记录的不符" in refused("--anchor", str(anchor))


def test_the_anchor_moves_forward_when_the_log_is_intact(entries: list[int], tmp_path: Path) -> None:
    anchor = tmp_path / "audit.anchor"
    verify("--anchor", str(anchor))
    with transaction.atomic():
        newest = record("tester", "thing.do", object_type="x", object_id="5")
    assert "共 6 条" in verify("--anchor", str(anchor))
    lines = anchor.read_text().splitlines()
    assert len(lines) == 2 and newest.chain_hash in lines[-1]


def test_an_unreadable_anchor_is_an_error_of_its_own(entries: list[int], tmp_path: Path) -> None:
    anchor = tmp_path / "audit.anchor"
    anchor.write_text("not json\n")
    with pytest.raises(CommandError, match="锚点文件") as caught:
        verify("--anchor", str(anchor))
    assert caught.value.returncode == 2
