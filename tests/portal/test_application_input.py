"""Defects 2 and 12 on the public application form: hostile or careless input is refused by field, with
everything else the applicant typed kept, and nothing is stored."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.cases.models import Applicant, InformationRequest
from tests.conftest import Tree

pytestmark = pytest.mark.django_db

CREDIT_CODE = "91350100M000100Y43"


def form(tree: Tree, **extra: str) -> dict[str, str]:
    return {
        "body": str(tree.education.pk),
        "kind": "natural",
        "name": "李四",
        "id_document": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "subject": "2025年义务教育招生划片方案",
        "provision_form": "electronic",
        "delivery_method": "email",
        "email": "li@example.invalid",
    } | extra


def refused(tree: Tree, **extra: str) -> tuple[dict[str, list[str]], str]:
    """Post the form; it must be refused (nothing stored): its errors and its page."""
    response = Client().post("/apply/", form(tree, **extra))
    assert response.status_code == 400
    assert not InformationRequest.objects.exists() and not Applicant.objects.exists()
    errors = {name: list(errs) for name, errs in response.context["form"].errors.items()}
    return errors, response.content.decode()


def test_control_characters_in_the_subject_are_a_field_error_and_the_rest_is_kept(tree: Tree) -> None:
    errors, page = refused(tree, subject="某项目\x01\x02\x0b\x0c\x1f批复", address="某市某路1号")
    assert list(errors) == ["subject"]
    assert "第4个字符（U+0001）" in errors["subject"][0] and errors["subject"][0].startswith("所需政府信息")
    assert 'value="李四"' in page and 'value="13812345678"' in page and 'value="li@example.invalid"' in page


def test_a_non_character_in_the_name_is_refused(tree: Tree) -> None:
    errors, _page = refused(tree, name="李\ufffe四")
    assert list(errors) == ["name"] and "U+FFFE" in errors["name"][0]


@pytest.mark.parametrize("phone", ["abc<>", "1381234567", "138123456789", "010-12", "+1 555 0100"])
def test_a_phone_that_is_no_mainland_number_is_refused(tree: Tree, phone: str) -> None:
    errors, _page = refused(tree, phone=phone)
    assert list(errors) == ["phone"] and "联系电话格式不正确" in errors["phone"][0]


@pytest.mark.parametrize(
    "phone",
    ["+86 138 1234 5678", "0374-1234567", "(010) 6512 3456", "010-65123456转123", "４００-１２３-４５６７"],
)
def test_phones_as_people_type_them_are_accepted(tree: Tree, phone: str) -> None:
    assert Client().post("/apply/", form(tree, phone=phone)).status_code == 302
    assert InformationRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("document", "number", "expected"),
    [
        ("passport", "<script>alert(1)</script>", "护照号码只能由字母、数字和连字符组成"),
        ("hk_macao", "H12<>", "港澳居民来往内地通行证号码只能由字母、数字和连字符组成"),
        ("other", "<b>军官证</b>", "证件号码只能由文字、字母、数字和连字符组成"),
        ("resident_id", "110105194912310021", "居民身份证号码不正确"),
    ],
)
def test_an_id_document_number_is_checked_by_its_type(
    tree: Tree, document: str, number: str, expected: str
) -> None:
    errors, page = refused(tree, id_document=document, id_number=number)
    assert list(errors) == ["id_number"] and expected in errors["id_number"][0]
    assert "<script>alert" not in page  # shown back escaped, never as markup


def test_an_organisation_needs_a_checked_credit_code_and_a_contact_person(tree: Tree) -> None:
    company = {"kind": "business", "name": "某某科技有限公司", "id_document": "", "id_number": ""}
    errors, _page = refused(tree, **company)
    assert set(errors) == {"credit_code", "contact_name"}
    assert "统一社会信用代码" in errors["credit_code"][0] and "联系人" in errors["contact_name"][0]
    errors, _page = refused(tree, **company, credit_code="91350100M000100Y44", contact_name="王五")
    assert list(errors) == ["credit_code"] and "校验位不符" in errors["credit_code"][0]
    errors, _page = refused(tree, **company, credit_code="9135010", contact_name="王五")
    assert errors["credit_code"] == ["统一社会信用代码为18位，当前7位"]
    response = Client().post(
        "/apply/", form(tree, **company, credit_code=" 91350100m000100y43 ", contact_name="王五")
    )
    assert response.status_code == 302
    assert Applicant.objects.values_list("credit_code", "contact_name").get() == (CREDIT_CODE, "王五")


def test_a_long_subject_is_not_cut_but_refused_with_its_length(tree: Tree) -> None:
    page = Client().get("/apply/").content.decode()
    assert "maxlength" not in page  # a browser would cut a paste at it, silently
    errors, page = refused(tree, subject="很" * 612)
    assert errors["subject"] == ["最多500个字，当前612个字"]
    assert "很" * 612 in page  # the whole text is given back to be shortened
    errors, _page = refused(tree, address="路" * 201, delivery_method="post")
    assert errors["address"] == ["最多200个字，当前201个字"]


def test_a_tracking_lookup_with_control_characters_is_a_field_error(tree: Tree) -> None:
    response = Client().post("/track/", {"code": "GK2026-\x00", "secret": "x"})
    assert response.status_code in {200, 400}
    assert "U+0000" in str(response.context["form"].errors["code"])
