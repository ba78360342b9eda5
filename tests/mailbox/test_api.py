"""A mailbox letter's life through the API: 王芳's app submits it (idempotently), the bureau's system (a body token
with scope ``mailbox``) lists, signs for and transfers it, the county police's system answers and publishes it, and
王芳 tracks and rates it. Error answers are the documented ones."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from gongkai.api.actions import create_token
from gongkai.api.models import Scope
from gongkai.mailbox.models import Letter, LetterState
from tests.mailbox.conftest import Cast

pytestmark = pytest.mark.django_db

LETTER = {
    "kind": "suggest",
    "subject": "建议增设公交站点",
    "text": "建议在学校门口增设公交站点。",
    "writer_name": "王芳",
    "phone": "13812345678",
    "consent_to_publish": True,
}


def post(path: str, data: dict[str, Any], token: str = "", **headers: str) -> Any:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Client().post(
        f"/api/v1/mailbox{path}", json.dumps(data), content_type="application/json", headers=headers
    )


def token_for(body: Any, name: str) -> str:
    return create_token("test", name=name, body=body, scopes=[Scope.MAILBOX]).secret


def test_a_letters_whole_life_through_the_api(cast: Cast) -> None:
    tree = cast.tree
    sent = post("/letters", LETTER | {"body": tree.education.org_code}, **{"Idempotency-Key": "wf-1"})
    assert sent.status_code == 201, sent.content
    receipt = sent.json()
    again = post("/letters", LETTER | {"body": tree.education.org_code}, **{"Idempotency-Key": "wf-1"})
    assert again.status_code == 200 and again["Idempotent-Replay"] == "true"
    assert again.json()["secret"] == receipt["secret"] and Letter.objects.count() == 1
    other = post(
        "/letters",
        LETTER | {"body": tree.education.org_code, "text": "另一封"},
        **{"Idempotency-Key": "wf-1"},
    )
    assert other.status_code == 409

    bureau = token_for(tree.education, "教育局办公系统")
    listed = Client().get("/api/v1/mailbox/staff/letters", headers={"Authorization": f"Bearer {bureau}"})
    assert listed.status_code == 200 and listed["X-Total-Count"] == "1"
    assert listed.json()[0]["phone"] == "138****5678"
    pk = receipt["id"]
    assert post(f"/staff/letters/{pk}/reply", {"text": "x"}, bureau).status_code == 409  # not signed for
    assert post(f"/staff/letters/{pk}/accept", {}, bureau).json()["state"] == LetterState.ACCEPTED
    moved = post(
        f"/staff/letters/{pk}/transfer",
        {"to_body": tree.county_police.org_code, "reason": "公安职责"},
        bureau,
    )
    assert moved.status_code == 200 and moved.json()["body_code"] == tree.county_police.org_code
    assert post(f"/staff/letters/{pk}/accept", {}, bureau).status_code == 403  # no longer the bureau's

    police = token_for(tree.county_police, "县公安局办公系统")
    assert post(f"/staff/letters/{pk}/accept", {}, police).status_code == 200
    answered = post(f"/staff/letters/{pk}/reply", {"text": "已采纳。", "channel": "letter"}, police)
    assert answered.status_code == 200 and answered.json()["state"] == LetterState.REPLIED
    assert post(f"/staff/letters/{pk}/publish", {}, police).json()["published"] is True

    pair = {"code": receipt["tracking_code"], "secret": receipt["secret"]}
    tracked = post("/track", pair)
    assert tracked.status_code == 200 and tracked.json()["reply_text"] == "已采纳。"
    assert post("/track", pair | {"secret": "WRONGSECRET"}).status_code == 404
    rated = post("/rate", pair | {"satisfaction": "satisfied"})
    assert rated.status_code == 200 and rated.json()["state"] == LetterState.CLOSED
    assert post("/rate", pair | {"satisfaction": "satisfied"}).status_code == 409  # once
    events = [e["kind"] for e in rated.json()["events"]]
    assert events == ["submitted", "accepted", "transferred", "accepted", "replied", "published", "rated"]
    assert Letter.objects.get().events.filter(actor_label="api:县公安局办公系统").count() == 3


def test_refusals_are_the_documented_statuses_and_write_nothing(cast: Cast) -> None:
    tree = cast.tree
    anonymous = post("/letters", LETTER | {"body": tree.education.org_code, "phone": ""})
    assert anonymous.status_code == 400 and "phone" in anonymous.json()["errors"]
    assert post("/letters", LETTER | {"body": "NOSUCHBODY"}).status_code == 400
    assert post("/letters", LETTER | {"body": tree.education.org_code, "kind": "x"}).status_code == 422
    assert not Letter.objects.exists()
    assert Client().get("/api/v1/mailbox/staff/letters").status_code == 401
    no_scope = create_token("test", name="只读", body=tree.education, scopes=[Scope.CASES_READ]).secret
    listed = Client().get("/api/v1/mailbox/staff/letters", headers={"Authorization": f"Bearer {no_scope}"})
    assert listed.status_code == 403
    assert post("/staff/letters/999/accept", {}, token_for(tree.education, "t")).status_code == 404


def test_signed_in_staff_may_use_the_staff_steps_of_their_own_body(cast: Cast) -> None:
    sent = post("/letters", LETTER | {"body": cast.tree.education.org_code}).json()
    client = Client()
    client.force_login(cast.zhao_qiang)
    assert client.post(f"/api/v1/mailbox/staff/letters/{sent['id']}/accept").status_code == 403
    client.force_login(cast.li_ming)
    assert client.post(f"/api/v1/mailbox/staff/letters/{sent['id']}/accept").status_code == 200
