"""The REST API: staff case endpoints (same transitions and permissions as the pages), public status, deadline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.tracking import issue_tracking
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db


def login(user: object) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def post(client: Client, url: str, data: dict[str, object]) -> object:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def case(tree: Tree, personas: Personas):  # type: ignore[no-untyped-def]
    applicant = create_applicant(
        "t", kind="natural", name="王五", id_document="resident_id", id_number="11010519491231002X"
    )
    return t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 2, 13),
        channel="online",
        subject="s",
        applicant=applicant,
    )


def test_staff_list_and_detail_with_masked_applicant_and_explanation(case, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.clerk)
    cases = client.get("/api/v1/cases?view=all").json()
    assert [c["id"] for c in cases] == [case.pk]
    assert cases[0]["applicant_id_number"] == "110***********002X" and "11010519491231002X" not in str(cases)
    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    assert (
        detail["due_date"] == "2026-03-19"
        and detail["explanation"]
        and detail["events"][0]["kind"] == "registered"
    )
    assert "answer" in detail["allowed_actions"]


def test_a_case_life_through_the_api(case, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.clerk)
    url = f"/api/v1/cases/{case.pk}/actions"
    r = post(
        client,
        f"{url}/start_consultation",
        {"data": {"on": "2026-03-02", "party": "third_party", "name": "X"}},
    )
    assert r.status_code == 200, r.content  # type: ignore[attr-defined]
    r = post(client, f"{url}/end_consultation", {"data": {"on": "2026-03-06", "reply": "同意"}})
    assert r.json()["due_date"] == "2026-03-26"  # type: ignore[attr-defined]
    r = post(client, f"{url}/answer", {"data": {"on": "2026-03-20", "outcome": "2008.disclosed"}})
    assert r.status_code == 400 and "outcome" in r.json()["errors"]  # type: ignore[attr-defined]
    r = post(client, f"{url}/answer", {"data": {"on": "2026-03-20", "outcome": "2019.partly_disclosed"}})
    assert r.json()["state"] == "answered"  # type: ignore[attr-defined]
    r = post(client, f"{url}/answer", {"data": {"on": "2026-03-21", "outcome": "2019.disclosed"}})
    assert r.status_code == 409 and "不能作出答复" in r.json()["detail"]  # type: ignore[attr-defined]
    assert post(client, f"{url}/nonsense", {"data": {}}).status_code == 404  # type: ignore[attr-defined]


def test_access_is_checked(case, tree: Tree, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/api/v1/cases").status_code == 401
    supervisor = login(personas.supervisor)  # supervises the county, not 教育局
    assert supervisor.get(f"/api/v1/cases/{case.pk}").status_code == 403
    assert supervisor.get("/api/v1/cases?view=all").json() == []
    outsider = login(personas.outsider)
    assert (
        post(outsider, f"/api/v1/cases/{case.pk}/actions/close", {"data": {"on": "2026-03-01"}}).status_code
        == 403
    )  # type: ignore[attr-defined]


def test_public_status_needs_code_and_secret(case) -> None:  # type: ignore[no-untyped-def]
    code, secret = issue_tracking("t", case)
    client = Client()
    ok = post(client, "/api/v1/public/status", {"code": code, "secret": secret})
    assert ok.status_code == 200 and ok.json()["due_date"] == "2026-03-19"  # type: ignore[attr-defined]
    assert "王五" not in ok.content.decode()  # type: ignore[attr-defined]
    assert post(client, "/api/v1/public/status", {"code": code, "secret": "X" * 10}).status_code == 404  # type: ignore[attr-defined]


def test_deadline_calculator(db: None) -> None:
    r = Client().get("/api/v1/deadline", {"received": "2026-02-13", "pause": "2026-03-02:2026-03-06"})
    assert r.status_code == 200 and r.json()["due_date"] == "2026-03-26"
    assert Client().get("/api/v1/deadline", {"received": "2026-02-13", "extend": 99}).status_code == 400
    assert Client().get("/api/v1/deadline", {"received": "2026-02-13", "pause": "garbage"}).status_code == 400


def test_openapi_schema_is_served(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/cases/{pk}/actions/{name}" in schema["paths"]
