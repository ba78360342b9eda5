"""The application journey (issue 12, deliverable 2): the form in steps with only the chosen kind's fields
required, marked required fields and counters, errors next to their fields with a summary and everything kept
(the body too), the printable receipt repeating the request, and tracking that shows the request and its public
steps with their dates. Personas: 李四 (an individual) and 某某科技有限公司 (a company, contact 王五)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from gongkai.accounts.models import Role
from gongkai.cases import transitions as t
from gongkai.cases.models import Applicant, InformationRequest
from tests.conftest import Personas, Tree, make_user
from tests.portal.test_acknowledgement import key_of
from tests.portal.test_online_application import form, receipt_codes

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
CREDIT_CODE = "91350100M000100Y43"


def company(tree: Tree, **extra: str) -> dict[str, str]:
    """What the browser sends for an organisation once apply.js has disabled the individual's part."""
    data = form(tree, kind="business", name="某某科技有限公司", credit_code=CREDIT_CODE, contact_name="王五")
    del data["id_document"], data["id_number"]
    return data | extra


def test_the_form_is_in_steps_with_required_fields_marked_and_counters(tree: Tree) -> None:
    page = Client().get("/apply/").content.decode()
    steps = re.findall(r'<section class="step" id="(step-[a-z]+)"', page)
    assert steps == ["step-kind", "step-applicant", "step-body", "step-request", "step-review"]
    assert page.index('name="kind"') < page.index('name="name"') < page.index('name="body_q"')
    assert page.index('name="body_q"') < page.index('name="subject"')
    assert 'id="fields-person" data-kind="person"' in page and 'id="fields-organisation"' in page
    for name in ("name", "phone", "subject", "id_number", "credit_code", "contact_name"):
        tag = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', page)
        assert tag and 'aria-required="true"' in tag[0], name
    email = re.search(r'<input[^>]*name="email"[^>]*>', page)
    assert email and "aria-required" not in email[0]
    assert page.count('<span class="req" aria-hidden="true">*</span>') >= 8
    subject = re.search(r"<textarea[^>]*>", page)
    assert subject and 'data-counter="500"' in subject[0] and "id_subject_counter" in subject[0]
    assert 'id="id_subject_counter"' in page and "maxlength" not in page
    assert "/static/gongkai/apply.js" in page and "/static/gongkai/apply.css" in page


def test_an_organisation_sends_only_its_own_part(tree: Tree) -> None:
    """With apply.js the individual's part is disabled, so its fields are not sent: nothing there is required."""
    assert Client().post("/apply/", company(tree)).status_code == 302
    applicant = Applicant.objects.get()
    assert (applicant.kind, applicant.credit_code, applicant.contact_name, applicant.id_document) == (
        "business",
        CREDIT_CODE,
        "王五",
        "",
    )


def test_without_javascript_the_other_kinds_empty_part_is_not_required(tree: Tree) -> None:
    """Without the script both parts are shown and sent: the empty part of the other kind is no error."""
    data = company(tree, id_document="", id_number="")
    assert Client().post("/apply/", data).status_code == 302
    person = form(tree, credit_code="", contact_name="", postcode="461000", address="许昌市某路1号")
    assert Client().post("/apply/", person).status_code == 302
    assert Applicant.objects.filter(kind="natural", postcode="461000").exists()


def test_errors_are_next_to_their_fields_summarised_at_the_top_and_everything_is_kept(tree: Tree) -> None:
    client = Client()
    key = key_of(client.get("/apply/").content.decode())
    data = form(tree, phone="12345", subject="", idempotency_key=key, body_q="教育", address="某路1号")
    response = client.post("/apply/", data)
    page = response.content.decode()
    assert response.status_code == 400 and not InformationRequest.objects.exists()
    summary = page[page.index('id="error-summary"') : page.index("</ul>", page.index('id="error-summary"'))]
    assert (
        'href="#id_phone"' in summary and 'href="#id_subject"' in summary and "联系电话格式不正确" in summary
    )
    assert "有 2 处需要修改" in summary
    phone = page[page.index('id="field-phone"') :]
    assert phone.index('id="id_phone_error"') < phone.index('name="phone"')
    tag = re.search(r'<input[^>]*name="phone"[^>]*>', page)
    assert tag and 'aria-invalid="true"' in tag[0] and "id_phone_error" in tag[0]
    for kept in (
        'value="李四"',
        'value="12345"',
        'value="li@example.invalid"',
        'value="某路1号"',
        'value="教育"',
    ):
        assert kept in page
    pk = tree.education.pk
    assert f'<input type="radio" name="body" value="{pk}" id="id_body_{pk}" checked>' in page  # the body step
    assert key_of(page) == key  # still the same submission
    assert "<title>错误：" in page


def test_a_missing_body_is_an_error_of_the_body_step(tree: Tree) -> None:
    data = form(tree)
    del data["body"]
    page = Client().post("/apply/", data).content.decode()
    assert 'href="#id_body_q"' in page and 'id="id_body_error"' in page and "请选择受理申请的机关" in page
    abolished = form(tree, body="999999")
    assert "所选机关不存在或已撤销" in Client().post("/apply/", abolished).content.decode()


