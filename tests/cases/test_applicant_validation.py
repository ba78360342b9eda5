"""Defect 12 in the domain: ``create_applicant`` refuses what the public form refuses, so staff intake, the API
and any other caller cannot store an unchecked phone or document number or an organisation without its
统一社会信用代码 and contact person; the staff forms normalise like the public ones."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases.applicants import create_applicant, credit_code_problem, id_number_problem, phone_problem
from gongkai.cases.forms import IntakeForm, ReasonForm
from gongkai.cases.models import Applicant, InformationRequest
from gongkai.organisations.models import Organisation
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
CREDIT_CODE = "91350100M000100Y43"


def refused_fields(**fields: str) -> set[str]:
    with pytest.raises(ValidationError) as err:
        create_applicant("clerk", **fields)
    assert (
        not Applicant.objects.exists() and not AuditEntry.objects.filter(action="applicant.create").exists()
    )
    return set(err.value.message_dict)


PERSON = {"kind": "natural", "name": "张三", "id_document": "passport", "id_number": "E12345678"}
COMPANY = {"kind": "business", "name": "某某科技有限公司", "credit_code": CREDIT_CODE, "contact_name": "李四"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (PERSON | {"phone": "abc<>"}, {"phone"}),
        (PERSON | {"id_number": "<script>alert(1)</script>"}, {"id_number"}),
        (PERSON | {"id_document": "taiwan", "id_number": "12"}, {"id_number"}),
        (PERSON | {"name": "张\x01三"}, {"name"}),
        (PERSON | {"address": "某路\ufffe1号"}, {"address"}),
        (COMPANY | {"credit_code": ""}, {"credit_code"}),
        (COMPANY | {"contact_name": "  "}, {"contact_name"}),
        (COMPANY | {"credit_code": "91350100M000100Y44"}, {"credit_code"}),
        (COMPANY | {"credit_code": "91350100M000100I43"}, {"credit_code"}),  # I is not in the charset
        ({"kind": "research", "name": "某研究院"}, {"credit_code", "contact_name"}),
    ],
)
def test_the_domain_refuses_by_field_and_writes_nothing(fields: dict[str, str], expected: set[str]) -> None:
    assert refused_fields(**fields) == expected


def test_identifiers_are_stored_in_their_canonical_form() -> None:
    person = create_applicant(
        "clerk", **PERSON | {"id_number": " e1234 5678 ", "phone": "＋86 138 1234 5678"}
    )
    assert person.id_number_masked == "E1*****78" and person.phone_masked == "138****5678"
    company = create_applicant("clerk", **COMPANY | {"credit_code": "91350100m000100y43"})
    assert (company.credit_code, company.contact_name) == (CREDIT_CODE, "李四")


@pytest.mark.parametrize(
    ("document", "number", "ok"),
    [
        ("resident_id", "11010519491231002X", True),
        ("resident_id", "110105194912310021", False),
        ("resident_id", "110105491231002", False),  # a 15-digit first-generation number is no longer valid
        ("passport", "E12345678", True),
        ("passport", "P-1234567", True),
        ("passport", "E1", False),
        ("passport", "E" * 21, False),
        ("hk_macao", "H1234567890", True),
        ("other", "南字第1234567号", True),
        ("other", "a_b<c>", False),
    ],
)
def test_document_numbers_by_type(document: str, number: str, ok: bool) -> None:
    assert (id_number_problem(document, number) is None) == ok


def test_credit_codes_have_18_characters_and_a_gb_32100_check_character() -> None:
    assert credit_code_problem(CREDIT_CODE) is None
    assert credit_code_problem("91350100M000100Y4") == "统一社会信用代码为18位，当前17位"
    assert "校验位不符" in (credit_code_problem("91350100M000100Y44") or "")


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("0086-138-1234-5678", True),
        ("0371-65123456-8001", True),
        ("800 820 8820", True),
        ("abc<>", False),
        ("12345", False),
        ("138 1234 5678 <b>", False),
    ],
)
def test_phone_numbers(phone: str, ok: bool) -> None:
    assert (phone_problem(phone) is None) == ok


def test_the_intake_form_says_what_the_domain_refuses(tree: Tree) -> None:
    bodies = Organisation.objects.filter(pk=tree.education.pk)
    data = {
        "body": str(tree.education.pk),
        "received": "2026-03-09 10:00",
        "channel": "letter",
        "kind": "business",
        "name": "某公司",
        "phone": "abc<>",
        "subject": "某\x0c项目",
    }
    form = IntakeForm(data, bodies=bodies)
    assert not form.is_valid()
    assert set(form.errors) == {"credit_code", "contact_name", "phone", "subject"}
    assert "申请内容：第2个字符（U+000C）" in form.errors["subject"][0]
    far = IntakeForm(data | {"received": "9999-12-31 10:00"}, bodies=bodies)
    assert not far.is_valid() and far.errors["received"] == ["日期须在1900-01-01至2099-12-31之间"]
    assert "maxlength" not in str(form)


def test_staff_intake_with_control_characters_stores_nothing(tree: Tree, personas: Personas) -> None:
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    response = client.post(
        "/staff/cases/new/",
        {
            "body": str(tree.education.pk),
            "received": "2026-03-09 10:00",
            "channel": "letter",
            "kind": "natural",
            "name": "张三",
            "id_document": "passport",
            "id_number": "E12345678",
            "subject": "某项目\x01\x02\x0b\x0c\x1f",
        },
    )
    assert "U+0001" in str(response.context["form"].errors["subject"])
    assert not InformationRequest.objects.exists() and not Applicant.objects.exists()


def test_staff_text_fields_are_normalised_multiline() -> None:
    form = ReasonForm({"on": "2026-03-09", "reason": " 第一行\r\n第二行 "})
    assert form.is_valid() and form.cleaned_data["reason"] == "第一行\n第二行"
