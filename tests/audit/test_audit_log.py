from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.audit.log import record
from gongkai.audit.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted() -> None:
    with transaction.atomic():
        entry = record("tester", "thing.do", object_type="x", object_id="1", after={"a": 1})
    entry.summary = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(summary="x")
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


# Transactional tests flush the database; serialized_rollback reloads, for this test, what the data migrations
# loaded (vocabularies, the official calendar).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        record("tester", "thing.do")
