"""Routing (分办, 签收, 退回, 转办) and supervision (督办): the receipt date and history survive every move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongkai.cases import transitions as t
from gongkai.cases.models import InformationRequest
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


def portal_case(tree: Tree, personas: Personas) -> InformationRequest:
    return t.register(
        personas.office_head,
        tree.city,
        received=D(2026, 3, 9),
        channel="online",
        applicant_kind="natural",
        subject="学区划分",
        route=True,
    )


def test_assign_sign_for_keeps_the_receipt_date_and_clock(tree: Tree, personas: Personas) -> None:
    req = portal_case(tree, personas)
    assert (req.state, req.body, req.due_date) == ("assigning", tree.city, D(2026, 4, 7))
    req = t.assign(personas.office_head, req, on=D(2026, 3, 10), to_body=tree.education)
    assert (req.state, req.body) == ("awaiting_signature", tree.education)
    req = t.sign_for(personas.clerk, req, on=D(2026, 3, 11))
    assert (req.state, req.receipt_date, req.due_date) == ("received", D(2026, 3, 9), D(2026, 4, 7))
    assert list(req.events.values_list("kind", flat=True)) == ["registered", "assigned", "signed_for"]


def test_return_goes_back_to_the_assigner_with_the_reason(tree: Tree, personas: Personas) -> None:
    req = t.assign(
        personas.office_head, portal_case(tree, personas), on=D(2026, 3, 10), to_body=tree.county_police
    )
    with pytest.raises(ValidationError):
        t.return_case(personas.clerk, req, on=D(2026, 3, 11), reason="")
    req = t.return_case(personas.clerk, req, on=D(2026, 3, 11), reason="不属于本机关职责")
    assert (req.state, req.body) == ("assigning", tree.city)
    assert req.events.get(kind="returned").data["reason"] == "不属于本机关职责"


def test_transfer_keeps_history_and_cannot_answer_before_signing(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.education,
        received=D(2026, 3, 9),
        channel="letter",
        applicant_kind="natural",
        subject="s",
    )
    with pytest.raises(ValidationError):
        t.transfer(personas.clerk, req, on=D(2026, 3, 10), to_body=tree.education, reason="x")
    req = t.transfer(
        personas.clerk, req, on=D(2026, 3, 10), to_body=tree.county_police, reason="信息由县公安局掌握"
    )
    with pytest.raises(t.IllegalTransition):
        t.answer(personas.clerk, req, on=D(2026, 3, 12), outcome="2019.disclosed")
    req = t.return_case(personas.clerk, req, on=D(2026, 3, 12), reason="非本机关信息")
    assert (req.state, req.body, req.receipt_date) == ("received", tree.education, D(2026, 3, 9))


def test_supervision_by_the_supervising_office_only(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.county_police,
        received=D(2026, 3, 9),
        channel="letter",
        applicant_kind="natural",
        subject="督办测试案件",
    )
    with pytest.raises(PermissionDenied):
        t.supervise(personas.clerk, req, on=D(2026, 3, 20), comment="请抓紧", until=D(2026, 3, 27))
    req = t.supervise(
        personas.supervisor, req, on=D(2026, 3, 20), comment="群众反映强烈，请抓紧办理", until=D(2026, 3, 27)
    )
    assert req.supervised_until == D(2026, 3, 27) and req.state == "received"
    # The handling body sees it; the supervisor's inbox filter finds it.
    police_staff = Client()
    from tests.conftest import make_user

    make_user("police-clerk", tree.county_police, "clerk")
    police_staff.login(username="police-clerk", password=PASSWORD)
    page = police_staff.get(f"/staff/cases/{req.pk}/").content.decode()
    assert "本案已被督办" in page and "群众反映强烈" in page
    supervisor = Client()
    supervisor.login(username="supervisor", password=PASSWORD)
    assert "督办测试案件" in supervisor.get("/staff/cases/?view=supervised").content.decode()
    assert "督办测试案件" not in supervisor.get("/staff/cases/?view=answered").content.decode()
    # The supervisor may supervise from the page, not answer.
    response = supervisor.post(
        f"/staff/cases/{req.pk}/",
        {"action": "answer", "answer-on": "2026-03-21", "answer-outcome": "2019.disclosed"},
    )
    assert response.status_code == 403


def test_online_applications_to_a_government_are_routed(tree: Tree) -> None:
    data = {
        "body": str(tree.city.pk),
        "kind": "business",
        "name": "某公司",
        "credit_code": "91350100M000100Y43",
        "contact_name": "李四",
        "phone": "13812345678",
        "subject": "某项目批复",
        "provision_form": "paper",
        "delivery_method": "collect",
    }
    assert Client().post("/apply/", data).status_code == 302  # to the receipt (POST/redirect/GET)
    assert InformationRequest.objects.get().state == "assigning"
    data["body"] = str(tree.education.pk)
    Client().post("/apply/", data)
    assert InformationRequest.objects.filter(body=tree.education).get().state == "received"
