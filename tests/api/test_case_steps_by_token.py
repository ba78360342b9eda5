"""Another system records a case's steps through the API with its token (issue 12 §5): the steps a body's clerk
takes, audited and shown under the token's name; never the ones a named person must take (an extension approved
by the office's head, 督办), and only for the bodies the token acts for."""

from __future__ import annotations

import pytest

from gongkai.api.models import Scope
from gongkai.audit.models import AuditEntry
from gongkai.cases.models import CaseEvent
from tests.api.tokens import TokenClient, register_case, token_for
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


def test_a_system_answers_a_case_and_the_step_is_recorded_under_its_name(tree: Tree) -> None:
    case = register_case(tree.education)
    client = TokenClient(token_for(tree.education, [Scope.CASES_READ, Scope.CASES_WRITE], name="市OA系统"))
    allowed = client.get(f"/api/v1/cases/{case.pk}").json()["allowed_actions"]
    assert "answer" in allowed and "start_consultation" in allowed
    assert "extend" not in allowed and "supervise" not in allowed
    url = f"/api/v1/cases/{case.pk}/actions"
    text = "经审查，您申请的信息予以公开，见附件。"
    answered = client.post(
        f"{url}/answer", {"data": {"on": "2026-03-02", "outcome": "2019.disclosed", "text": text}}
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "answered" and answered.json()["outcome"] == "2019.disclosed"
    event = CaseEvent.objects.get(request=case, kind="answered")
    assert event.actor_label == "api:市OA系统" and event.actor is None
    assert AuditEntry.objects.filter(actor_label="api:市OA系统", object_id=str(case.pk)).exists()
    again = client.post(f"{url}/answer", {"data": {"on": "2026-03-03", "outcome": "2019.disclosed"}})
    assert again.status_code == 409


def test_steps_a_named_person_takes_are_refused_to_a_token_with_the_reason(tree: Tree) -> None:
    case = register_case(tree.education)
    client = TokenClient(token_for(tree.education, [Scope.CASES_READ, Scope.CASES_WRITE]))
    extend = client.post(
        f"/api/v1/cases/{case.pk}/actions/extend",
        {"data": {"on": "2026-03-02", "days": 20, "reason": "材料多"}},
    )
    assert extend.status_code == 403 and "令牌不能办理" in extend.json()["detail"]
    assert not CaseEvent.objects.filter(request=case, kind="extended").exists()


def test_a_token_needs_the_write_scope_for_the_cases_body(tree: Tree) -> None:
    own = register_case(tree.education)
    other = register_case(tree.county_police, "请公开交通事故统计")
    data = {"data": {"on": "2026-03-02", "note": "请说明年度"}}
    reader = TokenClient(token_for(tree.education, [Scope.CASES_READ], name="只读"))
    assert reader.get(f"/api/v1/cases/{own.pk}").json()["allowed_actions"] == []
    refused = reader.post(f"/api/v1/cases/{own.pk}/actions/request_supplement", data)
    assert refused.status_code == 403
    writer = TokenClient(token_for(tree.education, [Scope.CASES_READ, Scope.CASES_WRITE], name="教育OA"))
    assert writer.post(f"/api/v1/cases/{other.pk}/actions/request_supplement", data).status_code == 403
    assert not CaseEvent.objects.filter(kind="supplement_requested").exists()
