"""The body step's search over the organisation tree (issue 12, deliverable 2) and the bodies page at province
size: matches with their superiors, the government of the level as a hint, no query in proportion to the tree per
keystroke, and a bodies page that stays small when the tree is large."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.organisations.models import Organisation, OrgKind
from gongkai.portal import bodyindex
from tests.conftest import Tree, make_org

pytestmark = pytest.mark.django_db


def test_matches_come_with_their_superiors_and_the_government_of_their_level(tree: Tree) -> None:
    response = Client().get("/bodies/pick/", {"q": "公安", "format": "json"})
    results = response.json()["results"]
    assert [r["path"] for r in results] == [["测试市", "测试县", "测试县公安局"]]
    assert results[0]["id"] == tree.county_police.pk and results[0]["org_code"] == tree.county_police.org_code
    page = Client().get("/bodies/pick/", {"q": "公安"}).content.decode()
    assert "测试市 › 测试县 › 测试县公安局" in page and "找到 1 个机关" in page
    assert "不确定由哪个机关负责？可以向本级人民政府申请" in page
    assert f'value="{tree.county.pk}" id="id_body_{tree.county.pk}"' in page  # the county's government
    assert f'id="id_body_{tree.city.pk}"' not in page


def test_several_terms_narrow_by_the_superiors_names_and_traditional_characters_match(tree: Tree) -> None:
    make_org("测试县教育局", OrgKind.DEPARTMENT, tree.county)
    both = Client().get("/bodies/pick/", {"q": "教育局", "format": "json"}).json()["results"]
    assert {r["path"][-1] for r in both} >= {"测试市教育局", "测试县教育局"}
    county = Client().get("/bodies/pick/", {"q": "测试县 教育", "format": "json"}).json()["results"]
    assert [r["path"][-1] for r in county] == ["测试县教育局"]
    traditional = Client().get("/bodies/pick/", {"q": "測試縣 教育", "format": "json"}).json()["results"]
    assert [r["path"][-1] for r in traditional] == ["测试县教育局"]


def test_the_chosen_body_stays_among_the_choices_and_nothing_found_says_so(tree: Tree) -> None:
    page = (
        Client()
        .get("/bodies/pick/", {"q": "没有这个机关", "chosen": str(tree.education.pk)})
        .content.decode()
    )
    assert "没有找到名称含“没有这个机关”的机关" in page
    pk = tree.education.pk
    assert f'<input type="radio" name="body" value="{pk}" id="id_body_{pk}" checked>' in page
    hostile = Client().get("/bodies/pick/", {"q": '<script>"%_*'}).content.decode()
    assert "<script>" not in hostile


def test_abolished_bodies_are_never_offered(tree: Tree) -> None:
    make_org("测试县旧局", OrgKind.DEPARTMENT, tree.county, valid_to=dt.date(2019, 1, 1))
    found = Client().get("/bodies/pick/", {"q": "旧局", "format": "json"}).json()["results"]
    assert found == []


def test_at_most_twenty_matches_and_no_query_per_keystroke(tree: Tree) -> None:
    for i in range(30):
        make_org(f"测试市第{i}中学", OrgKind.OTHER, tree.education)
    client = Client()
    client.get("/bodies/pick/", {"q": "中学"})  # the index is built once per change of the bodies
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/bodies/pick/", {"q": "中学", "format": "json"}).json()
    assert len(answer["results"]) == 20 and answer["more"] is True
    assert not [q for q in queries.captured_queries if "organisations_organisation" in q["sql"]]
    make_org("测试市第99中学", OrgKind.OTHER, tree.education)  # a change: the next search sees it
    again = client.get("/bodies/pick/", {"q": "第99中学", "format": "json"}).json()["results"]
    assert [r["path"][-1] for r in again] == ["测试市第99中学"]


def test_the_index_finds_by_pairs_of_characters_and_ranks_the_whole_name_first() -> None:
    nodes = [
        bodyindex.Node(1, "许昌市人民政府", "许昌市", "A", OrgKind.GOVERNMENT, None, 0, "000001."),
        bodyindex.Node(2, "许昌市教育局", "", "B", OrgKind.DEPARTMENT, 1, 1, "000001.000002."),
        bodyindex.Node(3, "禹州市人民政府", "禹州市", "C", OrgKind.COUNTY, 1, 1, "000001.000003."),
        bodyindex.Node(4, "禹州市教育局", "", "D", OrgKind.DEPARTMENT, 3, 2, "000001.000003.000004."),
    ]
    index = bodyindex.BodyIndex.build(nodes)
    found, more = index.find("禹州市教育局")
    assert [m.path_text for m in found] == ["许昌市 › 禹州市 › 禹州市教育局"] and not more
    found, _more = index.find("许昌 教育")
    assert [m.pk for m in found][:1] == [2]  # both terms in its own name first
    assert index.government_of(4) is not None and index.government_of(4).pk == 3  # type: ignore[union-attr]
    assert index.find("   ") == ([], False)


def test_the_bodies_page_is_collapsed_to_the_top_levels_with_links_to_open(tree: Tree) -> None:
    page = Client().get("/bodies/").content.decode()
    assert tree.education.name in page and tree.county.name in page
    assert tree.county_police.name not in page and tree.school_office.name not in page
    assert (
        f'href="?open={tree.county.org_code}#org-{tree.county.org_code}"' in page and "展开下级（1）" in page
    )
    opened = Client().get("/bodies/", {"open": tree.county.org_code}).content.decode()
    assert tree.county_police.name in opened and tree.school_office.name not in opened
    deep = Client().get("/bodies/", {"open": tree.county_police.org_code}).content.decode()
    assert tree.county_police.name in deep
    assert Client().get("/bodies/", {"open": "NOSUCHORG"}).status_code == 404
    found = Client().get("/bodies/", {"q": "招生"}).content.decode()
    assert tree.school_office.name in found and "测试市 › 市教育局 › 测试市教育局招生办公室" in found


def test_the_bodies_page_stays_small_for_a_province(tree: Tree) -> None:
    """Defect of issue 12: the page listed every body (810 kB at 6,000). Here 40 counties of 30 bodies each:
    the page lists the first two levels only, and its queries do not grow with the bodies below them."""
    counties = [make_org(f"第{i}县人民政府", OrgKind.COUNTY, tree.city) for i in range(40)]
    rows = [
        Organisation(
            name=f"第{c}县第{j}局",
            kind=OrgKind.DEPARTMENT,
            parent=county,
            org_code=f"Q{c:03d}{j:04d}X"[:9],
            path=f"{county.path}{900000 + c * 100 + j:06d}.",
            depth=2,
            valid_from=dt.date(2000, 1, 1),
        )
        for c, county in enumerate(counties)
        for j in range(30)
    ]
    Organisation.objects.bulk_create(rows)  # bulk: no signals, and the page cache is off in tests
    with CaptureQueriesContext(connection) as queries:
        page = Client().get("/bodies/").content.decode()
    assert "第0县人民政府" in page and "第0县第0局" not in page and "展开下级（30）" in page
    assert len(page.encode()) < 60_000
    assert len(queries.captured_queries) < 15


def test_the_body_search_is_throttled_per_address(settings: Any, tree: Tree) -> None:
    """A stranger can make it run, so it counts (``pick`` scope), with and without JavaScript."""
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"pick": (3, 60)}
    client = Client()
    answers = [client.get("/bodies/pick/", {"q": "教育"}).status_code for _ in range(3)]
    answers.append(client.post("/apply/body/", {"body_q": "教育"}).status_code)
    assert answers == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="10.9.9.9").get("/bodies/pick/", {"q": "教育"}).status_code == 200
