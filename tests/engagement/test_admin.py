"""gongkai.engagement.admin: public-concern events, complaints and the yearly figures of bodies not on the
platform. Every list shows its rows, and every write — an event with its responses inline, a deletion — is an
audit entry; a row the constraints refuse is a form error that writes nothing. Letters and hotline calls are no
longer typed in here: the mailbox and hotline apps run them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
from tests.conftest import PASSWORD, Tree

pytestmark = pytest.mark.django_db
ADMIN = "/admin/engagement/"
BEIJING = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 3, 2)


def audited(action: str) -> Any:
    """The one audit entry of ``action`` (its JSON before/after as plain dicts)."""
    return AuditEntry.objects.get(action=action)


@pytest.fixture
def root(settings: Any) -> Client:
    """The system administrator (superuser) who keeps the city's engagement records."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    assert client.login(username="root", password=PASSWORD)
    return client


def _event_form(tree: Tree, *responses: dict[str, str]) -> dict[str, str]:
    data = {
        "body": str(tree.education.pk),
        "title": "春季招生学位安排",
        "noticed_on": "2026-03-02",
        "source": "media",
        "actions-TOTAL_FORMS": str(len(responses)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for n, response in enumerate(responses):
        data |= {f"actions-{n}-{k}": v for k, v in response.items()}
    return data


def test_an_event_with_its_responses_is_audited_with_them(root: Client, tree: Tree) -> None:
    """测试市教育局 answered the admissions question at a press conference with its director, and on WeChat."""
    form = _event_form(
        tree,
        {"kind": "press_conference", "held_on": "2026-03-03", "principal_leader": "on"},
        {"kind": "weibo_wechat", "held_on": "2026-03-04"},
    )
    response = root.post(f"{ADMIN}publicconcernevent/add/", form)
    assert response.status_code == 302, response.content[:800]
    event = PublicConcernEvent.objects.get()
    assert sorted(event.actions.values_list("kind", "principal_leader")) == [
        ("press_conference", True),
        ("weibo_wechat", False),
    ]
    added = audited("engagement.publicconcernevent.add")
    assert (added.actor_label, added.object_id, added.after["title"]) == (
        "root",
        str(event.pk),
        "春季招生学位安排",
    )
    inline = audited("engagement.responseaction.inline_save")
    assert inline.object_id == str(event.pk)
    assert sorted(a["kind"] for a in inline.after["saved"]) == ["press_conference", "weibo_wechat"]


def test_a_principal_leader_on_wechat_is_a_form_error(root: Client, tree: Tree) -> None:
    form = _event_form(tree, {"kind": "weibo_wechat", "held_on": "2026-03-04", "principal_leader": "on"})
    response = root.post(f"{ADMIN}publicconcernevent/add/", form)
    assert response.status_code == 200
    assert not PublicConcernEvent.objects.exists() and not ResponseAction.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="engagement.").exists()


def test_letters_and_calls_are_no_longer_typed_in_the_admin(root: Client) -> None:
    """Letters and hotline calls are worked in the mailbox and hotline apps (issue 13), not typed in as rows."""
    assert root.get(f"{ADMIN}hotlinecall/").status_code == 404
    assert root.get(f"{ADMIN}mailboxletter/").status_code == 404


def test_yearly_figures_twice_for_one_year_is_a_form_error(root: Client, tree: Tree) -> None:
    YearlyFigures.objects.create(body=tree.education, year=2026)
    fields = ["dedicated_offices", "reading_points", "fulltime_staff", "parttime_staff", "meetings"]
    form = {"body": str(tree.education.pk), "year": "2026", "budget_wan_yuan": "1.00"}
    form |= {f: "0" for f in [*fields, "training_sessions", "people_trained"]}
    response = root.post(f"{ADMIN}yearlyfigures/add/", form)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert YearlyFigures.objects.count() == 1
    response = root.post(f"{ADMIN}yearlyfigures/add/", form | {"year": "2025"})
    assert response.status_code == 302
    assert audited("engagement.yearlyfigures.add").after["year"] == 2025


def test_deleting_a_complaint_is_audited(root: Client, tree: Tree) -> None:
    complaint = Complaint.objects.create(body=tree.education, received_on=DAY, summary="未按期答复")
    response = root.post(f"{ADMIN}complaint/{complaint.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Complaint.objects.exists()
    entry = audited("engagement.complaint.delete")
    assert entry.object_id == str(complaint.pk) and entry.before["summary"] == "未按期答复"


def test_every_list_shows_its_rows(root: Client, tree: Tree) -> None:
    event = PublicConcernEvent.objects.create(body=tree.education, title="春季招生学位安排", noticed_on=DAY)
    ResponseAction.objects.create(event=event, kind=ResponseKind.ONLINE_INTERVIEW, held_on=DAY)
    Complaint.objects.create(body=tree.education, received_on=DAY, summary="未按期答复")
    YearlyFigures.objects.create(body=tree.county, year=2026, fulltime_staff=3)
    expected = {
        "publicconcernevent": "春季招生学位安排",
        "complaint": "未按期答复",
        "yearlyfigures": "测试县人民政府",
    }
    for model, text in expected.items():
        response = root.get(f"{ADMIN}{model}/")
        assert response.status_code == 200, model
        assert text in response.content.decode(), model
        assert response.context["cl"].result_count == 1, model
