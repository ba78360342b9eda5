"""The public side: apply online (POST/redirect/GET), get a code and a secret on the receipt, track the case with
both."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import transitions as t
from gongkai.cases.models import Applicant, InformationRequest
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


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


def receipt_codes(response: object) -> tuple[str, str]:
    page = response.content.decode()  # type: ignore[attr-defined]
    code, secret = re.findall(r"<strong>([A-Z0-9-]+)</strong>", page)[:2]
    return code, secret


def test_apply_after_hours_is_received_the_next_working_day_and_tracked(
    tree: Tree, personas: Personas
) -> None:
    client = Client()
    with time_machine.travel(dt.datetime(2026, 3, 6, 18, 30, tzinfo=SHANGHAI), tick=False):
        posted = client.post("/apply/", form(tree))
        assert posted.status_code == 302 and posted["Location"] == "/apply/receipt/"
        response = client.get("/apply/receipt/")
    assert response.status_code == 200 and "本网站不保存查询码" in response.content.decode()
    code, secret = receipt_codes(response)
    assert code.startswith("GK2026-") and len(secret) == 10
    req = InformationRequest.objects.get()
    # Friday 18:30 is after the 17:30 cut-off: received Monday 2026-03-09 (art 31 practice) → due 2026-04-07.
    assert (req.channel, req.receipt_date, req.due_date, req.provision_form) == (
        "online",
        dt.date(2026, 3, 9),
        dt.date(2026, 4, 7),
        "electronic",
    )
    assert secret not in str(InformationRequest.objects.values().get())  # only its digest is stored
    # The secret is kept nowhere, not even in the session; without the receipt cookie there is no receipt.
    assert secret not in str(dict(client.session))
    assert Client().get("/apply/receipt/").status_code == 302
    t.request_supplement(personas.clerk, req, on=dt.date(2026, 3, 10), note="请说明所需信息的学区")
    page = Client().post("/track/", {"code": code.lower(), "secret": secret}).content.decode()
    assert "待补正" in page and "请说明所需信息的学区" in page and "2026-04-07" in page
    assert AuditEntry.objects.filter(action="case.registered", actor_label="public").exists()
    # Consultations are internal: the applicant sees the state, not whom the body consulted.
    req = t.receive_supplement(personas.clerk, req, on=dt.date(2026, 3, 12))
    t.start_consultation(
        personas.clerk, req, on=dt.date(2026, 3, 13), party="third_party", name="某某置业公司"
    )
    page = Client().post("/track/", {"code": code, "secret": secret}).content.decode()
    assert "征求意见中" in page and "某某置业公司" not in page


def test_a_wrong_secret_or_code_reveals_nothing(tree: Tree) -> None:
    code, _secret = receipt_codes(Client().post("/apply/", form(tree), follow=True))
    for data in ({"code": code, "secret": "WRONGWRONG"}, {"code": "GK2026-NOPENOPE", "secret": "WRONGWRONG"}):
        page = Client().post("/track/", data).content.decode()
        assert "查询编号或查询码不正确" in page and "李四" not in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"id_number": "12345"}, "居民身份证号码不正确"),
        ({"delivery_method": "post", "address": ""}, "请填写通信地址"),
        ({"subject": ""}, "这个字段是必填项"),
    ],
)
def test_invalid_applications_explain_the_field_and_write_nothing(
    tree: Tree, extra: dict[str, str], message: str
) -> None:
    """An invalid form answers 400 (it answered 200), with what was typed kept."""
    page = Client().post("/apply/", form(tree, **extra))
    assert page.status_code == 400 and message in page.content.decode()
    typed = page.content.decode()
    assert (
        'value="李四"' in typed and 'value="13812345678"' in typed and 'value="li@example.invalid"' in typed
    )
    assert not InformationRequest.objects.exists() and not Applicant.objects.exists()


def test_abolished_bodies_are_not_offered(tree: Tree) -> None:
    from tests.conftest import make_org

    make_org("测试县旧局", "department", tree.county, valid_to=dt.date(2019, 1, 1))
    page = Client().get("/apply/").content.decode()
    assert "测试市教育局" in page and "测试县旧局" not in page
