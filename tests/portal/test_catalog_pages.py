"""The public catalog: only published items are public, stable filter URLs with counts, the document page with
its metadata, versions, attachments and interpretation links both ways, withdrawn items, the bodies' columns
(指南 · 制度 · 法定主动公开内容 · 年报) and the trend chart."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions as p
from gongkai.catalog.models import Attachment, Channel, ChannelKind, Genre, KeyArea, Publication, Topic
from gongkai.portal.actions import save_guide
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def site(tree: Tree) -> Channel:
    return Channel.objects.create(
        name="测试市门户网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )


def published(
    tree: Tree, personas: Personas, site: Channel, title: str, on: dt.date, **extra: object
) -> Publication:
    pub, _w = p.create_draft(personas.clerk, tree.education, title=title, made_on=on, **extra)
    p.review(personas.reviewer, pub, on=on, conclusion="passed")
    return p.publish(personas.clerk, pub, on=on, channels=[site])


def url(pub: Publication) -> str:
    return reverse(
        "portal:document",
        kwargs={"index_code": pub.index_code, "year": pub.index_year, "serial": pub.index_serial},
    )


def test_only_published_items_are_public(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    shown = published(tree, personas, site, "关于做好2025年招生工作的通知", D(2025, 3, 3), text="招生正文")
    draft, _w = p.create_draft(personas.clerk, tree.education, title="未审查的草稿", made_on=D(2025, 3, 4))
    page = client.get(reverse("portal:catalog")).content.decode()
    assert "关于做好2025年招生工作的通知" in page
    assert "未审查的草稿" not in page
    assert client.get(url(shown)).status_code == 200
    assert client.get(url(draft)).status_code == 404


def test_filters_have_stable_urls_and_counts(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    notice = Genre.objects.get(code="tongzhi")
    report = Genre.objects.get(code="baogao")
    topic = Topic.objects.get(code="0101")  # 综合政务\政务公开
    published(tree, personas, site, "二〇二四年的通知", D(2024, 5, 6), genre=notice, topic=topic)
    published(tree, personas, site, "二〇二五年的通知", D(2025, 5, 6), genre=notice)
    published(tree, personas, site, "二〇二五年的报告", D(2025, 6, 9), genre=report)
    by_year = client.get(reverse("portal:catalog"), {"year": "2025"}).content.decode()
    assert (
        "二〇二五年的通知" in by_year and "二〇二五年的报告" in by_year and "二〇二四年的通知" not in by_year
    )
    assert "共 2 条" in by_year
    both = client.get(reverse("portal:catalog"), {"year": "2025", "genre": "baogao"}).content.decode()
    assert "二〇二五年的报告" in both and "二〇二五年的通知" not in both
    # A child topic is found under its parent topic.
    by_topic = client.get(reverse("portal:catalog"), {"topic": "01"}).content.decode()
    assert "二〇二四年的通知" in by_topic and "二〇二五年的通知" not in by_topic
    # Facet counts: the year list under genre=通知 counts one item per year.
    notices = client.get(reverse("portal:catalog"), {"genre": "tongzhi"}).content.decode()
    assert ">2024</a> (1)" in notices and ">2025</a> (1)" in notices
    # Body pages scope the same filters to the body; another body has none of them.
    body_page = client.get(reverse("portal:body_catalog", args=[tree.education.org_code]), {"year": "2024"})
    assert "二〇二四年的通知" in body_page.content.decode()
    assert (
        "共 0 条" in client.get(reverse("portal:body_catalog", args=[tree.county.org_code])).content.decode()
    )
    city_subtree = client.get(reverse("portal:catalog"), {"body": tree.city.org_code, "subtree": "1"})
    assert "共 3 条" in city_subtree.content.decode()


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"year": "1200"}, {"genre": "nope"}, {"topic": "99"}, {"body": "XXXXXXXXX"}]
)
def test_unknown_filters_are_404_not_errors(client: Client, tree: Tree, params: dict[str, str]) -> None:
    assert client.get(reverse("portal:catalog"), params).status_code == 404


def test_document_page_metadata_links_versions_and_attachments(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    policy = published(
        tree,
        personas,
        site,
        "测试市义务教育入学管理办法",
        D(2025, 2, 3),
        document_number="测教〔2025〕3号",
        keywords="入学 学区",
        description="规定义务教育阶段入学办法",
        normative_kind="normative",
        text="第一条 为规范入学。",
    )
    Attachment.objects.create(
        publication=policy,
        name="入学申请表.docx",
        file=ContentFile(b"form", name="form.docx"),
        size=4,
        sha256=hashlib.sha256(b"form").hexdigest(),
        uploaded_at=timezone.now(),
    )
    interpretation = published(
        tree,
        personas,
        site,
        "《测试市义务教育入学管理办法》政策解读",
        D(2025, 2, 4),
        genre=Genre.objects.get(code=Genre.INTERPRETATION),
        interprets=policy,
    )
    page = client.get(url(policy)).content.decode()
    for expected in (
        "测教〔2025〕3号",
        "入学、学区",
        "规定义务教育阶段入学办法",
        "有效",
        "测试市门户网站",
        "入学申请表.docx",
    ):
        assert expected in page
    assert url(interpretation) in page  # the policy links to its interpretation …
    assert url(policy) in client.get(url(interpretation)).content.decode()  # … and back
    download = client.get(
        reverse(
            "portal:attachment",
            args=[policy.index_code, policy.index_year, policy.index_serial, policy.attachments.get().pk],
        )
    )
    assert b"".join(download.streaming_content) == b"form"  # type: ignore[attr-defined]
    assert download["X-Content-SHA256"] == hashlib.sha256(b"form").hexdigest()

    # A revision awaiting review is not public: the page keeps showing the published version.
    p.revise(personas.clerk, policy, reason="更正条款", on=D(2025, 2, 9), text="第一条 修订稿。")
    page = client.get(url(policy)).content.decode()
    assert "第一条 为规范入学。" in page and "第一条 修订稿。" not in page and "正在修订" in page
    policy.refresh_from_db()
    p.review(personas.reviewer, policy, on=D(2025, 2, 10), conclusion="passed")
    p.publish(personas.clerk, policy, on=D(2025, 2, 10))
    page = client.get(url(policy)).content.decode()
    assert "第一条 修订稿。" in page and "第 1 版于" in page and "更正条款" in page


def test_repealed_normative_document_says_so(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    doc = published(tree, personas, site, "旧办法", D(2024, 1, 8), normative_kind="normative")
    Publication.objects.filter(pk=doc.pk).update(repealed_on=D(2024, 12, 31))
    assert "已废止" in client.get(url(doc)).content.decode()


def test_withdrawn_item_is_gone_but_its_number_stays(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    pub = published(tree, personas, site, "将被撤回的信息", D(2025, 4, 1), text="机密正文")
    p.withdraw(personas.clerk, pub, reason="含有不应公开的内容")
    response = client.get(url(pub))
    assert response.status_code == 410
    body = response.content.decode()
    assert "已撤回" in body and "机密正文" not in body and "将被撤回的信息" not in body
    assert "将被撤回的信息" not in client.get(reverse("portal:catalog")).content.decode()


def test_body_columns_guide_rules_reports(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    rule = published(tree, personas, site, "测试市教育局政府信息公开保密审查制度", D(2024, 3, 1))
    missing = client.get(reverse("portal:body_guide", args=[tree.education.org_code])).content.decode()
    assert "尚未填写受理机构" in missing and "二十个工作日" not in missing and "20个工作日" in missing
    with pytest.raises(Exception, match="本机关已发布"):
        other, _w = p.create_draft(personas.clerk, tree.education, title="草稿制度", made_on=D(2024, 3, 2))
        save_guide(
            personas.clerk,
            tree.education,
            revised_on=D(2024, 3, 5),
            office="x",
            address="y",
            hours="z",
            rules=[other],
        )
    save_guide(
        personas.clerk,
        tree.education,
        revised_on=D(2024, 3, 5),
        office="测试市教育局办公室",
        address="测试市人民路1号",
        hours="工作日 8:30-12:00，14:30-17:30",
        phone="0374-1234567",
        rules=[rule],
    )
    assert AuditEntry.objects.filter(action="portal.guide.save").count() == 1
    guide = client.get(reverse("portal:body_guide", args=[tree.education.org_code])).content.decode()
    for expected in ("测试市教育局办公室", "测试市人民路1号", "0374-1234567", "第三十三条", "第五十一条"):
        assert expected in guide
    rules = client.get(reverse("portal:body_rules", args=[tree.education.org_code])).content.decode()
    assert "测试市教育局政府信息公开保密审查制度" in rules
    home = client.get(reverse("portal:body", args=[tree.education.org_code])).content.decode()
    for column in ("指南", "制度", "法定主动公开内容", "年报", "依申请公开"):
        assert column in home
    assert client.get(reverse("portal:body_reports", args=[tree.education.org_code])).status_code == 200
    assert client.get(reverse("portal:bodies")).status_code == 200
    assert client.get(reverse("portal:body", args=["NOSUCHORG"])).status_code == 404


def test_trend_chart_is_svg_with_numbers_beside_it(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    published(tree, personas, site, "二〇二四年信息", D(2024, 5, 6))
    published(tree, personas, site, "二〇二五年信息一", D(2025, 5, 6))
    published(tree, personas, site, "二〇二五年信息二", D(2025, 5, 7))
    chart = client.get(reverse("portal:publications_chart", args=[tree.city.org_code]), {"subtree": "1"})
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.startswith(b"<?xml") and b"<svg" in chart.content
    home = client.get(reverse("portal:home")).content.decode()
    # The chart's numbers are on the page as a table (its text alternative).
    assert '<td class="value">2024</td><td class="value">2025</td>' in home
    assert '<td class="value">1</td><td class="value">2</td>' in home


def test_apply_form_preselects_the_body(client: Client, tree: Tree) -> None:
    page = client.get(reverse("portal:apply"), {"body": str(tree.education.pk)}).content.decode()
    pk = tree.education.pk  # the body step lists its choices as radio buttons (issue 12): the body is checked
    assert f'<input type="radio" name="body" value="{pk}" id="id_body_{pk}" checked>' in page


def test_staff_edit_the_guide_of_their_own_body_only(client: Client, tree: Tree, personas: Personas) -> None:
    edit = reverse("guide:guide_edit", args=[tree.city.org_code])
    client.force_login(personas.clerk)
    assert client.get(edit).status_code == 403
    client.force_login(personas.office_head)
    assert "编辑指南" in client.get(reverse("portal:body_guide", args=[tree.city.org_code])).content.decode()
    bad = client.post(
        edit, {"office": "", "address": "人民路1号", "hours": "工作日", "revised_on": "2026-01-05"}
    )
    assert bad.status_code == 200 and "office" in bad.context["form"].errors
    assert not AuditEntry.objects.filter(action="portal.guide.save").exists()
    good = {
        "office": "测试市人民政府办公室",
        "address": "人民路1号",
        "hours": "工作日",
        "revised_on": "2026-01-05",
    }
    assert client.post(edit, good).status_code == 302
    assert (
        "测试市人民政府办公室"
        in client.get(reverse("portal:body_guide", args=[tree.city.org_code])).content.decode()
    )
    assert AuditEntry.objects.filter(action="portal.guide.save").count() == 1


def test_search_page_finds_in_both_scripts_filters_and_escapes(
    client: Client, tree: Tree, personas: Personas, site: Channel, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the index is updated when the write commits
        published(
            tree,
            personas,
            site,
            "关于保障性住房分配的通知",
            D(2025, 3, 3),
            text="公共租赁住房<script>x</script>",
        )
        published(tree, personas, site, "二〇二四年住房工作总结", D(2024, 3, 3), text="年度总结")
    page = client.get(reverse("portal:search"), {"q": "保障性住房"}).content.decode()
    assert "<mark>保障性住房</mark>" in page and "找到 1 条" in page
    trad = client.get(reverse("portal:search"), {"q": "公共租賃"}).content.decode()  # Traditional 賃
    assert "找到 1 条" in trad and "<script>x" not in trad
    both = client.get(reverse("portal:search"), {"q": "住房"}).content.decode()
    assert "找到 2 条" in both
    only_2024 = client.get(reverse("portal:search"), {"q": "住房", "year": "2024"}).content.decode()
    assert "找到 1 条" in only_2024 and "二〇二四年<mark>住房</mark>工作总结" in only_2024
    other_body = client.get(
        reverse("portal:search"), {"q": "住房", "body": tree.county.org_code}
    ).content.decode()
    assert "找到 0 条" in other_body
    housing = KeyArea.objects.get(code="housing")
    with django_capture_on_commit_callbacks(execute=True):
        published(
            tree,
            personas,
            site,
            "住房保障管理办法",
            D(2025, 4, 1),
            key_area=housing,
            normative_kind="normative",
        )
    by_area = client.get(reverse("portal:search"), {"q": "住房", "area": housing.code}).content.decode()
    assert "找到 1 条" in by_area and "管理办法" in by_area
    normative = client.get(reverse("portal:search"), {"q": "住房", "normative": "1"}).content.decode()
    assert "找到 1 条" in normative and "管理办法" in normative
    for nasty in ["", '"', "*", "a OR b", "%", "_", "'; drop table x; --", "住" * 10_000, "NEAR(住 房)"]:
        assert client.get(reverse("portal:search"), {"q": nasty}).status_code == 200


def test_public_counts_skip_drafts_and_a_pending_revision_reason_stays_internal(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    pub = published(tree, personas, site, "已公开的信息", D(2025, 4, 1), text="原文")
    p.create_draft(personas.clerk, tree.education, title="草稿", made_on=D(2025, 4, 2))
    bodies = client.get(reverse("portal:bodies")).content.decode()
    assert f'{tree.education.name}</a> <span class="meta">1 条信息' in bodies
    p.revise(personas.clerk, pub, reason="内部原因：未审稿", text="新文")
    page = client.get(url(pub)).content.decode()
    assert "内部原因" not in page and "原文" in page


def test_chart_titles_with_dollar_signs_are_text(
    client: Client, tree: Tree, personas: Personas, site: Channel
) -> None:
    tree.education.short_name = r"$\frac{局$"  # invalid mathtext: parsing it would fail
    tree.education.save()
    published(tree, personas, site, "一条信息", D(2025, 4, 1))
    response = client.get(reverse("portal:publications_chart", args=[tree.education.org_code]))
    assert response.status_code == 200 and b"<svg" in response.content


def test_an_item_under_revision_stays_listed_as_last_published(
    client: Client,
    tree: Tree,
    personas: Personas,
    site: Channel,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """While a revision awaits its review the item stays in lists, counts and search, as last published, and
    its unreviewed title and text appear nowhere public."""
    with django_capture_on_commit_callbacks(execute=True):
        pub = published(tree, personas, site, "关于公布收费标准的通知", D(2025, 3, 3), text="旧的收费标准")
        p.revise(
            personas.clerk,
            pub,
            reason="更正",
            on=D(2025, 3, 10),
            title="尚未审查的新标题",
            text="新的收费标准",
        )
    pages = [
        client.get(reverse("portal:catalog")).content.decode(),
        client.get(
            reverse("portal:body_catalog", kwargs={"org_code": tree.education.org_code})
        ).content.decode(),
        client.get(reverse("portal:home")).content.decode(),
        client.get(reverse("portal:search"), {"q": "收费标准"}).content.decode(),
    ]
    pages[3] = pages[3].replace("<mark>", "").replace("</mark>", "")  # search highlights the query
    for page in pages:
        assert "关于公布收费标准的通知" in page
        assert "尚未审查的新标题" not in page and "新的收费标准" not in page
    assert "旧的收费标准" in pages[3]  # the snippet comes from the published text
    assert "尚未审查的新标题" not in client.get(reverse("portal:search"), {"q": "新标题"}).content.decode()
    bodies = client.get(reverse("portal:bodies")).content.decode()
    assert tree.education.name in bodies
    assert Publication.objects.public().count() == 1


def test_a_revision_changes_no_public_metadata_until_it_is_reviewed_and_published(
    client: Client,
    tree: Tree,
    personas: Personas,
    site: Channel,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Defect 13 of issue 10: a revision's new description, keywords, topic, genre and dates were on the public
    document page, in the catalog filters and in the search index before its confidentiality review."""
    old_genre, new_genre = Genre.objects.order_by("pk")[:2]
    old_topic, new_topic = Topic.objects.order_by("pk")[:2]
    with django_capture_on_commit_callbacks(execute=True):
        pub = published(
            tree,
            personas,
            site,
            "关于公布收费标准的通知",
            D(2025, 3, 3),
            description="旧的概述",
            keywords="收费",
            genre=old_genre,
            topic=old_topic,
        )
        p.revise(personas.clerk, pub, reason="更正", on=D(2025, 3, 10), title="尚未审查的新标题")
        pub.refresh_from_db()
        p.update_draft(
            personas.clerk,
            pub,
            description="保密的新概述",
            keywords="秘密关键词",
            genre=new_genre,
            topic=new_topic,
            made_on=D(2025, 3, 5),
        )
    pub.refresh_from_db()
    assert (pub.title, pub.description, pub.genre_id, pub.made_on) == (
        "关于公布收费标准的通知",
        "旧的概述",
        old_genre.pk,
        D(2025, 3, 3),
    )
    page = client.get(url(pub)).content.decode()
    for secret in ("尚未审查的新标题", "保密的新概述", "秘密关键词", new_genre.name, "2025-03-05"):
        assert secret not in page
    assert "旧的概述" in page
    by_genre = client.get(reverse("portal:catalog"), {"genre": new_genre.code}).content.decode()
    assert "关于公布收费标准的通知" not in by_genre
    assert (
        "关于公布收费标准的通知"
        in client.get(reverse("portal:catalog"), {"genre": old_genre.code}).content.decode()
    )
    for query in ("秘密关键词", "保密的新概述"):
        assert (
            "关于公布收费标准的通知"
            not in client.get(reverse("portal:search"), {"q": query}).content.decode()
        )
    # Reviewed and published, the revision is public in every field at once.
    with django_capture_on_commit_callbacks(execute=True):
        p.review(personas.reviewer, pub, on=D(2025, 3, 11), conclusion="passed")
        p.publish(personas.clerk, pub, on=D(2025, 3, 11))
    pub.refresh_from_db()
    assert (pub.title, pub.description, pub.genre_id, pub.pending) == (
        "尚未审查的新标题",
        "保密的新概述",
        new_genre.pk,
        {},
    )
    assert "尚未审查的新标题" in client.get(reverse("portal:search"), {"q": "秘密关键词"}).content.decode()
