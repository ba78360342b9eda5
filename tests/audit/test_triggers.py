"""The database itself refuses to change or delete audit entries (issue #10, defect 10): raw SQL UPDATE and
DELETE (and TRUNCATE on PostgreSQL) fail, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.audit.log import record
from gongkai.audit.models import AuditEntry
from gongkai.audit.triggers import maintenance

pytestmark = pytest.mark.django_db


def _entry() -> AuditEntry:
    with transaction.atomic():
        return record("tester", "thing.do", object_type="x", object_id="1", summary="原文")


def _raw(sql: str, *params: int | str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: the refusal rolls back to it
        cursor.execute(sql, list(params))


def test_raw_sql_update_is_refused() -> None:
    entry = _entry()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditentry SET summary = %s WHERE id = %s", "改过", entry.pk)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "原文"


def test_raw_sql_delete_is_refused() -> None:
    entry = _entry()
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditentry WHERE id = %s", entry.pk)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_truncate_is_refused_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _entry()
    # no pending foreign-key checks from the insert, or TRUNCATE refuses for that reason instead
    _raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.exists()


def test_the_maintenance_switch_is_per_connection_and_scoped() -> None:
    entry = _entry()
    with maintenance():
        _raw("UPDATE audit_auditentry SET summary = %s WHERE id = %s", "维护", entry.pk)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "维护"
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditentry WHERE id = %s", entry.pk)


def test_the_switch_opens_nothing_for_a_role_that_does_not_own_the_table() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL roles")
    entry = _entry()
    _raw("CREATE ROLE gongkai_test_app NOLOGIN")
    _raw("GRANT UPDATE, DELETE, SELECT ON audit_auditentry TO gongkai_test_app")
    with (
        maintenance(),
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL ROLE gongkai_test_app")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transactional_tests_can_still_flush_the_log() -> None:
    """The flush after this test (tests/conftest.py, ``audit_log_flushable``) must succeed with entries in."""
    _entry()
    assert AuditEntry.objects.count() == 1
