"""Lock and publish with versions (issue 5, deliverable 6): a published version is frozen (numbers, text, files,
checksum), a correction is a new version with its reason, errors need an override reason shown publicly, and
the share of text identical to last year is stored and warned about (statutory-reference §3.4)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.catalog.figures import save_proactive_figures
from gongkai.reports import actions, validation
from gongkai.reports.exports import SUFFIXES, render_frozen
from gongkai.reports.models import FrozenVersion, ReportPublication, ReportVersion, ReportVersionFile
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db

YEAR = 2024
FMT = "2021"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files go to a temporary media root; only the light formats are frozen here (the exporters' own tests
    render every suffix)."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(actions, "FROZEN_SUFFIXES", (".json", ".md"))


@pytest.fixture
def figures(tree: Tree) -> None:
    save_proactive_figures("test", tree.education, YEAR, licensing_items=5, licensing_decisions=12)


def login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def public_url(tree: Tree, suffix: str = "") -> str:
    return f"/reports/{tree.city.org_code}/{YEAR}/{suffix}"


def staff_url(tree: Tree) -> str:
    return f"/staff/reports/{tree.city.org_code}/{YEAR}/"


def licensing_cell(frozen: dict[str, Any]) -> object:
    cells = frozen["json"]["cells"]
    return next(
        c["value"] for c in cells if c["row"].endswith("行政许可") and c["column"] == "本年处理决定数量"
    )


def test_publishing_freezes_version_1_with_files_and_an_audit_row(
    tree: Tree, personas: Personas, figures: None
) -> None:
    pub = actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    version = pub.versions.get()
    assert (version.number, version.reason, version.published_by) == (1, "", personas.office_head)
    assert version.checksum == pub.checksum and len(version.checksum) == 64
    assert licensing_cell(version.snapshot) == 12
    files = {f.suffix: f for f in version.files.all()}
    assert set(files) == {".json", ".md"}
    for item in files.values():
        data = item.file.read()
        assert hashlib.sha256(data).hexdigest() == item.sha256 and len(data) == item.size
    assert json.loads(files[".json"].file.open("rb").read()) == version.snapshot["json"]
    entry = AuditEntry.objects.get(action="report.publish")
    assert entry.actor_label == personas.office_head.username


def test_an_edit_after_publishing_leaves_the_public_page_files_and_checksum_unchanged(
    client: Client, tree: Tree, personas: Personas, figures: None
) -> None:
    staff = login(Client(), personas.office_head)
    staff.post(f"{staff_url(tree)}publish", {"scope": "subtree", "action": "publish"})
    pub = ReportPublication.objects.get()
    checksum = pub.checksum
    before = client.get(public_url(tree)).content
    file_before = client.get(public_url(tree, "v1/files/json")).getvalue()
    assert "12" in before.decode() and checksum in before.decode()

    save_proactive_figures("test", tree.education, YEAR, licensing_decisions=99)  # a record edited later
    staff.post(f"{staff_url(tree)}sections/5/", {"text": "改写后的问题及改进。"})

    assert client.get(public_url(tree)).content == before
    response = client.get(public_url(tree, "v1/files/json"))
    assert response.getvalue() == file_before
    assert response["X-Content-SHA256"] == hashlib.sha256(file_before).hexdigest()
    pub.refresh_from_db()
    assert pub.checksum == checksum and ReportVersion.objects.get().checksum == checksum
    assert "改写后的问题及改进。" in staff.get(staff_url(tree)).content.decode()  # the live view moves on


def test_a_correction_is_version_2_with_its_reason_and_version_1_stays(
    client: Client, tree: Tree, personas: Personas, figures: None
) -> None:
    pub = actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    first = pub.versions.get()
    save_proactive_figures("test", tree.education, YEAR, licensing_decisions=30)

    with pytest.raises(ValidationError) as missing:
        actions.correct_report(personas.office_head, pub, reason="  ")
    assert "reason" in missing.value.message_dict and pub.versions.count() == 1

    second = actions.correct_report(personas.office_head, pub, reason="行政许可处理决定数漏报教育局数据")
    assert second.number == 2 and licensing_cell(second.snapshot) == 30
    first_again = ReportVersion.objects.get(pk=first.pk)
    assert (first_again.checksum, licensing_cell(first_again.snapshot)) == (first.checksum, 12)
    pub.refresh_from_db()
    assert pub.checksum == second.checksum != first.checksum

    page = client.get(public_url(tree)).content.decode()
    assert "行政许可处理决定数漏报教育局数据" in page and "第2版" in page and second.checksum in page
    old = client.get(public_url(tree, "v1/")).content.decode()
    assert first.checksum in old and "已被更正版本取代" in old
    assert client.get(public_url(tree, "v3/")).status_code == 404
    assert AuditEntry.objects.filter(action="report.correct").count() == 1


def test_the_correction_form_on_the_staff_page(tree: Tree, personas: Personas, figures: None) -> None:
    staff = login(Client(), personas.office_head)
    staff.post(f"{staff_url(tree)}publish", {"scope": "subtree", "action": "publish"})
    assert "发布更正版本" in staff.get(staff_url(tree)).content.decode()
    staff.post(f"{staff_url(tree)}publish", {"scope": "subtree", "action": "correct", "reason": ""})
    assert ReportVersion.objects.count() == 1  # no reason, no version
    staff.post(f"{staff_url(tree)}publish", {"scope": "subtree", "action": "correct", "reason": "文字修订"})
    assert list(ReportVersion.objects.values_list("number", "reason")) == [(1, ""), (2, "文字修订")]


def error_finding(*_args: object, **_kwargs: object) -> list[validation.Finding]:
    """What the validator reports for a broken Table 3 balance (rule 1) and an overdue report."""
    return [
        validation.Finding(
            "1", "error", "表三“自然人”列：本年新收 3 + 上年结转 1 ≠ 办理结果总计 2 + 结转下年度 1"
        ),
        validation.Finding("deadline", "error", "已超过发布期限"),
    ]


def test_errors_need_an_override_reason_which_is_shown_publicly(
    client: Client, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "validate_report", error_finding, raising=False)
    with pytest.raises(ValidationError) as refused:
        actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    assert "override_reason" in refused.value.message_dict
    assert "本年新收 3" in refused.value.message_dict["override_reason"][0]
    assert not ReportPublication.objects.exists() and not ReportVersionFile.objects.exists()

    staff = login(Client(), personas.office_head)
    page = staff.get(staff_url(tree)).content.decode()
    assert "本年新收 3 + 上年结转 1" in page and 'name="override_reason"' in page

    actions.publish_report(
        personas.office_head, tree.city, YEAR, FMT, "subtree", override_reason="数据口径待上级确认"
    )
    version = ReportVersion.objects.get()
    assert version.override_reason == "数据口径待上级确认"
    assert [f["rule"] for f in version.error_findings] == ["1", "deadline"]
    assert "数据口径待上级确认" in client.get(public_url(tree)).content.decode()


def test_an_overdue_report_alone_needs_no_override(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Publishing is the remedy for the deadline error, so it never blocks."""
    monkeypatch.setattr(
        validation,
        "validate_report",
        lambda *a, **k: [validation.Finding("deadline", "error", "已超过发布期限")],
        raising=False,
    )
    actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    assert ReportVersion.objects.get().override_reason == ""


