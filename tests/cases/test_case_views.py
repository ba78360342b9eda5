"""Staff casework pages: intake, inbox filters, the case page's steps, reveal, access by persona."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import transitions as t
from gongkai.cases.models import Applicant, InformationRequest
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def login(user: object) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def intake_data(tree: Tree, **extra: str) -> dict[str, str]:
    return {
        "body": str(tree.education.pk),
        "received": "2026-03-07 10:00",
        "channel": "in_person",
        "kind": "natural",
        "name": "张三",
        "id_document": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "subject": "申请公开2025年招生计划",
    } | extra


@time_machine.travel(NOW, tick=False)
def test_intake_registers_and_the_case_page_explains_the_date(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)
    response = client.post("/staff/cases/new/", intake_data(tree))
    req = InformationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{req.pk}/"
    page = client.get(f"/staff/cases/{req.pk}/").content.decode()
    assert "2026-04-07" in page and "110***********002X" in page and "11010519491231002X" not in page
    assert "为什么是这个期限" in page and "2026-03-09" in page  # Saturday → received Monday
    assert "该申请人本月第1件申请，按件计收标准为0元" in page


def test_bad_intake_names_the_field_and_writes_nothing(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)
    response = client.post("/staff/cases/new/", intake_data(tree, id_number="110105194912310021"))
    assert response.status_code == 200 and "居民身份证号码不正确" in response.content.decode()
    assert not Applicant.objects.exists() and not InformationRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_steps_run_from_the_case_page(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 2, 13),
        channel="online",
        applicant_kind="natural",
        subject="s",
    )
    client = login(personas.clerk)
    url = f"/staff/cases/{req.pk}/"
    client.post(
        url,
        {
            "action": "start_consultation",
            "start_consultation-on": "2026-03-02",
            "start_consultation-party": "third_party",
            "start_consultation-name": "某公司",
        },
    )
    client.post(
        url,
        {
            "action": "end_consultation",
            "end_consultation-on": "2026-03-06",
            "end_consultation-reply": "同意公开",
        },
    )
    req.refresh_from_db()
    assert (req.state, req.due_date) == ("received", dt.date(2026, 3, 26))
    # The clerk may not approve an extension: the refusal is shown on the form, nothing changes.
    page = client.post(
        url,
        {"action": "extend", "extend-on": "2026-03-10", "extend-days": "20", "extend-reason": "需调取档案"},
    ).content.decode()
    assert "须经本机关政府信息公开工作机构负责人同意" in page
    response = client.post(
        url, {"action": "answer", "answer-on": "2026-03-16", "answer-outcome": "2019.disclosed"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.state, req.outcome) == ("answered", "2019.disclosed")
    # An illegal step is refused with the reason (answering twice).
    page = client.post(
        url, {"action": "answer", "answer-on": "2026-03-17", "answer-outcome": "2019.disclosed"}, follow=True
    )
    assert "不能作出答复" in page.content.decode()
    assert req.events.filter(kind="answered").count() == 1
    assert client.post(url, {"action": "launch_rockets"}).status_code == 404


def test_reveal_requires_a_reason_and_is_audited(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)
    client.post("/staff/cases/new/", intake_data(tree))
    req = InformationRequest.objects.get()
    page = client.post(f"/staff/cases/{req.pk}/", {"action": "reveal", "reason": "核对身份"}).content.decode()
    assert "11010519491231002X" in page
    assert AuditEntry.objects.filter(action="applicant.reveal", actor_label="clerk").count() == 1


@time_machine.travel(NOW, tick=False)
def test_inbox_filters_and_access(tree: Tree, personas: Personas) -> None:
    overdue = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 1, 5),
        channel="online",
        applicant_kind="natural",
        subject="早就该答复",
    )
    soon = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 2, 13),
        channel="online",
        applicant_kind="natural",
        subject="快到期了",
    )
    t.register(
        personas.clerk,
        tree.county_police,
        received=dt.date(2026, 3, 2),
        channel="letter",
        applicant_kind="business",
        subject="县公安局的案件",
    )
    clerk = login(personas.clerk)
    assert "早就该答复" in clerk.get("/staff/cases/?view=overdue").content.decode()
    assert "快到期了" not in clerk.get("/staff/cases/?view=overdue").content.decode()
    soon_page = clerk.get("/staff/cases/?view=due_soon").content.decode()
    assert "快到期了" in soon_page and "早就该答复" not in soon_page  # due 2026-03-19, within 3 working days
    assert "县公安局的案件" not in clerk.get("/staff/cases/?view=all").content.decode()
    assert (
        clerk.get(f"/staff/cases/{InformationRequest.objects.get(subject='县公安局的案件').pk}/").status_code
        == 403
    )
    supervisor = login(personas.supervisor)
    assert "县公安局的案件" in supervisor.get("/staff/cases/?view=all").content.decode()
    # A supervisor reads but does not handle.
    police_case = InformationRequest.objects.get(subject="县公安局的案件")
    assert supervisor.post(f"/staff/cases/{police_case.pk}/", {"action": "close"}).status_code == 403
    assert login(personas.outsider).get("/staff/cases/").status_code == 403
    del overdue, soon


def test_inbox_exports_to_xlsx_with_masked_identifiers(tree: Tree, personas: Personas) -> None:
    import io

    from openpyxl import load_workbook

    client = login(personas.clerk)
    client.post("/staff/cases/new/", intake_data(tree))
    response = client.get("/staff/cases/export.xlsx?view=all")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("收到申请日期", "申请内容", "办理机关") and len(rows) == 2
    assert "110***********002X" in rows[1] and "138****5678" in rows[1]
    assert "11010519491231002X" not in str(rows) and "13812345678" not in str(rows)
    assert login(personas.outsider).get("/staff/cases/export.xlsx").status_code == 403


def test_printable_application_form(db: None) -> None:
    page = Client().get("/apply/print/").content.decode()
    assert "政府信息公开申请表" in page and "□ 纸质" in page and "第二十九条" in page
