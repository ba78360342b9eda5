"""Loading the demo twice (into fresh databases) gives a byte-identical report JSON; the command is
idempotent. Both in one test, so the demo loads twice rather than three times."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from gongkai.audit.models import AuditEntry
from gongkai.demo.generate import load
from gongkai.organisations.actions import resolve_org
from gongkai.organisations.models import Organisation
from gongkai.reports.build import build_report, report_json


def city_json() -> str:
    return json.dumps(
        report_json(build_report(resolve_org("许昌市"), 2014, "2014")), ensure_ascii=False, indent=1
    )


@pytest.mark.django_db
def test_the_command_loads_once_and_two_loads_give_byte_identical_report_json() -> None:
    """The first load runs through the command (audited, one entry per batch) and a second command run finds it
    loaded and changes nothing; after a rollback, a second load into the empty database gives the same JSON."""
    sid = transaction.savepoint()
    call_command("demo", stdout=io.StringIO())
    orgs = Organisation.objects.count()
    entries = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Organisation.objects.count() == orgs
    assert AuditEntry.objects.count() == entries
    bulk = AuditEntry.objects.filter(action="demo.bulk_create", object_type="catalog.publication").get()
    assert bulk.batch_size == 115169  # 115144 published + 25 normative documents issued but never published
    first = city_json()
    transaction.savepoint_rollback(sid)
    assert not Organisation.objects.exists()
    load()
    assert city_json() == first
