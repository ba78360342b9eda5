"""An audit entry's label reads in Beijing time, whatever the database stores."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from gongkai.audit.log import record

pytestmark = pytest.mark.django_db


def test_an_entry_written_at_0015_utc_reads_0815() -> None:
    with time_machine.travel(dt.datetime(2026, 5, 1, 0, 15, tzinfo=dt.UTC), tick=False), transaction.atomic():
        entry = record("system", "test.label", object_type="x", summary="")
    entry.refresh_from_db()
    assert str(entry) == "2026-05-01 08:15 system test.label"
