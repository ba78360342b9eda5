"""Staff report page, publishing, and the public report URL — with the personas of tests/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai import permissions
from gongkai.audit.models import AuditEntry
from gongkai.catalog.actions import record_publication
from gongkai.catalog.models import Channel, ChannelKind
from gongkai.reports.actions import save_narrative
from gongkai.reports.models import ReportPublication
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db


def login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def write_section_seven(tree: Tree) -> None:
    """Section 七's default is a blank to fill in (an error until the body writes it: rule "fill_in")."""
    save_narrative("test", tree.city, "2014", 7, "本年度工作中的问题已逐项整改。", year=2014)


@pytest.fixture
def published_item(tree: Tree) -> None:
    site = Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city)
    record_publication(
        "test",
        tree.education,
        title="关于招生的通知",
        made_on=dt.date(2014, 3, 3),
        published_on=dt.date(2014, 3, 4),
        channels=[site],
    )


def staff_url(tree_org: object, year: int = 2014) -> str:
    return f"/staff/reports/{tree_org.org_code}/{year}/"  # type: ignore[attr-defined]


def test_visibility_follows_body_and_supervision(tree: Tree, personas: Personas) -> None:
    assert set(permissions.visible_orgs(personas.clerk)) == {tree.education}
    assert set(permissions.visible_orgs(personas.supervisor)) == {tree.county, tree.county_police}
    assert not permissions.visible_orgs(personas.outsider).exists()
    assert permissions.can_publish_report(personas.office_head, tree.city)
    assert not permissions.can_publish_report(personas.clerk, tree.education)
    assert not permissions.can_publish_report(personas.supervisor, tree.county)


def test_clerk_sees_own_report_but_not_another_body(
    client: Client, tree: Tree, personas: Personas, published_item: None
) -> None:
    login(client, personas.clerk)
    page = client.get(staff_url(tree.education))
    assert page.status_code == 200
    assert "测试市教育局2014年政府信息公开工作年度报告" in page.content.decode()
    assert client.get(staff_url(tree.city)).status_code == 403
    assert client.get(staff_url(tree.county)).status_code == 403


def test_supervisor_reads_the_supervised_subtree_only(client: Client, tree: Tree, personas: Personas) -> None:
    login(client, personas.supervisor)
    assert client.get(staff_url(tree.county_police)).status_code == 200
    assert client.get(staff_url(tree.education)).status_code == 403


def test_anonymous_staff_pages_redirect_to_login(client: Client, tree: Tree) -> None:
    response = client.get(staff_url(tree.city))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_public_report_appears_only_once_published(
    client: Client, tree: Tree, personas: Personas, published_item: None
) -> None:
    write_section_seven(tree)
    public = f"/reports/{tree.city.org_code}/2014/"
    assert client.get(public).status_code == 404
    staff = login(Client(), personas.office_head)
    response = staff.post(f"{staff_url(tree.city)}publish", {"scope": "subtree", "action": "publish"})
    assert response.status_code == 302
    page = client.get(public)
    assert page.status_code == 200
    text = page.content.decode()
    assert "测试市人民政府2014年政府信息公开工作年度报告" in text
    assert "全市共主动公开政府信息1条" in text
    entry = AuditEntry.objects.get(action="report.publish")
    assert entry.actor_label == "office-head" and entry.after["published_at"]
    assert f"/reports/{tree.city.org_code}/2014/" in client.get("/reports/").content.decode()
    staff.post(f"{staff_url(tree.city)}publish", {"scope": "subtree", "action": "withdraw"})
    assert client.get(public).status_code == 404
    assert AuditEntry.objects.filter(action="report.withdraw").count() == 1


def test_only_the_office_head_may_publish(client: Client, tree: Tree, personas: Personas) -> None:
    login(client, personas.clerk)
    assert client.post(f"{staff_url(tree.education)}publish", {"action": "publish"}).status_code == 403
    assert not ReportPublication.objects.exists()


