"""Behaviour added after the second review: masking typed identifiers, fee steps in the UI, suspended waits,
public letters, transfers from the page, outcome and date checks, one message per answer."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import letters
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import FeeCollected, InformationRequest
from gongkai.cases.tracking import issue_tracking
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def case(tree: Tree, personas: Personas, received: dt.date | None = None, **extra: Any) -> InformationRequest:
    received = received or D(2026, 3, 9)
    fields = {"channel": "online", "applicant_kind": "natural", "subject": "s"} | extra
    return t.register(personas.clerk, tree.education, received=received, **fields)


def test_identifiers_typed_into_the_description_are_masked_everywhere(tree: Tree, personas: Personas) -> None:
    req = case(tree, personas, subject="我的身份证11010519491231002X，电话13812345678，请公开招生计划")
    assert "11010519491231002X" not in req.subject and "110***********002X" in req.subject
    assert "13812345678" not in str(list(AuditEntry.objects.values_list("before", "after", "summary")))


def test_fee_steps_run_from_the_case_page(tree: Tree, personas: Personas) -> None:
    req = case(tree, personas)
    client = login("clerk")
    client.post(
        f"/staff/cases/{req.pk}/",
        {"action": "notify_fee", "notify_fee-on": "2026-03-10", "notify_fee-amount_yuan": "1200"},
    )
    req.refresh_from_db()
    assert req.state == "awaiting_fee"
    client.post(f"/staff/cases/{req.pk}/", {"action": "receive_fee", "receive_fee-on": "2026-03-12"})
    req.refresh_from_db()
    assert req.state == "received"
    fee = FeeCollected.objects.get(request=req)  # what the reports count as collected
    assert (fee.body, fee.amount_yuan, fee.collected_on) == (req.body, Decimal("1200"), D(2026, 3, 12))


def test_waiting_for_a_supplement_is_not_overdue_and_abandon_waits_for_the_set_time(
    tree: Tree, personas: Personas
) -> None:
    req = case(tree, personas, received=D(2026, 1, 5))
    req = t.request_supplement(personas.clerk, req, on=D(2026, 1, 6), note="x")
    assert not req.is_overdue_on(D(2026, 6, 1))
    assert not InformationRequest.objects.overdue_on(D(2026, 6, 1)).filter(pk=req.pk).exists()
    with pytest.raises(ValidationError, match="期满后"):
        t.abandon(personas.clerk, req, on=D(2026, 1, 20))  # 15 working days from 01-06 end on 01-27
    with pytest.raises(ValidationError):
        t.receive_supplement(personas.clerk, req, on=D(2026, 1, 5))  # before it was asked for
    assert t.abandon(personas.clerk, req, on=D(2026, 1, 28)).state == "abandoned"


def test_outcome_and_date_checks(tree: Tree, personas: Personas) -> None:
    req = case(tree, personas)
    for outcome in ("2019.other.no_supplement", "2019.other.unpaid_fee", "2019.unable.unclear"):
        with pytest.raises(ValidationError):
            t.answer(personas.clerk, req, on=D(2026, 3, 20), outcome=outcome)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        t.answer(personas.clerk, req, on=D(2030, 1, 1), outcome="2019.disclosed")
    with pytest.raises(ValidationError):
        case(tree, personas, received=D(2031, 1, 1))
    head = personas.reviewer
    head.staff_profile.role = "office_head"  # type: ignore[attr-defined]
    head.staff_profile.save()  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="已过"):
        t.extend(personas.clerk, req, on=D(2026, 4, 8), days=5, reason="x", approved_by=head)  # due 04-07


def test_a_transfer_from_the_page_returns_to_the_inbox(tree: Tree, personas: Personas) -> None:
    req = case(tree, personas)
    response = login("clerk").post(
        f"/staff/cases/{req.pk}/",
        {
            "action": "transfer",
            "transfer-on": "2026-03-10",
            "transfer-to_body": str(tree.county_police.pk),
            "transfer-reason": "由县公安局掌握",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/staff/cases/"


def test_the_applicant_sees_sent_letters_and_no_staff_names(
    tree: Tree, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    req = t.answer(personas.clerk, case(tree, personas), on=D(2026, 3, 20), outcome="2019.disclosed")
    letters.send(personas.clerk, req.events.get(kind="answered"), dispatched_on=D(2026, 3, 20))
    code, secret = issue_tracking("t", req)
    page = Client().post("/track/", {"code": code, "secret": secret}).content.decode()
    assert "政府信息公开申请答复书" in page
    link = page.split('href="/track/letters/')[1].split('"')[0]
    pdf = Client().get(f"/track/letters/{link}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert Client().get("/track/letters/forged/").status_code == 404
    status = (
        Client()
        .post(
            "/api/v1/public/status",
            json.dumps({"code": code, "secret": secret}),
            content_type="application/json",
        )
        .json()
    )
    assert all(e["actor"] == "" for e in status["events"]) and "clerk" not in json.dumps(status)


def test_a_second_answer_after_reopening_is_notified_again(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.notifications.models import Notification

    applicant = create_applicant(
        "t",
        kind="business",
        name="某公司",
        email="co@example.invalid",
        credit_code="91350100M000100Y43",
        contact_name="李四",
    )
    with django_capture_on_commit_callbacks(execute=True):
        req = t.register(
            personas.clerk,
            tree.education,
            received=D(2026, 3, 9),
            channel="online",
            subject="s",
            applicant=applicant,
        )
        req = t.answer(personas.clerk, req, on=D(2026, 3, 20), outcome="2019.refused.third_party")
        req = t.reopen(personas.clerk, req, on=D(2026, 4, 1), reason="复议纠正")
        t.answer(personas.clerk, req, on=D(2026, 4, 10), outcome="2019.disclosed")
    assert Notification.objects.filter(template__code="case_answered").count() == 2


def test_staff_intake_gives_the_applicant_a_tracking_code(tree: Tree, personas: Personas) -> None:
    client = login("clerk")
    page = client.post(
        "/staff/cases/new/",
        {
            "body": str(tree.education.pk),
            "received": "2026-03-09 10:00",
            "channel": "in_person",
            "kind": "business",
            "name": "某公司",
            "credit_code": "91350100M000100Y43",
            "contact_name": "李四",
            "subject": "s",
        },
        follow=True,
    ).content.decode()
    req = InformationRequest.objects.get()
    assert req.tracking_code and req.tracking_code in page and "仅显示一次" in page
