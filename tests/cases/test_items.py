"""Multi-item applications: each item answered, the request's Table 3 row by the documented precedence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.cases import transitions as t
from gongkai.cases.outcomes import combined_outcome
from gongkai.reports.stats_requests import T3
from gongkai.reports.validation import table_values
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["2019.disclosed", "2019.disclosed"], "2019.disclosed"),
        (["2019.disclosed", "2019.already_public"], "2019.disclosed"),
        (["2019.disclosed", "2019.refused.third_party"], "2019.partly_disclosed"),
        (["2019.unable.not_held", "2019.partly_disclosed"], "2019.partly_disclosed"),
        (["2019.unable.not_held", "2019.refused.process"], "2019.refused.process"),
        (["2019.not_processed.repeat", "2019.unable.needs_creation"], "2019.unable.needs_creation"),
        (["2008.disclosed", "2008.refused.privacy"], "2008.partly_disclosed"),
    ],
)
def test_precedence(items: list[str], expected: str) -> None:
    assert combined_outcome(items) == expected


def test_split_and_answer_item_by_item(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2025, 3, 3),
        channel="letter",
        applicant_kind="business",
        subject="三项信息",
    )
    first, second, third = t.add_items(personas.clerk, req, ["2024年预算", "招生名单", "", "会议纪要"])
    with pytest.raises(t.IllegalTransition, match="逐项答复"):
        t.answer(personas.clerk, req, on=dt.date(2025, 3, 20), outcome="2019.disclosed")
    with pytest.raises(ValidationError):
        t.answer_items(
            personas.clerk, req, on=dt.date(2025, 3, 20), item_outcomes={first.pk: "2019.disclosed"}
        )
    req = t.answer_items(
        personas.clerk,
        req,
        on=dt.date(2025, 3, 20),
        item_outcomes={
            first.pk: "2019.disclosed",
            second.pk: "2019.refused.third_party",
            third.pk: "2019.refused.process",
        },
    )
    assert req.outcome == "2019.partly_disclosed"
    assert req.events.get(kind="answered").data["items"] == {
        "1": "2019.disclosed",
        "2": "2019.refused.third_party",
        "3": "2019.refused.process",
    }
    values = table_values(tree.education, 2025, "2021", T3)
    assert (
        values[
            (
                "三、本年度办理结果/（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                "法人或其他组织/商业企业",
            )
        ]
        == 1
    )
    assert values[("三、本年度办理结果/（七）总计", "总计")] == 1  # one request, counted once


def test_items_from_the_case_page(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2025, 3, 3),
        channel="letter",
        applicant_kind="natural",
        subject="两项信息",
    )
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    url = f"/staff/cases/{req.pk}/"
    client.post(
        url, {"action": "add_items", "add_items-on": "2025-03-04", "add_items-descriptions": "甲\n乙"}
    )
    first, second = req.items.order_by("position")
    page = client.get(url).content.decode()
    assert "逐项答复" in page and "1. 甲" in page
    client.post(
        url,
        {
            "action": "answer_items",
            "answer_items-on": "2025-03-20",
            f"answer_items-item_{first.pk}": "2019.disclosed",
            f"answer_items-item_{second.pk}": "2019.disclosed",
        },
    )
    req.refresh_from_db()
    assert (req.state, req.outcome) == ("answered", "2019.disclosed")
