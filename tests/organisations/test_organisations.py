from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.organisations.actions import OrganisationNotFound, resolve_org, save_organisation
from gongkai.organisations.codes import (
    credit_code_check,
    is_valid_credit_code,
    is_valid_org_code,
    make_credit_code,
    org_code_check,
)
from gongkai.organisations.models import Organisation, OrgKind
from tests.conftest import Tree, make_org

pytestmark = pytest.mark.django_db


def test_check_characters_follow_the_national_standards() -> None:
    # GB 11714 example: the national organisation code of 000014349 quoted in statutory-reference §5.
    assert org_code_check("00001434") == "9"
    assert is_valid_org_code("000014349") and not is_valid_org_code("000014348")
    # GB 32100 example: the credit code quoted in statutory-reference §5 carries a valid check character.
    assert credit_code_check("11341702486344515") == "H"
    assert is_valid_credit_code("11341702486344515H")
    assert not is_valid_credit_code("11341702486344515J")


def test_org_code_is_characters_9_to_17_of_the_credit_code(tree: Tree) -> None:
    bad = Organisation(
        name="错码局",
        kind=OrgKind.DEPARTMENT,
        parent=tree.city,
        org_code=tree.county.org_code,
        credit_code=make_credit_code("11", "419900", "000014349"),
        valid_from=dt.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as err:
        save_organisation("test", bad)
    assert "org_code" in err.value.message_dict


def test_paths_give_subtrees_and_follow_a_move(tree: Tree) -> None:
    assert set(tree.city.subtree()) == {
        tree.city,
        tree.office,
        tree.education,
        tree.school_office,
        tree.county,
        tree.county_police,
    }
    assert set(tree.education.subtree()) == {tree.education, tree.school_office}
    tree.education.parent = tree.county
    save_organisation("test", tree.education)
    tree.school_office.refresh_from_db()
    assert set(tree.county.subtree()) == {tree.county, tree.county_police, tree.education, tree.school_office}
    assert tree.school_office.depth == 3
    assert list(tree.school_office.ancestors()) == [tree.city, tree.county, tree.education]


def test_a_body_cannot_move_below_itself(tree: Tree) -> None:
    tree.education.parent = tree.school_office
    with pytest.raises(ValidationError):
        save_organisation("test", tree.education)


def test_every_save_is_audited_with_before_and_after(tree: Tree) -> None:
    tree.education.short_name = "教育局"
    save_organisation("tester", tree.education)
    entry = AuditEntry.objects.for_object(tree.education).filter(action="organisation.update").get()
    assert entry.actor_label == "tester"
    assert entry.before["short_name"] == "市教育局" and entry.after["short_name"] == "教育局"


def test_resolve_org_accepts_code_credit_code_name_and_short_name(tree: Tree) -> None:
    assert resolve_org(tree.city.org_code) == tree.city
    assert resolve_org(tree.city.credit_code or "") == tree.city
    assert resolve_org("测试市人民政府") == tree.city
    assert resolve_org("测试市") == tree.city
    with pytest.raises(OrganisationNotFound, match="找不到"):
        resolve_org("不存在的局")


def test_reform_keeps_the_historical_body_and_names_its_successor(tree: Tree) -> None:
    old = make_org("测试县国土资源局", OrgKind.DEPARTMENT, tree.county, valid_to=dt.date(2018, 12, 31))
    new = make_org("测试县国土资源局", OrgKind.DEPARTMENT, tree.county, valid_from=dt.date(2019, 1, 1))
    old.successor = new
    save_organisation("test", old)
    # Same name: the one valid today wins; the old one stays reachable by code and in its years.
    assert resolve_org("测试县国土资源局") == new
    assert resolve_org(old.org_code) == old
    assert list(Organisation.objects.filter(name="测试县国土资源局").existing_in_year(2014)) == [old]
    assert old.is_valid_on(dt.date(2018, 6, 1)) and not old.is_valid_on(dt.date(2019, 6, 1))


def test_ambiguous_names_without_a_current_body_are_an_error(tree: Tree) -> None:
    make_org("测试镇政府", OrgKind.TOWNSHIP, tree.county, valid_to=dt.date(2010, 1, 1))
    make_org("测试镇政府", OrgKind.TOWNSHIP, tree.county, valid_to=dt.date(2012, 1, 1))
    with pytest.raises(OrganisationNotFound, match="多个"):
        resolve_org("测试镇政府")


def test_effective_dating_in_resolution_writes_and_reform_years(tree: Tree) -> None:
    from gongkai.catalog.actions import record_publication
    from gongkai.catalog.models import Channel, ChannelKind
    from gongkai.reports.build import build_report
    from gongkai.reports.document import to_markdown

    old = make_org("测试县国土资源局", OrgKind.DEPARTMENT, tree.county, valid_to=dt.date(2019, 1, 31))
    new = make_org(
        "测试县自然资源局",
        OrgKind.DEPARTMENT,
        tree.county,
        valid_from=dt.date(2019, 2, 1),
        short_name="测试县国土资源局",
    )
    old.successor = new
    save_organisation("test", old)
    assert resolve_org("测试县国土资源局", 2014) == old
    assert resolve_org("测试县国土资源局", 2020) == new
    site = Channel.objects.create(
        name="县门户", kind=ChannelKind.objects.get(code="website"), owner=tree.county
    )
    record_publication(
        "t", old, title="a", made_on=dt.date(2019, 1, 10), published_on=dt.date(2019, 1, 14), channels=[site]
    )
    record_publication(
        "t", old, title="b", made_on=dt.date(2018, 6, 1), published_on=dt.date(2018, 6, 4), channels=[site]
    )
    with pytest.raises(ValidationError) as err:
        record_publication(
            "t",
            old,
            title="c",
            made_on=dt.date(2019, 3, 1),
            published_on=dt.date(2019, 3, 4),
            channels=[site],
        )
    assert "body" in err.value.message_dict
    # The successor reports its predecessor's January 2019 in the reform year, not its 2018.
    assert build_report(new, 2019, "2014").values()["p14.items"] == 1
    assert build_report(new, 2018, "2014").values()["p14.items"] == 0
    assert build_report(tree.county, 2019, "2014").values()["p14.items"] == 1  # no double counting
    assert "2018年度不存在" in to_markdown(build_report(new, 2018, "2014"))
