"""Loading the demo twice (into fresh databases) gives a byte-identical report JSON; the command is
idempotent."""

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


@pytest.mark.django_db(transaction=False)
def test_two_loads_give_byte_identical_report_json() -> None:
    outputs = []
    for _ in range(2):
        sid = transaction.savepoint()
        load()
        outputs.append(city_json())
        transaction.savepoint_rollback(sid)
    assert outputs[0] == outputs[1]


@pytest.mark.django_db
def test_demo_command_is_idempotent_and_audited() -> None:
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