def test_downloads_and_bad_years(
    client: Client, tree: Tree, personas: Personas, published_item: None
) -> None:
    login(client, personas.office_head)
    data = client.get(staff_url(tree.city), {"download": "json"}).json()
    assert data["org"] == "测试市人民政府" and data["scope"] == "subtree"
    own = client.get(staff_url(tree.city), {"download": "json", "scope": "own"}).json()
    row = "一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
    assert [c["value"] for c in data["cells"] if c["row"] == row] == [1]
    assert [c["value"] for c in own["cells"] if c["row"] == row] == [0]
    assert (
        "| 　（一）主动公开政府信息数"
        in client.get(staff_url(tree.city), {"download": "md"}).content.decode()
    )
    docx = client.get(staff_url(tree.city), {"download": "docx"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")  # every export type, as a draft
    assert "draft.docx" in docx["Content-Disposition"]
    assert client.get(staff_url(tree.city), {"download": "exe"}).status_code == 404
    assert client.get(staff_url(tree.city, 1999)).status_code == 404
    assert client.get(staff_url(tree.city), {"year": "abc"}).status_code == 404
    assert client.get(staff_url(tree.city), {"year": "2013"}).status_code == 302


def test_an_empty_year_is_a_report_of_zeros_not_an_error(
    client: Client, tree: Tree, personas: Personas
) -> None:
    login(client, personas.office_head)
    page = client.get(staff_url(tree.city, 2012))
    assert page.status_code == 200
    assert "本年度没有任何记录，以下数字均为0。" in page.content.decode()


def test_a_format_with_an_undeclared_cell_says_so_and_cannot_be_published(
    client: Client, tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai.reports.registry import REGISTRY

    monkeypatch.delitem(REGISTRY, "t2.fee.amount")
    login(client, personas.office_head)
    page = client.get(staff_url(tree.city, 2021))
    assert page.status_code == 200
    assert "尚有1个" in page.content.decode()
    response = client.post(f"{staff_url(tree.city, 2021)}publish", {"action": "publish"})
    assert response.status_code == 302 and not ReportPublication.objects.exists()


def test_the_2021_format_builds_and_publishes(client: Client, tree: Tree, personas: Personas) -> None:
    login(client, personas.office_head)
    page = client.get(staff_url(tree.city, 2021)).content.decode()
    assert "尚有" not in page and "行政规范性文件" in page and "本年制发件数" in page


def test_body_staff_edit_a_section_and_the_report_uses_it(
    client: Client, tree: Tree, personas: Personas, published_item: None
) -> None:
    login(client, personas.clerk)
    url = f"{staff_url(tree.education)}sections/2/"
    form = client.get(url)
    assert form.status_code == 200 and "{p14.items}" in form.content.decode()
    bad = client.post(url, {"text": "共公开{p14.items}条，另有{p14.typo}条。"})
    assert bad.status_code == 200 and "{p14.typo}" in bad.content.decode()
    assert not AuditEntry.objects.filter(action="report.narrative.save").exists()
    assert client.post(url, {"text": "本局共公开{p14.items}条。"}).status_code == 302
    assert "本局共公开1条。" in client.get(staff_url(tree.education)).content.decode()
    assert AuditEntry.objects.get(action="report.narrative.save").actor_label == "clerk"
    # The text is for 2014 only unless it carries forward, and then only to later years.
    assert "本局共公开" not in client.get(staff_url(tree.education, 2015)).content.decode()
    client.post(
        f"{staff_url(tree.education, 2016)}sections/2/",
        {"text": "沿用{p14.items}。", "carries_forward": "on"},
    )
    assert "沿用0。" in client.get(staff_url(tree.education, 2018)).content.decode()
    assert "沿用" not in client.get(staff_url(tree.education, 2015)).content.decode()
    assert "本局共公开1条。" in client.get(staff_url(tree.education)).content.decode()


def test_supervisors_and_other_bodies_cannot_edit(client: Client, tree: Tree, personas: Personas) -> None:
    login(client, personas.supervisor)
    assert client.get(f"{staff_url(tree.county)}sections/1/").status_code == 403
    login(client, personas.clerk)
    assert client.get(f"{staff_url(tree.city)}sections/1/").status_code == 403
    assert client.get(f"{staff_url(tree.education)}sections/9/").status_code == 404


def test_a_published_report_is_frozen(
    client: Client, tree: Tree, personas: Personas, published_item: None
) -> None:
    write_section_seven(tree)
    staff = login(Client(), personas.office_head)
    staff.post(f"{staff_url(tree.city)}publish", {"scope": "subtree", "action": "publish"})
    publication = ReportPublication.objects.get()
    public = f"/reports/{tree.city.org_code}/2014/"
    before = client.get(public).content.decode()
    assert "全市共主动公开政府信息1条" in before and len(publication.checksum) == 64
    # Records and text change after publishing: the public page and the checksum do not.
    site = Channel.objects.get()
    record_publication(
        "test",
        tree.county,
        title="后补录的信息",
        made_on=dt.date(2014, 5, 5),
        published_on=dt.date(2014, 5, 6),
        channels=[site],
    )
    staff.post(f"{staff_url(tree.city)}sections/2/", {"text": "改写后共{p14.items}条。"})
    after = client.get(public).content.decode()
    assert after == before
    publication.refresh_from_db()
    assert publication.snapshot["json"]["cells"][0]["value"] == 1  # type: ignore[index]
    assert "改写后共2条。" in staff.get(staff_url(tree.city)).content.decode()  # the live staff view moves on


def test_publish_and_edit_require_the_csrf_token(tree: Tree, personas: Personas) -> None:
    client = login(Client(enforce_csrf_checks=True), personas.office_head)
    assert client.post(f"{staff_url(tree.city)}publish", {"action": "publish"}).status_code == 403
    assert client.post(f"{staff_url(tree.city)}sections/2/", {"text": "x"}).status_code == 403
    assert not ReportPublication.objects.exists()


def test_publishing_a_year_out_of_range_is_a_404_not_an_error(
    client: Client, tree: Tree, personas: Personas
) -> None:
    login(client, personas.office_head)
    assert (
        client.post(f"/staff/reports/{tree.city.org_code}/1900/publish", {"action": "publish"}).status_code
        == 404
    )
    assert not ReportPublication.objects.exists()
