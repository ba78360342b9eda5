"""The wording defects of issue 12: no doubled punctuation in any letter, a night or weekend submission explained
by when it arrived, actors shown by name and role, and a government able to handle a request itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from gongkai.accounts.models import Role
from gongkai.cases import letters
from gongkai.cases import transitions as t
from gongkai.cases.clock import deadline_for
from gongkai.cases.deadlines import compute_deadline
from gongkai.cases.models import InformationRequest
from tests.cases.builders import media, new_case  # noqa: F401 (media: a fixture)
from tests.conftest import PASSWORD, Personas, Tree, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
D = dt.date
SH = dt.timezone(dt.timedelta(hours=8))
# Two closing marks in a row, or a full stop inside closing quotes followed by another mark.
DOUBLED = re.compile(r"[。，；：、！？][。，；：、！？]|。[”’）][。，；：、]")


def punctuated_case(tree: Tree, personas: Personas) -> InformationRequest:
    """Every text an applicant or clerk types ends with its own punctuation, as real ones do."""
    return new_case(tree, personas, subject="申请公开2025年招生计划。")


def all_letters(tree: Tree, personas: Personas) -> list[letters.LetterContent]:
    req = punctuated_case(tree, personas)
    req = t.request_supplement(personas.clerk, req, on=D(2026, 3, 10), note="请说明所需年度。")
    req = t.receive_supplement(personas.clerk, req, on=D(2026, 3, 12))
    req = t.start_consultation(personas.clerk, req, on=D(2026, 3, 13), party="third_party", name="某学校。")
    req = t.end_consultation(personas.clerk, req, on=D(2026, 3, 16), reply="同意。")
    req = t.notify_fee(personas.clerk, req, on=D(2026, 3, 17), amount_yuan="100")
    req = t.receive_fee(personas.clerk, req, on=D(2026, 3, 18))
    req = t.answer(
        personas.clerk,
        req,
        on=D(2026, 3, 20),
        outcome="2019.partly_disclosed",
        content=t.AnswerContent(
            text="现提供招生计划。\n请查收！", withheld_part="学生住址。", withheld_ground="third_party"
        ),
    )
    abandoned = t.request_supplement(
        personas.clerk, punctuated_case(tree, personas), on=D(2026, 3, 10), note="请补正。"
    )
    with time_machine.travel(dt.datetime(2026, 5, 6, 10, tzinfo=SH)):
        abandoned = t.abandon(personas.clerk, abandoned, on=D(2026, 5, 6), reason="逾期。")
    events = [*req.events.filter(kind__in=letters.LETTER_EVENTS), *abandoned.events.filter(kind="abandoned")]
    return [letters.compose(e) for e in events]


def test_no_letter_kind_has_doubled_punctuation(tree: Tree, personas: Personas) -> None:
    composed = all_letters(tree, personas)
    titles = {c.title for c in composed}
    assert {
        "政府信息公开申请登记回执",
        "补正申请告知书",
        "政府信息公开征求意见函",
        "信息处理费缴费通知书",
    } <= titles
    assert {"政府信息公开申请答复书", "政府信息公开申请终止处理告知书"} <= titles
    for content in composed:
        for text in [content.recipient, *content.paragraphs, content.remedies]:
            assert not DOUBLED.search(text), (content.title, text)
    answer = next(c for c in composed if c.title == "政府信息公开申请答复书")
    assert "申请获取“2025年招生计划”。" in answer.paragraphs[0]
    assert "请查收！" in answer.paragraphs


def test_the_extension_letter_has_no_doubled_punctuation(tree: Tree, personas: Personas) -> None:
    head = make_user("edu-head", tree.education, Role.OFFICE_HEAD)
    req = t.extend(
        head,
        punctuated_case(tree, personas),
        on=D(2026, 3, 17),
        days=5,
        reason="需调取档案。",
        approved_by=head,
    )
    content = letters.compose(req.events.get(kind="extended"))
    assert "因需调取档案，经本机关" in content.paragraphs[1]
    assert not any(DOUBLED.search(p) for p in content.paragraphs)


def test_a_night_submission_on_a_working_day_is_explained_by_its_time() -> None:
    night = compute_deadline(dt.datetime(2026, 3, 10, 1, 50, tzinfo=SH))
    assert night.receipt_date == D(2026, 3, 10)
    text = "\n".join(night.explanation)
    assert "2026-03-10（周二）01:50收到，早于当日截止时间（17:30），以当日为收到之日" in text
    assert "办公时间内" not in text
    weekend = compute_deadline(dt.datetime(2026, 3, 7, 1, 50, tzinfo=SH))
    assert weekend.receipt_date == D(2026, 3, 9)
    assert "2026-03-07（周六）01:50收到，当日不是工作日，顺延至下一个工作日" in "\n".join(weekend.explanation)
    evening = compute_deadline(dt.datetime(2026, 3, 10, 18, 5, tzinfo=SH))
    assert evening.receipt_date == D(2026, 3, 11)
    assert "18:05收到，已过当日截止时间（17:30），顺延至下一个工作日" in "\n".join(evening.explanation)


def test_the_case_page_explains_the_receipt_from_the_submission(tree: Tree, personas: Personas) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 7, 1, 50, tzinfo=SH)):
        req = t.register(
            "public",
            tree.education,
            received=dt.datetime(2026, 3, 7, 1, 50, tzinfo=SH),
            channel="online",
            applicant_kind="natural",
            subject="招生计划",
        )
    assert req.receipt_date == D(2026, 3, 9)
    lines = "\n".join(deadline_for(req).explanation)
    assert "2026-03-07（周六）01:50收到，当日不是工作日，顺延至下一个工作日" in lines
    assert "办公时间内" not in lines


def test_the_timeline_names_people_by_name_body_and_role(tree: Tree, personas: Personas) -> None:
    personas.clerk.last_name, personas.clerk.first_name = "张", "敏"
    personas.clerk.save()
    req = t.register(
        "public",
        tree.education,
        received=D(2026, 3, 9),
        channel="online",
        applicant_kind="natural",
        subject="s",
    )
    t.request_supplement(personas.clerk, req, on=D(2026, 3, 10), note="请说明年度")
    client = Client()
    client.login(
        username="reviewer", password=PASSWORD
    )  # a user without a name: falls back to the login name
    page = client.get(f"/staff/cases/{req.pk}/").content.decode()
    timeline = page.split("办理过程", 1)[1].split("告知书", 1)[0]
    assert "张敏（市教育局 经办人）" in timeline and "申请人（网上提交）" in timeline
    assert "· public" not in timeline and "· clerk" not in timeline


def test_a_government_handles_a_request_itself_instead_of_assigning_it(
    tree: Tree, personas: Personas
) -> None:
    req = t.register(
        personas.office_head,
        tree.city,
        received=D(2026, 3, 9),
        channel="online",
        applicant_kind="natural",
        subject="政府工作报告",
        route=True,
    )
    client = Client()
    client.login(username="office-head", password=PASSWORD)
    url = f"/staff/cases/{req.pk}/"
    page = client.get(url).content.decode()
    assert "自行办理" in page and "分办" in page
    response = client.post(url, {"action": "handle_itself", "handle_itself-on": "2026-03-10"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.state, req.body, req.receipt_date) == ("received", tree.city, D(2026, 3, 9))
    response = client.post(
        url, {"action": "answer", "answer-on": "2026-03-12", "answer-outcome": "2019.disclosed"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.state, req.outcome) == ("answered", "2019.disclosed")
    assert list(req.events.values_list("kind", flat=True)) == ["registered", "signed_for", "answered"]
