"""Applicants: validation by field, identifiers encrypted and matched by digest, masked, reveals audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant, find_by_id_number, reveal
from gongkai.cases.models import Applicant
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def person(**extra: str) -> Applicant:
    fields = {
        "kind": "natural",
        "name": "张三",
        "id_document": "resident_id",
        "id_number": ID,
        "phone": "13812345678",
    } | extra
    return create_applicant("clerk", **fields)


def test_identifiers_are_encrypted_masked_and_matched() -> None:
    applicant = person(id_number="110105 19491231002x")
    stored = Applicant.objects.values().get(pk=applicant.pk)
    assert ID not in str(stored) and "13812345678" not in str(stored)
    assert (applicant.id_number_masked, applicant.phone_masked) == ("110***********002X", "138****5678")
    assert find_by_id_number(ID.lower()) == [applicant]
    assert find_by_id_number("11010519491231003X") == []


def test_audit_entries_never_contain_the_identifiers() -> None:
    applicant = person()
    entry = AuditEntry.objects.for_object(applicant).get(action="applicant.create")
    assert ID not in str(entry.after) and "13812345678" not in str(entry.after)
    assert entry.after["id_number_masked"] == "110***********002X"


def test_revealing_needs_a_reason_and_is_audited() -> None:
    applicant = person()
    with pytest.raises(ValidationError):
        reveal("clerk", applicant, reason="  ")
    assert not AuditEntry.objects.filter(action="applicant.reveal").exists()
    assert reveal("clerk", applicant, reason="核对申请人身份") == {"id_number": ID, "phone": "13812345678"}
    entry = AuditEntry.objects.get(action="applicant.reveal")
    assert (entry.actor_label, entry.summary) == ("clerk", "核对申请人身份")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),  # wrong check character
        ({"id_number": ""}, "id_number"),
        ({"id_document": ""}, "id_document"),
        ({"name": " "}, "name"),
        ({"kind": "alien"}, "kind"),
    ],
)
def test_bad_applicants_are_refused_by_field_and_nothing_is_written(
    fields: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        person(**fields)
    assert field in err.value.message_dict
    assert (
        not Applicant.objects.exists() and not AuditEntry.objects.filter(action="applicant.create").exists()
    )


def test_organisations_have_a_credit_code_and_no_id_document() -> None:
    company = create_applicant(
        "clerk",
        kind="business",
        name="某某科技有限公司",
        credit_code="91350100M000100Y43",
        contact_name="李四",
    )
    assert (company.id_document, company.id_number_digest) == ("", "")
    with pytest.raises(ValidationError) as err:
        create_applicant(
            "clerk",
            kind="legal_service",
            name="某律师事务所",
            credit_code="91350100M000100Y44",
            contact_name="李四",
        )
    assert "credit_code" in err.value.message_dict


def test_the_case_takes_its_table_3_column_from_the_applicant(tree: Tree, personas: Personas) -> None:
    company = create_applicant(
        "clerk", kind="research", name="某研究院", credit_code="91350100M000100Y43", contact_name="李四"
    )
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 3, 9),
        channel="letter",
        subject="s",
        applicant=company,
    )
    assert (req.applicant, req.applicant_kind) == (company, "research")
