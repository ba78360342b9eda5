"""Issue 12: the publisher of a roll-up report drills into every record behind a cell, not only its own body's
(the city publisher listed 16 of 33), page by page; a clerk of a lower body still sees its own records only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from gongkai.cases import transitions as t
from gongkai.reports import drilldown
from gongkai.reports.registry import Context, Scope
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def fast_passwords(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def natural_requests(tree: Tree, personas: Personas) -> list[Any]:
    """2025 requests from natural persons to the city, 教育局, its 招生办 and the county police."""
    bodies = [tree.city, tree.city, tree.education, tree.school_office, tree.county_police]
    return [
        t.register(
            personas.clerk,
            body,
            received=D(2025, 3, 2 + i),
            channel="online",
            applicant_kind="natural",
            subject="s",
        )
        for i, body in enumerate(bodies)
    ]


def test_the_city_publisher_lists_every_record_behind_a_rollup_cell(
    tree: Tree, personas: Personas, natural_requests: list[Any]
) -> None:
    value = Context(org=tree.city, year=2025, scope=Scope.SUBTREE, fmt="2021").value("t3.new.0")
    drill = drilldown.cell_drilldown(personas.office_head, tree.city, 2025, "t3.new.0", "2021", Scope.SUBTREE)
    assert drill.records is not None
    assert value == 5 == drill.records.count() and drill.hidden == 0
    assert sorted(r.pk for r in drill.records) == sorted(r.pk for r in natural_requests)


def test_the_listing_is_paginated_and_the_pages_add_up_to_the_cell(
    client: Client,
    tree: Tree,
    personas: Personas,
    natural_requests: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(drilldown, "PAGE_SIZE", 2)
    assert client.login(username=personas.office_head.username, password=PASSWORD)
    url = f"/staff/reports/{tree.city.org_code}/2025/cells/t3.new.0/?format=2021&scope=subtree"
    seen: set[str] = set()
    linked: set[str] = set()
    for page in (1, 2, 3):
        html = client.get(f"{url}&page={page}").content.decode()
        assert '<dd class="value" id="cell-value">5</dd>' in html and "共5条记录" in html
        assert "无权查看" not in html
        seen |= set(re.findall(r"<td>(\S+)</td><td>测试", html))  # each row's tracking code, then its body
        linked |= set(re.findall(r"/staff/cases/(\d+)/", html))
    assert seen == {r.tracking_code or f"#{r.pk}" for r in natural_requests}
    # the city's own cases link to their pages; the others' pages are not the publisher's to open
    assert linked == {str(r.pk) for r in natural_requests if r.body_id == tree.city.pk}


def test_a_lower_body_clerk_still_sees_its_own_records_only(
    tree: Tree, personas: Personas, natural_requests: list[Any]
) -> None:
    drill = drilldown.cell_drilldown(personas.clerk, tree.education, 2025, "t3.new.0", "2021", Scope.SUBTREE)
    assert drill.records is not None
    assert drill.records.count() == 1 and drill.hidden == 1  # 招生办's request is counted, not listed
