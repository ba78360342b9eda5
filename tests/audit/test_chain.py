"""The hash chain (issue #10, deliver 6): each entry's hash covers its content and the previous entry's hash, in
insertion order, and concurrent writers cannot fork it."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gongkai.audit import chain, log
from gongkai.audit.log import record
from gongkai.audit.models import AppendOnlyError, AuditEntry
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _record(n: int, **extra: Any) -> list[AuditEntry]:
    with transaction.atomic():
        return [record("tester", "thing.do", object_type="x", object_id=str(i), **extra) for i in range(n)]


def test_each_entry_hashes_its_content_chained_to_the_previous_one(personas: Personas) -> None:
    _record(2, after={"a": 1})
    with transaction.atomic():
        record(personas.clerk, "thing.undo", object_type="x", object_id="9", summary="撤销", before={"a": 1})
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].prev_hash == chain.GENESIS
    for previous, entry in itertools.pairwise(entries):
        assert entry.prev_hash == previous.chain_hash
    last = entries[-1]
    content = {
        "action": "thing.undo",
        "actor_id": personas.clerk.pk,
        "actor_label": "clerk",
        "after": None,
        "at": last.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "batch_size": 1,
        "before": {"a": 1},
        "object_id": "9",
        "object_type": "x",
        "summary": "撤销",
    }
    assert chain.canonical(content) == chain.canonical(chain.content_of(last))
    expected = hashlib.sha256(f"{last.prev_hash}\n".encode() + chain.canonical(content)).hexdigest()
    assert last.chain_hash == expected


def test_values_hash_the_same_after_a_round_trip_through_the_database() -> None:
    after = {
        "big": 1e20,
        "small": 1.5e-7,
        "tenth": 0.1,
        "money": decimal.Decimal("12.30"),
        "day": dt.date(2026, 3, 1),
        "text": "中文\u3000“引号”\\ \t",
        "nested": [{"z": 1, "a": [True, None]}],
    }
    _record(1, after=after, summary="é" * 400)
    assert chain.verify().problem is None


def test_entries_are_only_written_chained() -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(at=timezone.now(), actor_label="x", action="y")])


def test_sqlite_writers_are_serialised_by_immediate_transactions() -> None:
    """On SQLite the chain needs no lock of its own: every transaction takes the write lock at BEGIN."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _slow_head(real: Callable[[], str]) -> Callable[[], str]:
    def head() -> str:
        value = real()
        time.sleep(0.002)  # widen the window between reading the head and appending after it
        return value

    return head


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="PostgreSQL: SQLite serialises writers at BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_do_not_fork_the_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log, "_head", _slow_head(log._head))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    record("tester", "thing.do", object_type=f"w{n}", object_id=str(i))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    prevs = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == 60 and len(set(prevs)) == 60  # no two entries follow the same one
    assert chain.verify().problem is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migration_chains_existing_entries() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    old = executor.loader.project_state([("audit", "0001_initial")]).apps.get_model("audit", "AuditEntry")
    for i in range(3):
        old.objects.create(
            at=timezone.now(), actor_label="old", action="thing.did", object_id=str(i), after={"i": i}
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    report = chain.verify()
    assert (report.problem, report.count) == (None, 3)
    call_command("audit", "verify")
