"""A county's statistics system uploads a township's figures (填报) through the API and reads them back; a refused
workbook stores nothing; a token acts only for its own subtree."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.api.models import Scope
from gongkai.audit.models import AuditEntry
from gongkai.submissions.models import Submission
from gongkai.submissions.xlsx import template_for
from tests.api.tokens import token_for
from tests.conftest import Tree
from tests.submissions.helpers import TABLE3_2021, fill

pytestmark = pytest.mark.django_db
YEAR, FMT = 2024, "2021"
URL = "/api/v1/submissions"


def upload(secret: str, org_code: str, data: bytes, name: str = "填报.xlsx") -> Any:
    form = {"body": org_code, "year": YEAR, "format": FMT, "file": SimpleUploadedFile(name, data)}
    return Client().post(URL, form, headers={"Authorization": f"Bearer {secret}"})


def test_a_county_system_uploads_and_reads_a_bodys_figures(tree: Tree) -> None:
    scopes = [Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE]
    secret = token_for(tree.county, scopes, name="县统计系统", subtree=True)
    data = fill(template_for(tree.county_police, YEAR, FMT), FMT, TABLE3_2021)
    response = upload(secret, tree.county_police.org_code, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["body_code"] == tree.county_police.org_code and body["status"] == "current"
    assert body["values"] and all(isinstance(v, str) for v in body["values"].values())
    sub = Submission.objects.get()
    assert sub.uploaded_by is None
    entry = AuditEntry.objects.get(action="submission.submit")
    assert entry.actor_label == "api:县统计系统" and entry.object_id == str(sub.pk)
    listed = Client().get(URL, {"year": YEAR}, headers={"Authorization": f"Bearer {secret}"})
    assert [s["id"] for s in listed.json()] == [sub.pk]


def test_a_refused_workbook_stores_nothing(tree: Tree) -> None:
    secret = token_for(tree.county, [Scope.SUBMISSIONS_WRITE], subtree=True)
    response = upload(secret, tree.county_police.org_code, b"not a workbook")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "file"]
    assert (
        not Submission.objects.exists() and not AuditEntry.objects.filter(action="submission.submit").exists()
    )


def test_a_token_uploads_only_for_its_bodies(tree: Tree) -> None:
    secret = token_for(tree.education, [Scope.SUBMISSIONS_WRITE])
    data = fill(template_for(tree.county_police, YEAR, FMT), FMT, TABLE3_2021)
    assert upload(secret, tree.county_police.org_code, data).status_code == 403
    reader = token_for(tree.county_police, [Scope.SUBMISSIONS_READ], name="只读")
    assert upload(reader, tree.county_police.org_code, data).status_code == 403
    assert not Submission.objects.exists()


def test_a_system_withdraws_a_current_submission_and_the_figures_come_from_records_again(tree: Tree) -> None:
    secret = token_for(
        tree.county, [Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE], name="县统计系统", subtree=True
    )
    data = fill(template_for(tree.county_police, YEAR, FMT), FMT, TABLE3_2021)
    sub_id = upload(secret, tree.county_police.org_code, data).json()["id"]
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"{URL}/{sub_id}/withdraw"
    blank = Client().post(url, {"reason": "  "}, content_type="application/json", headers=headers)
    assert blank.status_code == 422 and "reason" in blank.json()["errors"]
    assert Submission.objects.get().is_current  # nothing written
    done = Client().post(url, {"reason": "数据有误"}, content_type="application/json", headers=headers)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "withdrawn" and done.json()["withdrawn_at"]
    sub = Submission.objects.get()
    assert not sub.is_current and sub.withdrawn_by is None and sub.withdraw_reason == "数据有误"
    entry = AuditEntry.objects.get(action="submission.withdraw")
    assert entry.actor_label == "api:县统计系统" and entry.object_id == str(sub.pk)
    again = Client().post(url, {"reason": "数据有误"}, content_type="application/json", headers=headers)
    assert again.status_code == 409 and AuditEntry.objects.filter(action="submission.withdraw").count() == 1


def test_a_token_withdraws_only_with_the_write_scope_for_that_body(tree: Tree) -> None:
    scopes = [Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE]
    writer = token_for(tree.county, scopes, name="县统计系统", subtree=True)
    data = fill(template_for(tree.county_police, YEAR, FMT), FMT, TABLE3_2021)
    sub_id = upload(writer, tree.county_police.org_code, data).json()["id"]
    url = f"{URL}/{sub_id}/withdraw"

    def withdraw(secret: str) -> int:
        headers = {"Authorization": f"Bearer {secret}"}
        return (
            Client()
            .post(url, {"reason": "重报"}, content_type="application/json", headers=headers)
            .status_code
        )

    assert withdraw(token_for(tree.county, [Scope.SUBMISSIONS_READ], name="只读", subtree=True)) == 403
    assert (
        withdraw(token_for(tree.education, [Scope.SUBMISSIONS_READ, Scope.SUBMISSIONS_WRITE], name="教育"))
        == 404
    )
    assert Submission.objects.get().is_current
