"""Idempotency keys are pruned once they have outlived their form and the per-phone limit's window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from gongkai.acknowledgement.models import IdempotencyKey
from gongkai.acknowledgement.pruning import keep_for, prune_keys
from gongkai.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _key(scope: str, created: dt.datetime, n: int) -> None:
    with time_machine.travel(created, tick=False):
        IdempotencyKey.objects.create(scope=scope, key_hash=f"{n:064d}")


def test_keys_older_than_the_setting_go_and_the_run_is_audited_once(settings: Any) -> None:
    settings.GONGKAI_IDEMPOTENCY_KEEP_DAYS = 30
    now = dt.datetime(2026, 5, 1, 3, 15, tzinfo=TZ)
    for n, days in enumerate([31, 45, 400]):
        _key("apply", now - dt.timedelta(days=days), n)
    _key("apply", now - dt.timedelta(days=29), 10)
    before = AuditEntry.objects.count()

    assert prune_keys(now) == 3

    assert list(IdempotencyKey.objects.values_list("key_hash", flat=True)) == [f"{10:064d}"]
    entries = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert [(e.action, e.batch_size) for e in entries] == [("acknowledgement.prune_keys", 3)]


def test_nothing_to_prune_writes_no_audit_entry(settings: Any) -> None:
    settings.GONGKAI_IDEMPOTENCY_KEEP_DAYS = 30
    now = dt.datetime(2026, 5, 1, tzinfo=TZ)
    _key("apply", now - dt.timedelta(days=1), 1)
    before = AuditEntry.objects.count()
    assert prune_keys(now) == 0
    assert AuditEntry.objects.count() == before
    assert IdempotencyKey.objects.count() == 1


def test_a_setting_shorter_than_the_limit_window_is_not_honoured(settings: Any) -> None:
    """The per-phone daily limit counts these rows: pruning them early would lift the limit."""
    settings.GONGKAI_IDEMPOTENCY_KEEP_DAYS = 0
    assert keep_for() == dt.timedelta(days=2)
    now = dt.datetime(2026, 5, 1, tzinfo=TZ)
    _key("apply", now - dt.timedelta(hours=30), 1)
    assert prune_keys(now) == 0


def test_labels_read_in_beijing_time() -> None:
    """A key stored at 00:15 UTC reads as 08:15 (the admin and audit summaries show these labels)."""
    _key("apply", dt.datetime(2026, 5, 1, 0, 15, tzinfo=dt.UTC), 1)
    assert str(IdempotencyKey.objects.get()) == "apply 2026-05-01 08:15"
