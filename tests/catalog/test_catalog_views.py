"""Staff catalog pages: drafting with attachments, review, publishing only after review, revise, withdraw,
repeal, interpretation links, the list's filters and counts, and access by persona."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions as p
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import (
    Attachment,
    Channel,
    ChannelKind,
    ConfidentialityReview,
    Genre,
    Publication,
    PublicationVersion,
)
from gongkai.catalog.revisions import proposed
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def portal(tree: Tree) -> Channel:
    return Channel.objects.create(
        name="测试市政府门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def draft_data(**extra: Any) -> dict[str, Any]:
    return {
        "body_choice": "",
        "title": "关于2026年义务教育招生工作的通知",
        "document_number": "测教〔2026〕3号",
        "made_on": "2026-03-10",
        "text": "各学校：现将招生工作通知如下。",
        "keywords": "招生 义务教育",
        "normative_kind": "",
    } | extra


def make_draft(tree: Tree, personas: Personas, **fields: Any) -> Publication:
    values: dict[str, Any] = {"title": "关于招生的通知", "made_on": D(2026, 3, 10), "text": "正文"} | fields
    pub, _warnings = p.create_draft(personas.clerk, tree.education, **values)
    return pub


def published(tree: Tree, personas: Personas, portal: Channel, **fields: Any) -> Publication:
    pub = make_draft(tree, personas, **fields)
    p.review(personas.reviewer, pub, on=D(2026, 3, 11), conclusion="passed")
    return p.publish(personas.clerk, pub, on=D(2026, 3, 12), channels=[portal])


def act(client: Client, pub: Publication, action: str, follow: bool = False, **fields: Any) -> Any:
    data = {"action": action} | {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(f"/staff/catalog/{pub.pk}/", data, follow=follow)


@time_machine.travel(NOW, tick=False)
def test_clerk_drafts_with_an_attachment_and_sees_masked_warnings(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)
    upload = SimpleUploadedFile("../../招生 方案.pdf", PDF, content_type="application/pdf")
    data = draft_data(
        body_choice=str(tree.education.pk),
        text="咨询电话13812345678，联系人身份证11010519491231002X",
        attachments=[upload],
    )
    response = client.post("/staff/catalog/new/", data, follow=True)
    pub = Publication.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/catalog/{pub.pk}/"
    page = response.content.decode()
    assert (pub.status, pub.body, pub.document_number) == ("draft", tree.education, "测教〔2026〕3号")
    assert index_number(pub) in page
    assert "138****5678" in page and "110***********002X" in page
    assert "13812345678" not in page and "11010519491231002X" not in page
    attachment = Attachment.objects.get()
    assert attachment.name == "招生_方案.pdf"  # directory part dropped, space made safe
    assert (attachment.size, attachment.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert attachment.file.read() == PDF and attachment.sha256 in page
    actions = list(AuditEntry.objects.for_object(pub).values_list("action", flat=True).order_by("id"))
    assert actions == ["publication.draft", "publication.attachment_add"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("setup.exe", b"MZ\x90\x00", "类型不允许"),
        ("通知.pdf", b"<html>not a pdf</html>", "内容与扩展名.pdf不符"),
        ("空.docx", b"", "附件"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_attachments_are_refused_and_nothing_is_written(
    tree: Tree, personas: Personas, media: Path, name: str, content: bytes, reason: str
) -> None:
    client = login(personas.clerk)
    good = SimpleUploadedFile("good.png", PNG)
    bad = SimpleUploadedFile(name, content)
    response = client.post("/staff/catalog/new/", draft_data(attachments=[good, bad]))
    page = response.content.decode()
    assert response.status_code == 200 and "附件" in page and reason in page
    assert not Publication.objects.exists() and not Attachment.objects.exists()
    assert not any(media.rglob("*.png"))


def test_attachments_above_the_size_limit_are_refused(tree: Tree, personas: Personas, settings: Any) -> None:
    settings.GONGKAI_ATTACHMENT_MAX_MB = 1
    pub = make_draft(tree, personas)
    client = login(personas.clerk)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    page = client.post(f"/staff/catalog/{pub.pk}/attachments/", {"attachments": [big]}).content.decode()
    assert "超过大小上限1MB" in page and not Attachment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_bad_draft_names_the_field_and_writes_nothing(tree: Tree, personas: Personas) -> None:
    client = login(personas.clerk)
    page = client.post("/staff/catalog/new/", draft_data(title="", made_on="2026-02-30")).content.decode()
    assert "标题" in page and "成文日期" in page
    page = client.post(
        "/staff/catalog/new/", draft_data(normative_kind="", repealed_on="2026-03-20")
    ).content.decode()
    assert "废止日期" in page and "只有规范性文件才有废止日期" in page
    page = client.post(
        "/staff/catalog/new/", draft_data(interprets_number="不存在/2026-00001")
    ).content.decode()
    assert "找不到索引号为“不存在/2026-00001”的文件" in page
    assert not Publication.objects.exists() and not AuditEntry.objects.filter(
        action__startswith="publication"
    )


@time_machine.travel(NOW, tick=False)
def test_reviewer_reviews_and_the_clerk_cannot(tree: Tree, personas: Personas) -> None:
    pub = make_draft(tree, personas)
    clerk = login(personas.clerk)
    assert "review-conclusion" not in clerk.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert act(clerk, pub, "review", on="2026-03-12", conclusion="passed").status_code == 403
    assert not ConfidentialityReview.objects.exists()
    reviewer = login(personas.reviewer)
    page = act(reviewer, pub, "review", on="2026-03-12", conclusion="failed", note="").content.decode()
    assert "审查意见" in page and "不同意公开的，请写明理由" in page
    response = act(reviewer, pub, "review", on="2026-03-12", conclusion="passed")
    assert response.status_code == 302
    review = ConfidentialityReview.objects.get()
    assert (review.reviewer, review.conclusion, review.version) == (personas.reviewer, "passed", 1)
    assert AuditEntry.objects.filter(action="publication.review", actor_label="reviewer").count() == 1
    page = clerk.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "已通过保密审查" in page and f"/staff/catalog/{pub.pk}/edit/" not in page


@time_machine.travel(NOW, tick=False)
def test_publishing_without_review_is_refused_with_the_reason(
    tree: Tree, personas: Personas, portal: Channel
) -> None:
    pub = make_draft(tree, personas)
    client = login(personas.clerk)
    response = act(client, pub, "publish", on="2026-03-16", channels=[str(portal.pk)])
    assert response.status_code == 200 and "未经保密审查或审查未通过，不能发布" in response.content.decode()
    pub.refresh_from_db()
    assert (pub.status, pub.published_on) == ("draft", None)
    assert not AuditEntry.objects.filter(action="publication.publish").exists()


@time_machine.travel(NOW, tick=False)
def test_publishing_on_the_body_and_its_governments_channels_flags_lateness(
    tree: Tree, personas: Personas, portal: Channel
) -> None:
    county_site = Channel.objects.create(
        name="测试县门户", kind=ChannelKind.objects.get(code="website"), owner=tree.county
    )
    pub = make_draft(tree, personas, made_on=D(2026, 1, 5))  # 20 working days end in early February
    p.review(personas.reviewer, pub, on=D(2026, 3, 13), conclusion="passed")
    client = login(personas.clerk)
    page = client.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "测试市政府门户" in page and "测试县门户" not in page  # the city governs the education bureau
    assert "现在发布将被记录为超期发布" in page
    page = act(client, pub, "publish", on="2026-03-16", channels=[str(county_site.pk)]).content.decode()
    assert "发布渠道" in page and Publication.objects.get().status == "draft"
    response = act(client, pub, "publish", on="2026-03-16", channels=[str(portal.pk)])
    assert response.status_code == 302
    pub.refresh_from_db()
    assert (pub.status, pub.published_on, pub.postings.get().channel) == ("published", D(2026, 3, 16), portal)
    page = client.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "超期发布" in page
    assert AuditEntry.objects.get(action="publication.publish").after["late"] is True


@time_machine.travel(NOW, tick=False)
def test_revise_shows_version_two_and_keeps_version_one(
    tree: Tree, personas: Personas, portal: Channel, django_capture_on_commit_callbacks: Any
) -> None:
    pub = make_draft(tree, personas, title="第一版标题")
    p.add_attachment(personas.clerk, pub, SimpleUploadedFile("v1.pdf", PDF))
    p.review(personas.reviewer, pub, on=D(2026, 3, 11), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 12), channels=[portal])
    client = login(personas.clerk)
    v2_pdf = PDF + b"% v2\n"
    response = client.post(
        f"/staff/catalog/{pub.pk}/",
        {
            "action": "revise",
            "revise-reason": "更正招生人数",
            "revise-on": "2026-03-12",
            "revise-title": "第二版标题",
            "revise-text": "更正后的正文",
            "revise-document_number": "",
            "revise-attachments": [SimpleUploadedFile("v2.pdf", v2_pdf)],
        },
    )
    assert response.status_code == 302
    pub.refresh_from_db()
    # The row (what the public sees) keeps version 1 until the revision is reviewed and published.
    assert (pub.version, pub.status, pub.title) == (2, "draft", "第一版标题")
    assert (proposed(pub).title, proposed(pub).text) == ("第二版标题", "更正后的正文")
    v1 = PublicationVersion.objects.get(publication=pub)
    assert (v1.version, v1.title, v1.reason) == (1, "第一版标题", "更正招生人数")
    page = client.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "第2版" in page and "第二版标题" in page and "第一版标题" in page and "更正招生人数" in page
    assert sorted(pub.attachments.values_list("name", "added_in_version")) == [("v1.pdf", 1), ("v2.pdf", 2)]
    # The file that went out with version 1 stays; the new one may be removed before the review.
    old, new = pub.attachments.order_by("id")
    response = client.post(f"/staff/catalog/{pub.pk}/attachments/{old.pk}/remove", follow=True)
    assert "随第1版发布，不能删除" in response.content.decode() and Attachment.objects.filter(pk=old.pk)
    path = Path(new.file.path)
    assert path.read_bytes() == v2_pdf
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/catalog/{pub.pk}/attachments/{new.pk}/remove")
    assert response.status_code == 302 and not Attachment.objects.filter(pk=new.pk).exists()
    assert not path.exists() and Path(old.file.path).exists()
    assert AuditEntry.objects.filter(action="publication.attachment_remove").count() == 1
    # The new version needs its own review before it is published again.
    page = act(client, pub, "publish", on="2026-03-16").content.decode()
    assert "未经保密审查" in page


@time_machine.travel(NOW, tick=False)
def test_withdraw_needs_a_reason_and_keeps_the_item(tree: Tree, personas: Personas, portal: Channel) -> None:
    pub = published(tree, personas, portal)
    client = login(personas.clerk)
    page = act(client, pub, "withdraw", reason="").content.decode()
    assert "撤回原因" in page and Publication.objects.get().status == "published"
    assert act(client, pub, "withdraw", reason="政策已调整").status_code == 302
    pub.refresh_from_db()
    assert pub.status == "withdrawn"
    entry = AuditEntry.objects.get(action="publication.withdraw")
    assert (entry.actor_label, entry.summary) == ("clerk", "政策已调整")
    page = client.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "已撤回" in page and 'value="withdraw"' not in page and 'value="revise"' not in page


@time_machine.travel(NOW, tick=False)
def test_repeal_a_normative_document_keeps_it_published(
    tree: Tree, personas: Personas, portal: Channel
) -> None:
    pub = published(tree, personas, portal, normative_kind="normative", issued_on=D(2026, 3, 10))
    ordinary = published(tree, personas, portal, title="普通通知")
    client = login(personas.clerk)
    assert 'value="repeal"' not in client.get(f"/staff/catalog/{ordinary.pk}/").content.decode()
    assert (
        "只有规章和行政规范性文件才能废止"
        in act(client, ordinary, "repeal", on="2026-03-16", reason="x", follow=True).content.decode()
    )
    page = act(client, pub, "repeal", on="2026-03-01", reason="有效期届满").content.decode()
    assert "废止日期不能早于印发日期2026-03-10" in page
    assert act(client, pub, "repeal", on="2026-03-16", reason="根据市政府决定废止").status_code == 302
    pub.refresh_from_db()
    assert (pub.status, pub.repealed_on) == ("published", D(2026, 3, 16))
    assert AuditEntry.objects.get(action="publication.repeal").after["reason"] == "根据市政府决定废止"
    page = client.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "已废止" in page and 'value="repeal"' not in page
    assert Publication.objects.in_force_on(D(2026, 3, 16)).count() == 0
    assert (
        "该文件已于2026-03-16废止"
        in act(client, pub, "repeal", on="2026-03-16", reason="再次", follow=True).content.decode()
    )


@time_machine.travel(NOW, tick=False)
def test_an_interpretation_and_its_policy_link_both_ways(
    tree: Tree, personas: Personas, portal: Channel
) -> None:
    policy = published(tree, personas, portal, title="测试市义务教育招生办法", normative_kind="normative")
    number = index_number(policy)
    client = login(personas.clerk)
    jiedu = Genre.objects.get(code=Genre.INTERPRETATION)
    tongzhi = Genre.objects.get(code="tongzhi")
    page = client.post(
        "/staff/catalog/new/", draft_data(title="解读", genre=str(tongzhi.pk), interprets_number=number)
    ).content.decode()
    assert "只有体裁为“解读”的信息才能关联被解读的政策文件" in page
    response = client.post(
        "/staff/catalog/new/",
        draft_data(title="《招生办法》政策解读", genre=str(jiedu.pk), interprets_number=number),
    )
    interpretation = Publication.objects.get(title="《招生办法》政策解读")
    assert response.status_code == 302 and interpretation.interprets == policy
    page = client.get(f"/staff/catalog/{interpretation.pk}/").content.decode()
    assert f'href="/staff/catalog/{policy.pk}/"' in page and number in page and "解读的政策文件" in page
    page = client.get(f"/staff/catalog/{policy.pk}/").content.decode()
    assert "本文件的解读" in page and f'href="/staff/catalog/{interpretation.pk}/"' in page
    # The county's staff may interpret the city's published policy but not the city's drafts.
    county_clerk = _county_clerk(tree)
    draft = make_draft(tree, personas, title="未发布的办法")
    page = (
        login(county_clerk)
        .post(
            "/staff/catalog/new/",
            draft_data(title="县里的解读", genre=str(jiedu.pk), interprets_number=index_number(draft)),
        )
        .content.decode()
    )
    assert "被解读的文件须为本机关的文件或已发布的文件" in page


def _county_clerk(tree: Tree) -> Any:
    from gongkai.accounts.models import Role
    from tests.conftest import make_user

    return make_user("county-clerk", tree.county_police, Role.CLERK)


@time_machine.travel(NOW, tick=False)
def test_edit_draft_is_audited_and_rechecks_warnings(tree: Tree, personas: Personas) -> None:
    pub = make_draft(tree, personas)
    client = login(personas.clerk)
    form_page = client.get(f"/staff/catalog/{pub.pk}/edit/").content.decode()
    assert "关于招生的通知" in form_page
    response = client.post(
        f"/staff/catalog/{pub.pk}/edit/",
        draft_data(title="关于招生的通知（修改）", text="联系电话13912345678"),
        follow=True,
    )
    page = response.content.decode()
    assert "139****5678" in page and "13912345678" not in page
    entry = AuditEntry.objects.get(action="publication.update")
    assert entry.before["title"] == "关于招生的通知" and entry.after["title"] == "关于招生的通知（修改）"
    assert "made_on" not in entry.after or entry.before["made_on"] != entry.after["made_on"]
    pub.refresh_from_db()
    assert (pub.index_serial, pub.document_number) == (1, "测教〔2026〕3号")
    # After a passed review the draft is frozen until the reviewer sends it back.
    p.review(personas.reviewer, pub, on=D(2026, 3, 16), conclusion="passed")
    response = client.post(f"/staff/catalog/{pub.pk}/edit/", draft_data(title="偷改"), follow=True)
    assert "只有尚未通过保密审查的草稿才能修改" in response.content.decode()
    assert Publication.objects.get().title == "关于招生的通知（修改）"
    with pytest.raises(p.IllegalStep):
        p.update_draft(personas.clerk, pub, title="偷改")
    p.review(personas.reviewer, pub, on=D(2026, 3, 16), conclusion="failed", note="请删除电话号码")
    assert client.get(f"/staff/catalog/{pub.pk}/edit/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_supervisor_reads_the_subtree_but_writes_nothing(tree: Tree, personas: Personas) -> None:
    police_clerk = _county_clerk(tree)
    pub, _warnings = p.create_draft(
        police_clerk, tree.county_police, title="县公安局通告", made_on=D(2026, 3, 2)
    )
    supervisor = login(personas.supervisor)
    assert "县公安局通告" in supervisor.get("/staff/catalog/").content.decode()
    page = supervisor.get(f"/staff/catalog/{pub.pk}/").content.decode()
    assert "县公安局通告" in page and 'name="action"' not in page and "/edit/" not in page
    assert act(supervisor, pub, "publish", on="2026-03-16").status_code == 403
    assert supervisor.post(f"/staff/catalog/{pub.pk}/edit/", draft_data()).status_code == 403
    assert supervisor.get("/staff/catalog/new/").status_code == 403
    upload = SimpleUploadedFile("x.pdf", PDF)
    assert (
        supervisor.post(f"/staff/catalog/{pub.pk}/attachments/", {"attachments": [upload]}).status_code == 403
    )
    assert Publication.objects.get().title == "县公安局通告" and not Attachment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_outsiders_and_other_bodies_get_nothing(tree: Tree, personas: Personas) -> None:
    pub = make_draft(tree, personas)
    attachment = p.add_attachment(personas.clerk, pub, SimpleUploadedFile("a.pdf", PDF))
    outsider = login(personas.outsider)
    assert outsider.get("/staff/catalog/").status_code == 403
    assert outsider.get(f"/staff/catalog/{pub.pk}/").status_code == 404
    assert Client().get("/staff/catalog/").status_code == 302  # to the login page
    other = login(_county_clerk(tree))
    assert other.get(f"/staff/catalog/{pub.pk}/").status_code == 404
    assert other.get(f"/staff/catalog/{pub.pk}/attachments/{attachment.pk}/").status_code == 404
    assert act(other, pub, "withdraw", reason="x").status_code == 404
    assert "关于招生的通知" not in other.get("/staff/catalog/").content.decode()
    own = login(personas.clerk).get(f"/staff/catalog/{pub.pk}/attachments/{attachment.pk}/")
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF  # type: ignore[attr-defined]
    assert login(personas.clerk).post(f"/staff/catalog/{pub.pk}/", {"action": "launch"}).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_list_filters_counts_and_pages(
    tree: Tree, personas: Personas, portal: Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_time = published(tree, personas, portal, title="按时发布")
    late = make_draft(tree, personas, title="迟发的通知", made_on=D(2026, 1, 5))
    p.review(personas.reviewer, late, on=D(2026, 3, 12), conclusion="passed")
    p.publish(personas.clerk, late, on=D(2026, 3, 12), channels=[portal])
    make_draft(tree, personas, title="待审查草稿")
    ready = make_draft(tree, personas, title="已审查草稿")
    p.review(personas.reviewer, ready, on=D(2026, 3, 12), conclusion="passed")
    make_draft(tree, personas, title="去年的规范性文件", made_on=D(2025, 6, 2), normative_kind="normative")
    client = login(personas.clerk)

    def titles(query: str) -> set[str]:
        page = client.get(f"/staff/catalog/?{query}").content.decode()
        return {
            t for t in ("按时发布", "迟发的通知", "待审查草稿", "已审查草稿", "去年的规范性文件") if t in page
        }

    page = client.get("/staff/catalog/").content.decode()
    assert "已发布（2）" in page and "草稿（3）" in page and "全部（5）" in page
    assert titles("status=published") == {"按时发布", "迟发的通知"}
    assert titles("stage=awaiting_review") == {"待审查草稿", "去年的规范性文件"}
    assert titles("stage=ready") == {"已审查草稿"}
    # Published late, or unpublished past the deadline; the year defaults to this year and says so.
    assert titles("late=on") == {"迟发的通知"}
    assert 'name="year" value="2026"' in client.get("/staff/catalog/?late=on").content.decode()
    assert titles("late=on&year=2025") == {"去年的规范性文件"}
    assert titles("year=2025") == {"去年的规范性文件"}
    assert titles("normative=yes") == {"去年的规范性文件"}
    assert titles("q=测教") == set() and titles("q=迟发") == {"迟发的通知"}
    assert "草稿（1）" in client.get("/staff/catalog/?year=2025").content.decode()
    monkeypatch.setattr("gongkai.catalog.views.PAGE_SIZE", 2)
    first = client.get("/staff/catalog/?status=draft").content.decode()
    assert "第1页，共2页" in first and "page=2" in first and "status=draft" in first
    del on_time


def test_the_late_filter_agrees_with_the_calendar_for_every_day(tree: Tree, personas: Personas) -> None:
    """The SQL deadline (runs of days mapped to their deadline) equals ``publication_deadline`` per item."""
    start = D(2025, 12, 20)
    pubs = []
    for offset in range(0, 60, 3):
        pub = make_draft(tree, personas, title=f"第{offset}天", made_on=start + dt.timedelta(days=offset))
        Publication.objects.filter(pk=pub.pk).update(
            status="published", published_on=start + dt.timedelta(days=offset + 25 + offset % 7)
        )
        pubs.append(Publication.objects.get(pk=pub.pk))
    annotated = dict(p.with_deadline(Publication.objects.all()).values_list("pk", "deadline"))
    assert annotated == {pub.pk: p.publication_deadline(pub) for pub in pubs}
    expected = {pub.pk for pub in pubs if p.is_late(pub, D(2026, 12, 31))}
    assert 0 < len(expected) < len(pubs)
    assert (
        set(p.late_items(Publication.objects.all(), D(2026, 12, 31)).values_list("pk", flat=True)) == expected
    )
