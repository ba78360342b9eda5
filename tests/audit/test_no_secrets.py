"""No secret, digest or ciphertext enters the audit log (issue #10, defect 10): ``audit.log.snapshot`` leaves out
every field the rule of ``gongkai.audit.log.secret_fields`` names, whoever calls it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.audit.log import record, secret_fields, snapshot
from gongkai.audit.models import AuditEntry
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import Applicant, InformationRequest
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
DIGEST = "9f" * 32  # a legacy tracking-secret digest


def _all_entries_text() -> str:
    rows = AuditEntry.objects.values_list("summary", "before", "after")
    return json.dumps(list(rows), ensure_ascii=False)


def test_case_transition_entries_hold_no_digest_and_no_ciphertext(tree: Tree, personas: Personas) -> None:
    applicant = create_applicant(
        personas.clerk,
        kind="natural",
        name="张三",
        id_document="resident_id",
        id_number="11010519491231002X",
        phone="13812345678",
    )
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 3, 9),
        channel="online",
        subject="申请公开2025年招生计划",
        applicant=applicant,
    )
    InformationRequest.objects.filter(pk=req.pk).update(tracking_secret_digest=DIGEST)
    req.refresh_from_db()
    t.request_supplement(personas.clerk, req, on=dt.date(2026, 3, 11), note="请说明所需信息的年度")
    entry = AuditEntry.objects.for_object(req).get(action="case.supplement_requested")
    for side in (entry.before, entry.after):
        assert side is not None and "state" in side  # the snapshot is there, without its secrets
        assert not [k for k in side if k.endswith(("_digest", "_encrypted", "_hash"))]
    stored = Applicant.objects.get(pk=applicant.pk)
    text = _all_entries_text()
    for secret in (DIGEST, stored.id_number_encrypted, stored.id_number_digest, stored.phone_encrypted):
        assert secret and secret not in text


def test_the_rule_names_secrets_by_field_name_and_by_model() -> None:
    assert {"id_number_encrypted", "id_number_digest", "phone_encrypted"} <= secret_fields(Applicant)
    assert "tracking_secret_digest" in secret_fields(InformationRequest)
    assert "password" in secret_fields(get_user_model())
    assert "id_number_masked" not in secret_fields(Applicant)


def test_a_user_snapshot_has_no_password_hash_even_when_asked_for(personas: Personas) -> None:
    data = snapshot(personas.clerk)
    assert personas.clerk.password and personas.clerk.password not in json.dumps(data)
    assert "password" not in data
    assert snapshot(personas.clerk, fields=["username", "password"]) == {"username": "clerk"}


def test_record_drops_secret_keys_passed_by_hand() -> None:
    with transaction.atomic():
        entry = record(
            "tester",
            "thing.do",
            object_type="x",
            object_id="1",
            after={"name": "a", "key_hash": "abc", "nested": [{"phone_encrypted": "gAAA", "ok": 1}]},
        )
    assert AuditEntry.objects.get(pk=entry.pk).after == {"name": "a", "nested": [{"ok": 1}]}


def test_a_model_can_name_more_secret_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    applicant = Applicant(kind="natural", name="张三", email="zhang@example.invalid")
    assert snapshot(applicant)["email"] == "zhang@example.invalid"
    monkeypatch.setattr(Applicant, "audit_secret_fields", ("email",), raising=False)
    assert "email" in secret_fields(Applicant) and "email" not in snapshot(applicant)