def test_only_the_bodys_report_staff_publish_and_withdrawn_reports_leave_the_site(
    client: Client, tree: Tree, personas: Personas, figures: None
) -> None:
    clerk = login(Client(), personas.clerk)
    url = f"/staff/reports/{tree.education.org_code}/{YEAR}/publish"
    assert clerk.post(url, {"scope": "subtree", "action": "publish"}).status_code == 403
    assert not ReportPublication.objects.exists()

    pub = actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    with pytest.raises(ValidationError):
        actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")  # already public
    actions.withdraw_report(personas.office_head, pub)
    assert client.get(public_url(tree)).status_code == 404
    assert client.get(public_url(tree, "v1/files/json")).status_code == 404
    actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")  # shows version 1 again
    assert ReportVersion.objects.count() == 1 and client.get(public_url(tree)).status_code == 200


def test_similarity_to_last_year_is_stored_and_warned_about(tree: Tree, personas: Personas) -> None:
    """Default texts barely change from one year to the next: above 80%, the staff page warns."""
    actions.publish_report(personas.office_head, tree.city, YEAR - 1, FMT, "subtree")
    pub = actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    version = pub.versions.get()
    assert version.similarity is not None and version.similarity > actions.SIMILARITY_WARNING
    page = login(Client(), personas.office_head).get(staff_url(tree)).content.decode()
    assert "超过80%" in page

    actions.save_narrative(personas.office_head, tree.city, FMT, 1, "全新的总体情况：{area}。" * 20, YEAR)
    actions.save_narrative(personas.office_head, tree.city, FMT, 5, "另写的问题与改进。" * 20, YEAR)
    second = actions.correct_report(personas.office_head, pub, reason="重写总体情况")
    assert second.similarity is not None and second.similarity < version.similarity


@pytest.mark.all_report_files
def test_a_published_version_freezes_every_export_file(
    client: Client, tree: Tree, personas: Personas, figures: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 1 stores each file type byte for byte; the public download serves those bytes with their
    checksum, and they are what ``render_frozen`` makes of the frozen snapshot."""
    monkeypatch.setattr(actions, "FROZEN_SUFFIXES", None)  # undo this module's light default
    pub = actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    version = pub.versions.get()
    files = {f.suffix: f for f in version.files.all()}
    assert set(files) == set(SUFFIXES)
    for suffix, item in files.items():
        data = item.file.open("rb").read()
        assert hashlib.sha256(data).hexdigest() == item.sha256
        response = client.get(
            reverse(
                "portal:report_file",
                kwargs={
                    "org_code": tree.city.org_code,
                    "year": YEAR,
                    "number": 1,
                    "suffix": suffix.lstrip("."),
                },
            )
        )
        assert response.status_code == 200, suffix
        assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]
        assert response["X-Content-SHA256"] == item.sha256
    assert files[".pdf"].file.open("rb").read().startswith(b"%PDF-")
    assert render_frozen(version.snapshot, ".md") == files[".md"].file.open("rb").read()


def test_a_published_version_cannot_be_changed(tree: Tree, personas: Personas, figures: None) -> None:
    pub = actions.publish_report(personas.office_head, tree.city, YEAR, FMT, "subtree")
    version = pub.versions.get()
    version.reason = "事后改写"
    with pytest.raises(FrozenVersion):
        version.save()
    version.refresh_from_db()
    assert version.reason == "" and version.checksum == pub.checksum