def test_the_body_search_without_javascript_keeps_what_was_typed_and_stores_nothing(tree: Tree) -> None:
    client = Client()
    key = key_of(client.get("/apply/").content.decode())
    data = form(tree, idempotency_key=key, body_q="招生", find_body="1")
    del data["body"]
    response = client.post("/apply/body/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert not InformationRequest.objects.exists()
    assert 'id="error-summary"' not in page and "field-error" not in page  # a search is not a submission
    office = tree.school_office.pk
    assert f'value="{office}" id="id_body_{office}"' in page
    assert "测试市 › 市教育局 › 测试市教育局招生办公室" in page  # the body with its superiors
    assert 'value="李四"' in page and "2025年义务教育招生划片方案" in page and key_of(page) == key
    assert 'action="/apply/"' in page  # the form itself still submits the application
    # The hint offers the government of the level: the city government for a body under the city.
    assert "不确定由哪个机关负责？可以向本级人民政府申请" in page
    assert f'value="{tree.city.pk}" id="id_body_{tree.city.pk}"' in page
    data = form(tree, idempotency_key=key, body=str(office))
    assert client.post("/apply/", data).status_code == 302
    assert InformationRequest.objects.get().body == tree.school_office


def test_the_receipt_repeats_the_request_with_personal_data_masked(tree: Tree) -> None:
    client = Client()
    with time_machine.travel(dt.datetime(2026, 3, 7, 10, 0, tzinfo=SHANGHAI), tick=False):  # a Saturday
        client.post("/apply/", form(tree, address="许昌市某路1号", postcode="461000"))
        response = client.get("/apply/receipt/")
    page = response.content.decode()
    code, secret = receipt_codes(response)
    assert code.startswith("GK2026-") and len(secret) == 10
    for shown in (
        "2025年义务教育招生划片方案",
        "测试市 › 测试市教育局",
        "公民（个人）",
        "李四",
        "居民身份证 110***********002X",
        "138****5678",
        "电子文档",
        "电子邮件",
        "许昌市某路1号",
        "2026-03-09",  # received on Saturday: the next working day
        "在非工作日或工作时间以外提交",
        "2026-04-07",
        "第三十三条",
        "20个工作日",
    ):
        assert shown in page, shown
    assert "11010519491231002X" not in page and "13812345678" not in page
    assert "data-print" in page and "/static/gongkai/apply.css" in page


def test_the_receipt_of_an_organisation_names_its_kind_and_credit_code(tree: Tree) -> None:
    client = Client()
    client.post("/apply/", company(tree))
    page = client.get("/apply/receipt/").content.decode()
    assert "法人或者其他组织：商业企业" in page and CREDIT_CODE in page and "王五" in page
    assert "身份证明" not in page


def test_an_organisation_may_name_its_legal_representative_and_a_person_cannot(tree: Tree) -> None:
    """The organisation's part asks for its 法定代表人或者负责人 (optional, as on the usual paper form); it is
    stored and repeated on the receipt. An individual's application never stores one, even if sent."""
    page = Client().get("/apply/").content.decode()
    org_part = page[page.index('id="fields-organisation"') : page.index('class="contact"')]
    tag = re.search(r'<input[^>]*name="legal_representative"[^>]*>', org_part)
    assert tag and "aria-required" not in tag[0]
    client = Client()
    assert client.post("/apply/", company(tree, legal_representative="赵总")).status_code == 302
    assert Applicant.objects.get().legal_representative == "赵总"
    assert "法定代表人或者负责人" in client.get("/apply/receipt/").content.decode()
    assert Client().post("/apply/", form(tree, legal_representative="某某")).status_code == 302
    assert Applicant.objects.get(kind="natural").legal_representative == ""


def test_tracking_shows_the_request_and_each_public_step_with_its_date(
    tree: Tree, personas: Personas
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI), tick=False):
        code, secret = receipt_codes(Client().post("/apply/", form(tree), follow=True))
    req = InformationRequest.objects.get()
    req = t.request_supplement(personas.clerk, req, on=dt.date(2026, 3, 10), note="请说明所需信息的学区")
    req = t.receive_supplement(personas.clerk, req, on=dt.date(2026, 3, 12))
    req = t.start_consultation(
        personas.clerk, req, on=dt.date(2026, 3, 13), party="third_party", name="某某置业公司"
    )
    req = t.end_consultation(personas.clerk, req, on=dt.date(2026, 3, 16), reply="同意公开")
    head = make_user("edu-head", tree.education, Role.OFFICE_HEAD)
    req = t.extend(
        personas.clerk, req, on=dt.date(2026, 3, 20), days=5, reason="内部原因：需要调档", approved_by=head
    )
    page = Client().post("/track/", {"code": code, "secret": secret}).content.decode()
    for shown in ("2025年义务教育招生划片方案", tree.education.name, "2026-03-09", "电子文档"):
        assert shown in page, shown
    steps = re.findall(r'<time datetime="([\d-]+)">[\d-]+</time> ([^<]+)', page)
    assert [(day, label.strip()) for day, label in steps] == [
        ("2026-03-09", "收到申请"),
        ("2026-03-10", "告知补正"),
        ("2026-03-12", "收到补正"),
        ("2026-03-20", "延长答复期限"),
    ]
    assert "请说明所需信息的学区" in page and "延长5个工作日" in page
    for internal in ("某某置业公司", "同意公开", "内部原因", "edu-head"):
        assert internal not in page, internal
    assert "11010519491231002X" not in page and "李四" not in page  # the applicant's own data is not repeated
