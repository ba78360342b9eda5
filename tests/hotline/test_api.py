"""The 12345 platform pushes tickets with a token of the body they were dispatched to: 小周 (the platform's
integrator) pushes to 教育局; replays, status updates, conflicts and another body's token."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.api.models import Scope
from gongkai.audit.models import AuditEntry
from gongkai.hotline.models import Ticket, TicketEvent
from tests.api.tokens import TokenClient, token_for
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
URL = "/api/v1/hotline/tickets"
HOTLINE = [Scope.HOTLINE_READ, Scope.HOTLINE_WRITE]
TICKET: dict[str, Any] = {
    "number": "2026030200123",
    "received_at": "2026-03-02T09:30:00+08:00",
    "category": "consult",
    "topic": "学区划分咨询",
    "caller_name": "周晓梅",
    "phone": "13812345678",
    "content": "来电咨询2026年小学学区划分，联系电话13812345678。",
    "due_at": "2026-03-03T09:30:00+08:00",
}


@pytest.fixture
def platform(tree: Tree) -> TokenClient:
    return TokenClient(token_for(tree.education, HOTLINE, name="12345平台"))


def test_a_pushed_ticket_is_registered_once_and_a_replay_changes_nothing(platform: TokenClient) -> None:
    first = platform.post(URL, TICKET)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "received" and body["phone"] == "138****5678" and body["caller"] == "周**"
    assert "13812345678" not in first.content.decode()  # masked in the content too
    entries = AuditEntry.objects.filter(action="hotline.receive").count()
    again = platform.post(URL, TICKET)
    assert again.status_code == 200 and again["Idempotent-Replay"] == "true"
    assert again.json()["id"] == body["id"]
    assert (
        Ticket.objects.count() == 1 and AuditEntry.objects.filter(action="hotline.receive").count() == entries
    )
    ticket = Ticket.objects.get()
    assert ticket.phone_encrypted and "13812345678" not in ticket.phone_encrypted
    assert ticket.received_at == dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)


def test_a_replay_with_other_content_is_refused_and_nothing_changes(platform: TokenClient) -> None:
    platform.post(URL, TICKET)
    other = platform.post(URL, TICKET | {"topic": "另一件事"})
    assert other.status_code == 409 and "2026030200123" in other.json()["detail"]
    assert Ticket.objects.get().topic == "学区划分咨询"


def test_status_moves_forward_only_and_completion_needs_a_result(platform: TokenClient) -> None:
    platform.post(URL, TICKET)
    moved = platform.patch(
        f"{URL}/{TICKET['number']}", {"status": "in_progress", "at": "2026-03-02T10:00:00+08:00"}
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    back = platform.patch(f"{URL}/{TICKET['number']}", {"status": "assigned"})
    assert back.status_code == 409
    no_result = platform.post(f"{URL}/{TICKET['number']}/status", {"status": "completed"})
    assert no_result.status_code == 422 and "result" in no_result.json()["errors"]
    done = platform.post(
        f"{URL}/{TICKET['number']}/status",
        {"status": "completed", "at": "2026-03-02T16:00:00+08:00", "result": "已答复学区划分方案"},
    )
    assert done.status_code == 200 and done.json()["completed_at"].startswith("2026-03-02T08:00:00")
    assert done.json()["late"] is False
    same = platform.patch(f"{URL}/{TICKET['number']}", {"status": "completed"})
    assert same.status_code == 200  # the same status again: a no-op
    rated = platform.patch(f"{URL}/{TICKET['number']}", {"satisfaction": "mostly"})
    assert rated.json()["satisfaction_label"] == "基本满意"
    kinds = list(TicketEvent.objects.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["received", "status", "completed", "rated"]


def test_a_replay_with_a_later_status_moves_the_ticket_forward(platform: TokenClient) -> None:
    platform.post(URL, TICKET)
    later = platform.post(
        URL, TICKET | {"status": "completed", "status_at": "2026-03-04T09:00:00+08:00", "result": "已答复"}
    )
    assert later.status_code == 200 and later.json()["status"] == "completed"
    assert later.json()["late"] is True  # completed after its due time
    assert "Idempotent-Replay" not in later
    assert platform.post(URL, TICKET | {"status": "received"}).status_code == 409


def test_another_body_s_token_is_refused(tree: Tree, platform: TokenClient) -> None:
    county = TokenClient(token_for(tree.county_police, HOTLINE, name="县12345"))
    assert county.post(URL, TICKET | {"body": tree.education.org_code}).status_code == 403
    platform.post(URL, TICKET)
    assert county.patch(f"{URL}/{TICKET['number']}", {"status": "in_progress"}).status_code == 404
    assert county.get(URL).json() == []
    reader = TokenClient(token_for(tree.education, [Scope.HOTLINE_READ], name="只读"))
    assert reader.post(URL, TICKET).status_code == 403  # reading is not writing
    assert Ticket.objects.count() == 1


def test_the_list_filters_pages_and_masks(tree: Tree, platform: TokenClient) -> None:
    for n in range(3):
        platform.post(
            URL,
            TICKET | {"number": f"N{n}", "received_at": f"2026-03-0{n + 2}T09:00:00+08:00", "due_at": None},
        )
    platform.patch(f"{URL}/N1", {"status": "returned", "note": "非本单位职责"})
    page = platform.get(URL, {"limit": 2})
    assert page["X-Total-Count"] == "3" and [t["number"] for t in page.json()] == ["N2", "N1"]
    assert {t["phone"] for t in page.json()} == {"138****5678"}
    returned = platform.get(URL, {"status": "returned"})
    assert [t["number"] for t in returned.json()] == ["N1"]
    assert platform.get(URL, {"year": 2025})["X-Total-Count"] == "0"


def test_bad_input_names_the_field(platform: TokenClient) -> None:
    bad = platform.post(URL, TICKET | {"received_at": "2099-01-01T00:00:00+08:00"})
    assert bad.status_code == 422 and "received_at" in bad.json()["errors"]
    phone = platform.post(URL, TICKET | {"phone": "call me"})
    assert phone.status_code == 422 and "phone" in phone.json()["errors"]
    assert not Ticket.objects.exists()


def test_signed_in_staff_of_the_body_may_push_and_a_supervisor_only_reads(
    client: Any, tree: Tree, personas: Personas
) -> None:
    client.login(username=personas.clerk.username, password=PASSWORD)
    mine = TICKET | {"body": tree.education.org_code}
    pushed = client.post(URL, mine, content_type="application/json")
    assert pushed.status_code == 201, pushed.content
    client.logout()
    client.login(username=personas.supervisor.username, password=PASSWORD)
    assert (
        client.post(URL, TICKET | {"body": tree.county.org_code}, content_type="application/json").status_code
        == 403
    )
    assert client.get(URL).json() == []  # the county's subtree has no tickets; 教育局's are not its
