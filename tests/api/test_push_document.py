"""An OA system pushes a document through the API (issue 12 §5): it enters the catalog as a draft awaiting
its confidentiality review, a retry creates nothing new, a bad field is a 422 naming it with nothing written;
and the same system reads a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from gongkai.api.models import ExternalReference, Scope
from gongkai.audit.models import AuditEntry
from gongkai.cases.deadlines import compute_deadline
from gongkai.catalog import transitions
from gongkai.catalog.models import Genre, Publication, PublicationStatus
from tests.api.tokens import TokenClient, register_case, token_for
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
URL = "/api/v1/catalog/items"
DOCUMENT = {
    "external_id": "OA-2026-0042",
    "title": "测试市教育局关于2026年春季义务教育招生工作的通知",
    "made_on": "2026-03-02",
    "document_number": "测教〔2026〕3号",
    "text": "各县（区）教育局：\n现将2026年春季招生工作通知如下。",
    "keywords": "招生 义务教育",
}


@pytest.fixture(autouse=True)
def march_2026() -> object:
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def oa(tree: Tree) -> TokenClient:
    return TokenClient(token_for(tree.education, [Scope.CATALOG_READ, Scope.CATALOG_WRITE, Scope.CASES_READ]))


def test_a_pushed_document_awaits_review_in_the_catalog(oa: TokenClient, tree: Tree) -> None:
    response = oa.post(URL, DOCUMENT)
    assert response.status_code == 201, response.content
    item = response.json()
    pub = Publication.objects.get(pk=item["id"])
    assert pub.body == tree.education and pub.status == PublicationStatus.DRAFT and pub.published_on is None
    assert pub.title == DOCUMENT["title"] and pub.document_number == "测教〔2026〕3号"
    assert item["review_state"] == "awaiting_review" and item["external_ids"] == ["OA-2026-0042"]
    assert item["index_number"] and item["body_code"] == tree.education.org_code
    listed = oa.get(URL, {"external_id": "OA-2026-0042"})
    assert [i["id"] for i in listed.json()] == [pub.pk] and listed["X-Total-Count"] == "1"
    assert oa.get(f"{URL}/{pub.pk}").json()["text"].startswith("各县（区）教育局")


def test_a_retry_is_idempotent(oa: TokenClient) -> None:
    first = oa.post(URL, DOCUMENT)
    again = oa.post(URL, DOCUMENT)
    assert again.status_code == 200 and again["Idempotent-Replay"] == "true"
    assert again.json()["id"] == first.json()["id"] and Publication.objects.count() == 1
    changed = oa.post(URL, DOCUMENT | {"title": "另一份通知"})
    assert changed.status_code == 409 and "OA-2026-0042" in changed.json()["detail"]

    keyed = {k: v for k, v in DOCUMENT.items() if k != "external_id"} | {"title": "关于校车安全的通知"}
    one = oa.post(URL, keyed, headers={"Idempotency-Key": "b7e0c0de-1"})
    two = oa.post(URL, keyed, headers={"Idempotency-Key": "b7e0c0de-1"})
    assert (one.status_code, two.status_code) == (201, 200) and one.json()["id"] == two.json()["id"]
    assert Publication.objects.count() == 2 and ExternalReference.objects.count() == 2
    assert AuditEntry.objects.filter(action="publication.draft").count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"made_on": "2026-13-01"}, "made_on"),
        ({"made_on": "2027-01-01"}, "made_on"),  # after today
        ({"title": "   "}, "title"),
        ({"title": "通知\x0b"}, "title"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"normative_kind": "law"}, "normative_kind"),
        ({"title": "长" * 301}, "title"),
    ],
)
def test_a_bad_field_is_a_422_naming_it_and_nothing_is_written(
    oa: TokenClient, change: dict[str, str], field: str
) -> None:
    entries = AuditEntry.objects.count()
    response = oa.post(URL, DOCUMENT | change)
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in body["errors"] and any(d["loc"][-1] == field for d in body["detail"])
    assert not Publication.objects.exists() and not ExternalReference.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_token_pushes_only_for_its_own_body(oa: TokenClient, tree: Tree) -> None:
    response = oa.post(URL, DOCUMENT | {"body": tree.county_police.org_code})
    assert response.status_code == 403 and not Publication.objects.exists()
    assert oa.post(URL, DOCUMENT | {"body": "000000000"}).status_code == 422


def test_a_draft_is_changed_until_it_is_reviewed(oa: TokenClient, tree: Tree, personas: Personas) -> None:
    item = oa.post(URL, DOCUMENT).json()
    genre = Genre.objects.order_by("code").first()
    assert genre is not None
    changed = oa.patch(f"{URL}/{item['id']}", {"title": "更正后的标题", "genre": genre.code})
    assert changed.status_code == 200 and changed.json()["title"] == "更正后的标题"
    assert changed.json()["genre"] == genre.code
    pub = Publication.objects.get(pk=item["id"])
    transitions.review(personas.reviewer, pub, on=dt.date(2026, 3, 9), conclusion="passed")
    assert oa.get(f"{URL}/{pub.pk}").json()["review_state"] == "review_passed"
    assert oa.patch(f"{URL}/{pub.pk}", {"title": "再改"}).status_code == 409
    assert AuditEntry.objects.filter(action="publication.update", actor_label="api:市OA系统").count() == 1


def test_the_system_reads_a_case(oa: TokenClient, tree: Tree) -> None:
    case = register_case(tree.education)
    detail = oa.get(f"/api/v1/cases/{case.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["subject"] == "请公开2025年校舍维修经费" and body["due_date"] == "2026-03-19"
    assert (
        body["applicant_id_number"] == "110***********002X"
        and "11010519491231002X" not in detail.content.decode()
    )
    assert body["allowed_actions"] == []  # a token reads; staff act on the case
    assert oa.get("/api/v1/cases/99999999").status_code == 404


TICKET: dict[str, Any] = {
    "external_id": "12345-20260309-0007",
    "received": "2026-03-09",
    "channel": "online",
    "subject": "请公开2025年本市义务教育阶段学位供给情况",
    "applicant": {
        "kind": "natural",
        "name": "李四",
        "id_document": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
    },
}


def test_a_hotline_ticket_is_registered_once_with_its_deadline(tree: Tree) -> None:
    hotline = TokenClient(token_for(tree.education, [Scope.CASES_WRITE], name="12345平台"))
    response = hotline.post("/api/v1/cases", TICKET)
    assert response.status_code == 201, response.content
    case = response.json()
    due = compute_deadline(dt.date(2026, 3, 9)).due_date  # 20 working days (2019 art 33), past Qingming
    assert case["state"] == "received" and case["due_date"] == due.isoformat() == "2026-04-07"
    assert (
        case["applicant_id_number"] == "110***********002X" and "13800138000" not in response.content.decode()
    )
    again = hotline.post("/api/v1/cases", TICKET)
    assert (
        again.status_code == 200 and again.json()["id"] == case["id"] and again["Idempotent-Replay"] == "true"
    )
    assert AuditEntry.objects.filter(action="applicant.create", actor_label="api:12345平台").count() == 1
    bad = hotline.post(
        "/api/v1/cases",
        TICKET | {"external_id": "x", "applicant": TICKET["applicant"] | {"id_number": "123"}},
    )
    assert bad.status_code == 422 and "applicant.id_number" in bad.json()["errors"]
    assert bad.json()["detail"][0]["loc"] == ["body", "payload", "applicant", "id_number"]
    assert hotline.post("/api/v1/cases", TICKET | {"body": tree.county.org_code}).status_code == 403
    assert hotline.get(f"/api/v1/cases/{case['id']}").status_code == 403  # writing is not reading


def test_a_write_only_token_pushes_and_corrects_without_reading_the_catalog(tree: Tree) -> None:
    writer = TokenClient(token_for(tree.education, [Scope.CATALOG_WRITE], name="只写OA"))
    pushed = writer.post(URL, DOCUMENT)
    assert pushed.status_code == 201, pushed.content
    assert writer.patch(f"{URL}/{pushed.json()['id']}", {"title": "更正"}).status_code == 200
    assert (
        writer.get(URL).status_code == 403 and writer.get(f"{URL}/{pushed.json()['id']}").status_code == 403
    )
