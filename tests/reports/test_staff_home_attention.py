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
