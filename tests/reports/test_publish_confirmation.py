"""Issue 12: publishing a report is confirmed on a page of its own (a summary of what will be frozen; only its
POST publishes), and validation findings show Chinese severity and rule names, never the rule codes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.reports import actions, validation
from gongkai.reports.models import ReportPublication
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
YEAR = 2024
KEY = re.compile(r'name="idempotency_key" value="([A-Za-z0-9_-]{43})"')


@pytest.fixture(autouse=True)
def media(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def findings(*_args: object, **_kwargs: object) -> list[validation.Finding]:
    return [
        validation.Finding(
            "1", "error", "表三“自然人”列：本年新收 3 + 上年结转 1 ≠ 办理结果总计 2 + 结转下年度 1"
        ),
        validation.Finding("deadline", "warning", "2024年度报告应于2025-01-31前公布"),
        validation.Finding("digits", "warning", "文字中有手工输入的数字"),
    ]


def test_the_publish_button_leads_to_a_summary_that_publishes_nothing(tree: Tree, personas: Personas) -> None:
    office_head = login(personas.office_head)
    page = office_head.get(f"/staff/reports/{tree.city.org_code}/{YEAR}/?scope=subtree").content.decode()
    form = re.search(r'<form method="get" action="([^"]+)">', page)
    assert form and form[1] == f"/staff/reports/{tree.city.org_code}/{YEAR}/publish/confirm"
    key = KEY.search(page)
    assert key
    confirm = office_head.get(f"{form[1]}?scope=subtree&action=publish&idempotency_key={key[1]}")
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert (
        tree.city.name in html
        and "国办公开办函〔2021〕30号" in html
        and "本级及所属单位" in html
        and "第1版" in html
    )
    assert "发布后将固定的内容" in html and "PDF" in html
    assert not ReportPublication.objects.exists()  # looking at the summary publishes nothing
    assert f'name="idempotency_key" value="{key[1]}"' in html  # the intent started on the report page
    posted = office_head.post(
        f"/staff/reports/{tree.city.org_code}/{YEAR}/publish",
        {"scope": "subtree", "action": "publish", "idempotency_key": key[1]},
    )
    assert posted.status_code == 302
    assert ReportPublication.objects.get().is_published
    assert AuditEntry.objects.filter(action="report.publish").count() == 1


def test_only_the_publisher_sees_the_confirmation(tree: Tree, personas: Personas) -> None:
    url = f"/staff/reports/{tree.city.org_code}/{YEAR}/publish/confirm?scope=subtree"
    assert login(personas.clerk).get(url).status_code == 403
    assert login(personas.supervisor).get(url).status_code == 403
    assert login(personas.office_head).post(url).status_code == 405


def test_findings_show_chinese_labels_not_rule_codes(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "validate_report", findings, raising=False)
    office_head = login(personas.office_head)
    for url in (
        f"/staff/reports/{tree.city.org_code}/{YEAR}/?scope=subtree",
        f"/staff/reports/{tree.city.org_code}/{YEAR}/publish/confirm?scope=subtree",
    ):
        html = office_head.get(url).content.decode()
        assert "收支平衡" in html and "公布期限" in html and "手工输入的数字" in html, url
        assert "<strong>错误</strong>" in html and "<strong>提示</strong>" in html, url
        for code in ("[错误", "[提示", "deadline]", "digits]", " deadline", " digits"):
            assert code not in html, (url, code)
    assert "错误1项，提示2项" in html
    # the codes stay in the data
    assert [f["rule"] for f in actions.report_findings(_report(tree))] == ["1", "deadline", "digits"]


def _report(tree: Tree) -> Any:
    from gongkai.reports.build import build_report
    from gongkai.reports.registry import Scope

    return build_report(tree.city, YEAR, "2021", Scope.SUBTREE)
