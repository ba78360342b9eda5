"""Issue 12 §3: the body publishing a roll-up report sees every body of its subtree with its source, its own
report's state for the year and the errors and warnings of what it handed in (``submissions.overview``)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client

from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports import actions as reports
from gongkai.reports import validation
from gongkai.submissions import actions
from gongkai.submissions.overview import body_states
from gongkai.submissions.xlsx import template_for
from tests.conftest import PASSWORD, Personas, Tree, make_org
from tests.submissions.helpers import TABLE3_2021, fill

pytestmark = pytest.mark.django_db
YEAR, FMT = 2024, "2021"


def three_findings(*_args: object, **_kwargs: object) -> list[validation.Finding]:
    return [
        validation.Finding("1", "error", "表三不平衡"),
        validation.Finding("deadline", "warning", "尚未公布"),
        validation.Finding("similarity", "warning", "与上年相同"),
    ]


@pytest.fixture
def county_year(tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The county police published with one error and two warnings; a township submitted; the county has not."""
    township = make_org("测试县某镇人民政府", OrgKind.TOWNSHIP, tree.county)
    data = fill(template_for(township, YEAR, FMT), FMT, TABLE3_2021)
    submission = actions.submit(personas.supervisor, township, YEAR, FMT, io.BytesIO(data), "填报.xlsx")  # type: ignore[arg-type]
    monkeypatch.setattr(validation, "validate_report", three_findings, raising=False)
    monkeypatch.setattr(reports, "FROZEN_SUFFIXES", (".json",))
    reports.publish_report("test", tree.county_police, YEAR, FMT, "own", override_reason="待核实")
    return {"township": township, "submission": submission}


def test_each_body_has_its_source_report_state_and_counts(tree: Tree, county_year: dict[str, Any]) -> None:
    states = {s.body.name: s for s in body_states(tree.county, YEAR, FMT)}
    assert list(states) == ["测试县人民政府", "测试县公安局", "测试县某镇人民政府"]
    county, police, town = states["测试县人民政府"], states["测试县公安局"], states["测试县某镇人民政府"]
    assert (county.source, county.published_on, county.errors, county.warnings) == (
        "records",
        None,
        None,
        None,
    )
    assert (police.version, police.errors, police.warnings) == (1, 1, 2) and police.published_on is not None
    assert town.source == "submission" and town.submission_id == county_year["submission"].pk
    assert (town.errors, town.warnings) == (0, len(county_year["submission"].warnings))


def test_the_supervisor_page_links_each_body(
    client: Client, tree: Tree, personas: Personas, county_year: dict[str, Any]
) -> None:
    assert client.login(username=personas.supervisor.username, password=PASSWORD)
    html = client.get(f"/staff/submissions/{tree.county.org_code}/{YEAR}/").content.decode()
    row = re.search(rf'<tr id="body-{tree.county_police.org_code}">(.*?)</tr>', html, re.S)
    assert row
    assert f"/staff/reports/{tree.county_police.org_code}/{YEAR}/" in row[1]
    assert f"/reports/{tree.county_police.org_code}/{YEAR}/" in row[1] and "（第1版）" in row[1]
    assert re.search(r'class="value errors">1<', row[1]) and re.search(r'class="value warnings">2<', row[1])
    town = re.search(rf'<tr id="body-{county_year["township"].org_code}">(.*?)</tr>', html, re.S)
    assert town and "填报数据" in town[1] and "未发布" in town[1]


def test_the_city_publisher_sees_its_subtree_without_links_it_may_not_open(
    client: Client, tree: Tree, personas: Personas, county_year: dict[str, Any]
) -> None:
    assert client.login(username=personas.office_head.username, password=PASSWORD)
    report = client.get(f"/staff/reports/{tree.city.org_code}/{YEAR}/?scope=subtree").content.decode()
    assert f'href="/staff/submissions/{tree.city.org_code}/{YEAR}/#subtree"' in report
    html = client.get(f"/staff/submissions/{tree.city.org_code}/{YEAR}/").content.decode()
    bodies = re.findall(r'<tr id="body-([^"]+)">', html)
    assert len(bodies) == Organisation.objects.filter(path__startswith=tree.city.path).count()
    row = re.search(rf'<tr id="body-{tree.county_police.org_code}">(.*?)</tr>', html, re.S)
    assert row and f"/staff/reports/{tree.county_police.org_code}/" not in row[1]  # not its to open
    assert f"/reports/{tree.county_police.org_code}/{YEAR}/" in row[1]  # the public report is
