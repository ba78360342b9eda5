"""Defect 12 and its class on the API: out-of-range dates and hostile strings give a 4xx naming the input,
never a 500 (or a request that runs for minutes); every request body normalises its strings."""

from __future__ import annotations

import datetime as dt
import json
import typing
from typing import Any

import pytest
import time_machine
from django.test import Client
from ninja import Schema

from gongkai.api import schemas
from gongkai.api.api import api
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import CaseEvent, InformationRequest
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def deadline(query: str) -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=SHANGHAI), tick=False):
        return Client().get(f"/api/v1/deadline?{query}")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("received=9999-12-31", "received"),
        ("received=0001-01-01", "received"),
        ("received=2008-04-30", "received"),
        ("received=2027-03-11", "received"),  # more than a year ahead
        ("received=2026-03-09&supplemented=9999-12-31", "supplemented"),
        ("received=2026-03-09&pause=2026-03-10:9999-12-31", "pause"),
        ("received=2026-03-09&pause=garbage", "pause"),
        ("received=2026-03-09&regime=" + "x" * 5000, "regime"),
        ("received=2026-03-09&" + "&".join(["pause=2026-03-10:2026-03-11"] * 21), "pause"),
        ("received=2026-03-09&extend=99999999999999999999999", "extend"),
    ],
)
def test_out_of_range_deadline_inputs_are_a_400_naming_the_parameter(
    tree: Tree, query: str, field: str
) -> None:
    response = deadline(query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"] and body["detail"]
    assert "x" * 100 not in body["detail"]  # an over-long value is not echoed back


def test_the_calculator_still_answers_inside_the_range(tree: Tree) -> None:
    for day in ("2008-05-04", "2026-03-09", "2027-03-09"):
        assert deadline(f"received={day}").status_code == 200, day
    response = deadline("received=2026-03-09&pause=2026-03-10:2026-03-12")
    assert response.status_code == 200 and response.json()["due_date"] > "2026-04-07"


def test_a_malformed_date_is_a_422_with_its_location(tree: Tree) -> None:
    response = deadline("received=2026-02-30")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "received"]


@pytest.mark.parametrize(
    ("payload", "loc", "words"),
    [
        ({"code": "GK2026-\x01", "secret": "x"}, ["body", "payload", "code"], "U+0001"),
        ({"code": "GK2026-000001", "secret": "ab\ufffe"}, ["body", "payload", "secret"], "U+FFFE"),
        ({"code": "G" * 10_000, "secret": "x"}, ["body", "payload", "code"], "最多20个字，当前10000个字"),
    ],
)
def test_public_status_refuses_hostile_strings_with_their_location(
    tree: Tree, payload: dict[str, str], loc: list[str], words: str
) -> None:
    response = Client().post("/api/v1/public/status", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == loc and words in error["msg"]


@pytest.fixture
def staff(tree: Tree, personas: Personas) -> tuple[Client, InformationRequest]:
    applicant = create_applicant(
        "t", kind="natural", name="王五", id_document="resident_id", id_number="11010519491231002X"
    )
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 2, 13),
        channel="online",
        subject="s",
        applicant=applicant,
    )
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    return client, req


def run(client: Client, req: InformationRequest, name: str, data: dict[str, Any]) -> Any:
    url = f"/api/v1/cases/{req.pk}/actions/{name}"
    return client.post(url, json.dumps({"data": data}), content_type="application/json")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("start_consultation", {"on": "9999-12-31", "party": "third_party", "name": "某公司"}),
        ("notify_fee", {"on": "9999-12-31", "amount_yuan": "100"}),
        ("request_supplement", {"on": "0001-01-01", "note": "x"}),
    ],
)
def test_an_action_dated_outside_the_calendar_is_a_400_not_a_500(
    staff: tuple[Client, InformationRequest], name: str, data: dict[str, Any]
) -> None:
    client, req = staff
    response = run(client, req, name, data)
    assert response.status_code == 400
    assert response.json()["errors"]["on"] == ["日期须在1900-01-01至2099-12-31之间"]
    assert CaseEvent.objects.filter(request=req).count() == 1  # only "registered"


def test_control_characters_in_an_action_are_refused_and_nothing_is_written(
    staff: tuple[Client, InformationRequest],
) -> None:
    client, req = staff
    response = run(client, req, "request_supplement", {"on": "2026-02-16", "note": "请补充\x0b地址"})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "payload", "data"] and "note：第4个字符（U+000B）" in error["msg"]
    req.refresh_from_db()
    assert req.state == "received" and CaseEvent.objects.filter(request=req).count() == 1


def test_every_request_body_is_an_input_schema() -> None:
    bodies: set[type] = set()
    for _prefix, router in api._routers:  # the operations ninja registered
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                hints = typing.get_type_hints(operation.view_func)
                bodies |= {h for h in hints.values() if isinstance(h, type) and issubclass(h, Schema)}
    assert {cls.__name__ for cls in bodies} == {
        "ActionIn",
        "StatusIn",
        "CaseIn",
        "CatalogItemIn",
        "CatalogItemPatch",
        "SubmissionIn",
        "WithdrawIn",  # withdrawing a submission (issue 12 §5)
        # the mailbox (issue 13 §1): a letter, tracking, and the staff steps
        "LetterIn",
        "TrackIn",
        "RateIn",
        "TransferIn",
        "ReasonIn",
        "ReplyIn",
        "PublishIn",
        # the 12345 hotline's push (issue 13 §6)
        "TicketIn",
        "TicketUpdateIn",
    }
    assert all(issubclass(cls, schemas.InputSchema) for cls in bodies)
