"""Issue 12 §3: the staff home lists what needs attention today, with counts that equal the lists they link to,
over the user's own body only (a supervisor: its subtree)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import LazySettings
from django.test import Client

from gongkai.cases import transitions as t
from gongkai.cases.models import InformationRequest
from gongkai.catalog import transitions as catalog
from gongkai.organisations.models import Organisation
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC)  # a Tuesday: 3 working days on is Friday 23 January


@pytest.fixture(autouse=True)
def fast_passwords(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def request_due(personas: Personas, body: Organisation, due: dt.date, **kwargs: Any) -> InformationRequest:
    req = t.register(
        personas.clerk,
        body,
        received=D(2025, 12, 15),
        channel="online",
        applicant_kind="natural",
        subject="s",
        **kwargs,
    )
    InformationRequest.objects.filter(pk=req.pk).update(due_date=due)
    return req


def counts(client: Client) -> dict[str, tuple[int, str]]:
    html = client.get("/staff/").content.decode()
    found = re.findall(
        r'<li id="attention-([a-z_]+)"[^>]*><a href="([^"]+)">[^<]+</a>：<strong class="count">(\d+)</strong>',
        html,
    )
    return {key: (int(n), url.replace("&amp;", "&")) for key, url, n in found}


def listed_cases(client: Client, url: str) -> int:
    return len(set(re.findall(r'href="/staff/cases/(\d+)/"', client.get(url).content.decode())))


@time_machine.travel(TODAY, tick=False)
def test_the_clerk_sees_todays_work_of_its_own_body(tree: Tree, personas: Personas) -> None:
    request_due(personas, tree.education, D(2026, 1, 22))  # due soon
    request_due(personas, tree.education, D(2026, 1, 23))  # due soon (the third working day)
    request_due(personas, tree.education, D(2026, 1, 26))  # not yet
    request_due(personas, tree.education, D(2026, 1, 9))  # overdue
    request_due(personas, tree.county_police, D(2026, 1, 21))  # another body's
    request_due(personas, tree.education, D(2026, 2, 20), route=True)  # waiting to be assigned
    catalog.create_draft(personas.clerk, tree.education, title="关于招生的通知", made_on=D(2026, 1, 5))
    catalog.create_draft(personas.clerk, tree.county_police, title="通告", made_on=D(2026, 1, 5))
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    found = counts(client)
    assert found["due_soon"][0] == 2 and found["overdue"][0] == 1 and found["to_sign"][0] == 1
    assert found["awaiting_review"] == (1, "/staff/catalog/?stage=awaiting_review")
    for key in ("due_soon", "overdue", "to_sign"):
        assert listed_cases(client, found[key][1]) == found[key][0], key  # the count is the list's
    assert found["reports_unpublished"][0] == 1  # 教育局's 2025 report
    assert found["subordinates_missing"][0] == 1  # its 招生办 has neither published nor submitted


@time_machine.travel(TODAY, tick=False)
def test_a_supervisor_sees_the_supervised_subtree(tree: Tree, personas: Personas) -> None:
    request_due(personas, tree.education, D(2026, 1, 9))
    request_due(personas, tree.county_police, D(2026, 1, 9))
    client = Client()
    assert client.login(username=personas.supervisor.username, password=PASSWORD)
    found = counts(client)
    assert found["overdue"][0] == 1  # the county police's, not 教育局's
    assert found["reports_unpublished"][0] == 2  # the county government and its police
    assert found["subordinates_missing"] == (1, f"/staff/submissions/{tree.county.org_code}/2025/#subtree")


def test_the_counts_are_a_few_aggregate_queries(
    tree: Tree, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for day in range(1, 20):
        request_due(personas, tree.education, D(2026, 1, day))
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    with django_assert_max_num_queries(25):
        assert client.get("/staff/").status_code == 200


def letter_due(personas: Personas, body: Organisation, due: dt.date) -> int:
    from gongkai.mailbox import actions as mailbox
    from gongkai.mailbox.models import Letter

    sent = mailbox.submit(
        None,
        body,
        kind="consult",
        subject="招生咨询",
        text="请问报名时间。",
        phone="13800138000",
        received_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),
    )
    Letter.objects.filter(pk=sent.letter.pk).update(due_on=due)
    return sent.letter.pk


def listed_letters(client: Client, url: str) -> int:
    return len(set(re.findall(r'href="/staff/mailbox/(\d+)/"', client.get(url).content.decode())))


@time_machine.travel(TODAY, tick=False)
def test_mailbox_letters_due_soon_and_overdue_are_counted_as_the_queue_lists_them(
    tree: Tree, personas: Personas
) -> None:
    """Issue 13 §1: letters have a reply deadline in working days; the staff home says how many are due within
    2 working days (Tuesday 20 January: up to Thursday 22nd) and overdue, each count the queue's list."""
    letter_due(personas, tree.education, D(2026, 1, 21))  # due soon
    letter_due(personas, tree.education, D(2026, 1, 22))  # due soon (the second working day)
    letter_due(personas, tree.education, D(2026, 1, 23))  # not yet
    letter_due(personas, tree.education, D(2026, 1, 19))  # overdue
    letter_due(personas, tree.county_police, D(2026, 1, 10))  # another body's
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    found = counts(client)
    assert found["letters_due_soon"] == (2, "/staff/mailbox/?view=due_soon")
    assert found["letters_overdue"] == (1, "/staff/mailbox/?view=overdue")
    for key in ("letters_due_soon", "letters_overdue"):
        assert listed_letters(client, found[key][1]) == found[key][0], key


def test_the_staff_home_leads_to_every_engagement_queue(personas: Personas) -> None:
    """Issue 13: the engagement work (mailbox, 12345, public concern, interpretations, social posts,
    consultations, interviews) is one tap from the staff home, and each link opens for the clerk."""
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    html = client.get("/staff/").content.decode()
    section = html[html.index('id="engagement-links"') :].split("</ul>")[0]
    links = re.findall(r'href="([^"]+)"', section)
    assert links == [
        "/staff/mailbox/",
        "/staff/hotline/",
        "/staff/engagement/",
        "/staff/engagement/interpretations/",
        "/staff/engagement/posts/",
        "/staff/consultations/",
        "/staff/interviews/",
    ]
    for url in links:
        assert client.get(url).status_code == 200, url
