"""Synthetic applicants are stored as the app stores applicants: encrypted identifiers, keyed digest, masks."""

from __future__ import annotations

import random
from typing import Any

import pytest

from gongkai import crypto
from gongkai.audit.models import AuditEntry
from gongkai.cases.applicants import find_by_id_number, reveal
from gongkai.cases.models import Applicant, ApplicantKind
from gongkai.organisations.codes import is_valid_credit_code, is_valid_resident_id
from gongkai.synth.applicants import ApplicantMaker, identity_pool, write_applicants

KINDS = [ApplicantKind.NATURAL_PERSON] * 40 + [
    ApplicantKind.BUSINESS,
    ApplicantKind.LEGAL_SERVICE,
    ApplicantKind.RESEARCH,
    ApplicantKind.PUBLIC_INTEREST,
    ApplicantKind.OTHER,
]


def test_the_pool_holds_valid_numbers_that_decrypt_and_depend_only_on_the_seed() -> None:
    pool = identity_pool(random.Random(5), 20)
    again = identity_pool(random.Random(5), 20)
    assert [(i.id_number, i.phone) for i in pool] == [(i.id_number, i.phone) for i in again]
    for ident in pool:
        assert is_valid_resident_id(ident.id_number)
        assert crypto.decrypt(ident.stored["id_number_encrypted"]) == ident.id_number
        assert crypto.decrypt(ident.stored["phone_encrypted"]) == ident.phone
        assert ident.stored["id_number_digest"] == crypto.match_digest(ident.id_number)
        assert ident.stored["id_number_masked"] == ident.id_number[:3] + "*" * 11 + ident.id_number[-4:]
        assert ident.stored["phone_masked"] == f"{ident.phone[:3]}****{ident.phone[-4:]}"


def test_values_are_encrypted_once_per_pool_not_once_per_applicant(monkeypatch: Any) -> None:
    calls = []
    real = crypto.encrypt

    def counting(value: str) -> str:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(crypto, "encrypt", counting)  # the module calls crypto.encrypt at run time
    maker = ApplicantMaker(random.Random(1), pool_size=8)
    rows = [maker.row(ApplicantKind.NATURAL_PERSON) for _ in range(500)]
    assert len(calls) == 16  # an ID and a phone number per identity
    assert len({r["id_number_digest"] for r in rows}) <= 8


@pytest.mark.django_db
def test_written_applicants_satisfy_the_model_and_are_found_and_revealed_like_real_ones() -> None:
    maker = ApplicantMaker(random.Random(9), pool_size=10)
    rows = [maker.row(kind) for kind in KINDS]
    before = AuditEntry.objects.count()
    ids = write_applicants(rows, first_id=1)
    assert Applicant.objects.filter(pk__in=ids).count() == len(KINDS)
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_type, e.batch_size) for e in entries] == [
        ("synth.bulk_create", "cases.applicant", len(KINDS))
    ]
    person = Applicant.objects.filter(kind=ApplicantKind.NATURAL_PERSON).first()
    assert person is not None
    shown = reveal("tester", person, reason="核对申请人身份")
    assert is_valid_resident_id(shown["id_number"])
    assert person in find_by_id_number(shown["id_number"])
    assert shown["id_number"] not in str(list(AuditEntry.objects.values_list("summary", "after")))
    for org in Applicant.objects.exclude(kind=ApplicantKind.NATURAL_PERSON):
        assert org.id_document == "" and org.id_number_encrypted == ""
        assert is_valid_credit_code(org.credit_code) and org.contact_name
    for applicant in Applicant.objects.all():
        applicant.full_clean()
