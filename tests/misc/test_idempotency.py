"""Every staff form that creates something is idempotent (issue #10, deliver 2): the form carries a key, a
second POST of the same form creates nothing and leads where the first one did (POST/redirect/GET)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.acknowledgement.keys import FIELD, new_key
from gongkai.acknowledgement.models import IdempotencyKey
from gongkai.cases import transitions as t
from gongkai.cases.models import AdministrativeReview, InformationRequest
from gongkai.catalog import transitions as p
from gongkai.catalog.figures import save_proactive_figures
from gongkai.catalog.models import Attachment, Publication
from gongkai.reports import actions as report_actions
from gongkai.reports.models import ReportVersion
from gongkai.reports.stats_requests import NEW, T3
from gongkai.submissions.models import Submission
from gongkai.submissions.xlsx import template_for
from tests.conftest import PASSWORD, Personas, Tree
from tests.submissions.helpers import ALL, TABLE3_2021, fill

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(report_actions, "FROZEN_SUFFIXES", (".json", ".md"))


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_key(client: Client, url: str) -> str:
    """The key the form on ``url`` carries (the page renders it as a hidden field)."""
    found = re.search(rf'name="{FIELD}" value="([A-Za-z0-9_-]{{43}})"', client.get(url).content.decode())
    assert found, f"no idempotency key on {url}"
    return found[1]


def twice(client: Client, url: str, data: Callable[[], dict[str, Any]], key: str) -> list[Any]:
    """The same form sent twice (a double click, or a retry after the first answer was lost)."""
    answers = [client.post(url, data() | {FIELD: key}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert answers[1]["Idempotent-Replay"] == "true"
    return answers


@time_machine.travel(NOW, tick=False)
def test_case_intake(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)
    data = {
        "body": str(tree.education.pk),
        "received": "2026-03-13 10:00",
        "channel": "in_person",
        "kind": "natural",
        "name": "张三",
        "id_document": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "subject": "申请公开2025年招生计划",
    }
    twice(client, "/staff/cases/new/", lambda: data, form_key(client, "/staff/cases/new/"))
    req = InformationRequest.objects.get()
    # The repeat tells the same code and secret again, so a lost answer loses nothing.
    told = [str(m) for m in client.get(f"/staff/cases/{req.pk}/").context["messages"]]
    assert len(told) == 2 and told[0] == told[1] and str(req.tracking_code) in told[0]


def test_review_filed_from_the_case_page(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2025, 3, 3),
        channel="letter",
        applicant_kind="natural",
        subject="s",
    )
    t.answer(personas.clerk, req, on=dt.date(2025, 3, 20), outcome="2019.refused.third_party")
    client = login(personas.clerk)
    key = form_key(client, f"/staff/cases/{req.pk}/")
    url = f"/staff/cases/{req.pk}/remedies/file"
    twice(client, url, lambda: {"kind": "review", "filed_on": "2025-04-10"}, key)
    assert AdministrativeReview.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_catalog_new_draft(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)

    def data() -> dict[str, Any]:
        return {
            "body_choice": str(tree.education.pk),
            "title": "关于2026年义务教育招生工作的通知",
            "made_on": "2026-03-10",
            "text": "各学校：现将招生工作通知如下。",
            "attachments": [SimpleUploadedFile("方案.pdf", PDF)],
        }

    twice(client, "/staff/catalog/new/", data, form_key(client, "/staff/catalog/new/"))
    assert Publication.objects.count() == 1 and Attachment.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_catalog_new_attachment(tree: Tree, personas: Personas) -> None:
    pub, _warnings = p.create_draft(
        personas.clerk, tree.education, title="通知", made_on=dt.date(2026, 3, 10)
    )
    client = login(personas.clerk)
    key = form_key(client, f"/staff/catalog/{pub.pk}/")
    url = f"/staff/catalog/{pub.pk}/attachments/"
    twice(client, url, lambda: {"attachments": [SimpleUploadedFile("附件.pdf", PDF)]}, key)
    assert Attachment.objects.count() == 1


def test_submission_upload(tree: Tree, personas: Personas) -> None:
    org = tree.county_police
    client = login(personas.supervisor)
    base = f"/staff/submissions/{org.org_code}/2024/"
    content = fill(template_for(org, 2024, "2021"), "2021", {**TABLE3_2021, (T3, NEW, ALL): 3})

    def data() -> dict[str, Any]:
        upload = io.BytesIO(content)
        upload.name = "公安局2024.xlsx"
        return {"format": "2021", "file": upload}

    twice(client, base + "upload", data, form_key(client, base + "?format=2021"))
    assert Submission.objects.count() == 1


def test_report_publish_and_new_version(tree: Tree, personas: Personas) -> None:
    save_proactive_figures("test", tree.education, 2024, licensing_items=5, licensing_decisions=12)
    client = login(personas.office_head)
    page = f"/staff/reports/{tree.city.org_code}/2024/?scope=subtree"
    url = f"/staff/reports/{tree.city.org_code}/2024/publish"
    twice(client, url, lambda: {"scope": "subtree", "action": "publish"}, form_key(client, page))
    correction = {"scope": "subtree", "action": "correct", "reason": "文字修订"}
    twice(client, url, lambda: correction, new_key())
    assert list(ReportVersion.objects.values_list("number", flat=True)) == [1, 2]


def test_a_form_sent_back_with_errors_keeps_its_key_and_stores_nothing(
    tree: Tree, personas: Personas
) -> None:
    client = login(personas.clerk)
    key = new_key()
    page = client.post(
        "/staff/catalog/new/", {"body_choice": str(tree.education.pk), "title": "", FIELD: key}
    )
    assert page.status_code == 200 and f'value="{key}"' in page.content.decode()
    assert not IdempotencyKey.objects.exists() and not Publication.objects.exists()


def test_someone_elses_key_shows_nothing_of_theirs(tree: Tree, personas: Personas) -> None:
    pub, _warnings = p.create_draft(
        personas.clerk, tree.education, title="通知", made_on=dt.date(2026, 3, 10)
    )
    key = new_key()
    url = f"/staff/catalog/{pub.pk}/attachments/"
    login(personas.clerk).post(url, {"attachments": [SimpleUploadedFile("a.pdf", PDF)], FIELD: key})
    other = login(personas.reviewer).post(
        url, {"attachments": [SimpleUploadedFile("b.pdf", PDF)], FIELD: key}
    )
    assert other.status_code == 409 and Attachment.objects.count() == 1
