"""Bulk import and export of publications: encodings and formats, idempotence by index number, versions,
review records and drafts, line-level errors with nothing written, --skip-bad, progress, and round trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions as t
from gongkai.catalog.actions import index_number, record_publication
from gongkai.catalog.exporting import export_publications, publications_for
from gongkai.catalog.importing import ImportFailed, import_publications
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    ConfidentialityReview,
    IndexNumberTemplate,
    Publication,
    PublicationChannel,
    PublicationVersion,
)
from gongkai.catalog.revisions import proposed
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date
HEADER = [
    "索引号",
    "机关代码",
    "标题",
    "成文日期",
    "发布日期",
    "主题分类",
    "体裁",
    "发布渠道",
    "审查人",
    "审查日期",
    "审查结论",
    "正文",
]


@pytest.fixture
def channels(tree: Tree) -> tuple[Channel, Channel]:
    website = ChannelKind.objects.get(code="website")
    portal = Channel.objects.create(name="测试市政府门户网站", kind=website, owner=tree.city)
    weibo = Channel.objects.create(
        name="教育局微博", kind=ChannelKind.objects.get(code="weibo"), owner=tree.education
    )
    return portal, weibo


def number(tree: Tree, serial: int, year: int = 2025) -> str:
    return f"{tree.education.org_code}/{year}-{serial:05d}"


def row(tree: Tree, serial: int, **values: str) -> dict[str, str]:
    """A published item of the education bureau, reviewed by its reviewer."""
    base = {
        "索引号": number(tree, serial),
        "机关代码": tree.education.org_code,
        "标题": f"关于做好2025年第{serial}批招生工作的通知",
        "成文日期": "2025-03-03",
        "发布日期": "2025-03-10",
        "主题分类": "综合政务\\政务公开",
        "体裁": "通知",
        "发布渠道": "测试市政府门户网站；教育局微博",
        "审查人": "reviewer",
        "审查日期": "2025-03-07",
        "审查结论": "同意公开",
        "正文": f"第{serial}号正文，招生计划见附件。",
    }
    return base | values


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r)) or HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[r.get(h, "") for h in header] for r in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "publications", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(path: Path, *args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "publications", str(path), *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def state() -> tuple[Any, ...]:
    """Everything an import may change, to compare before and after."""
    return (
        sorted(Publication.objects.values_list("id", "title", "text", "status", "version", "published_on")),
        PublicationChannel.objects.count(),
        ConfidentialityReview.objects.count(),
        PublicationVersion.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_lands_published_with_its_review(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel], encoding: str
) -> None:
    path = write_csv(tmp_path / "items.csv", [row(tree, 1), row(tree, 2, 体裁="意见")], encoding)
    out, _err = run(path)
    assert "新增2条" in out
    pub = Publication.objects.get(index_serial=1)
    assert (pub.status, pub.published_on, pub.body, pub.version) == (
        "published",
        D(2025, 3, 10),
        tree.education,
        1,
    )
    assert (pub.topic and pub.topic.code, pub.genre and pub.genre.name) == ("0101", "通知")
    assert index_number(pub) == number(tree, 1)
    assert set(pub.postings.values_list("channel__name", flat=True)) == {"测试市政府门户网站", "教育局微博"}
    review = pub.reviews.get()
    assert (review.reviewer, review.reviewed_on, review.conclusion, review.version) == (
        personas.reviewer,
        D(2025, 3, 7),
        "passed",
        1,
    )
    entry = AuditEntry.objects.get(action="publication.import")
    assert (entry.batch_size, sorted(entry.after["created"])) == (
        2,
        sorted(Publication.objects.values_list("id", flat=True)),
    )


def test_xlsx_import(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    values = row(tree, 7)
    sheet.append([dt.datetime(2025, 3, 3) if h in {"成文日期"} else values[h] for h in HEADER])
    book.save(tmp_path / "items.xlsx")
    run(tmp_path / "items.xlsx")
    pub = Publication.objects.get()
    assert (pub.made_on, pub.status, pub.index_serial) == (D(2025, 3, 3), "published", 7)


def test_json_import_with_english_keys_and_channel_lists(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    items = [
        {
            "index_number": number(tree, 3),
            "body": tree.education.name,
            "title": "招生政策问答",
            "made_on": "2025-04-01",
            "published": "2025-04-02",
            "channels": ["测试市政府门户网站"],
            "reviewer": "reviewer",
            "reviewed_on": "2025-04-02",
            "review_conclusion": "passed",
            "interprets": number(tree, 4),
        },
        {
            "index_number": number(tree, 4),
            "body": tree.education.org_code,
            "title": "招生办法",
            "made_on": "2025-03-30",
        },
    ]
    (tmp_path / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ImportFailed, match="解读"):  # only an interpretation (体裁 解读) links to a policy
        import_publications("test", tmp_path / "items.json")
    items[0]["genre"] = "解读"
    (tmp_path / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    run(tmp_path / "items.json")
    answers, policy = Publication.objects.get(index_serial=3), Publication.objects.get(index_serial=4)
    assert (answers.interprets, answers.status, policy.status) == (policy, "published", "draft")
    assert AuditEntry.objects.filter(action="publication.import_link").count() == 1


def test_reimport_changes_nothing(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    path = write_csv(tmp_path / "items.csv", [row(tree, n) for n in range(1, 6)])
    run(path)
    before = state()
    out, _err = run(path)
    assert "未变5条" in out
    assert state() == before


def test_a_changed_row_makes_version_2_and_keeps_version_1(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    run(write_csv(tmp_path / "v1.csv", [row(tree, 1), row(tree, 2)]))
    # A changed text published again needs a review of the new version …
    stale = write_csv(tmp_path / "stale.csv", [row(tree, 1, 正文="更正后的正文", 状态="已发布")])
    assert "未经保密审查" in failing(stale)
    # … and with one it is version 2, published, the old text kept.
    changed = row(tree, 1, 正文="更正后的正文", 审查日期="2025-03-20")
    out, _err = run(write_csv(tmp_path / "v2.csv", [changed, row(tree, 2)]))
    assert "新版本1条" in out and "未变1条" in out
    pub = Publication.objects.get(index_serial=1)
    assert (pub.version, pub.text, pub.status, pub.published_on) == (
        2,
        "更正后的正文",
        "published",
        D(2025, 3, 10),
    )
    assert pub.versions.get().text == "第1号正文，招生计划见附件。"
    assert pub.reviews.filter(version=2, reviewed_on=D(2025, 3, 20)).exists()
    entry = AuditEntry.objects.get(action="publication.import_update")
    assert entry.batch_size == 1 and entry.before[str(pub.pk)]["text"] == "第1号正文，招生计划见附件。"
    # Without a new review it waits for one as a draft, like transitions.revise (and says so).
    path = write_csv(tmp_path / "v3.csv", [row(tree, 2, 标题="新标题")])
    _out, err = run(path)
    assert "第2行" in err and "待重新审查" in err
    again = Publication.objects.get(index_serial=2)
    # The row keeps what the public sees; the new title waits for its review (catalog.revisions).
    assert (again.status, again.version, again.title, again.published_on) == (
        "draft",
        2,
        row(tree, 2)["标题"],
        D(2025, 3, 10),
    )
    assert again.pending == {"title": "新标题"} and proposed(again).title == "新标题"
    before = state()
    out, _err = run(path)
    assert "未变1条" in out and state() == before
    assert Publication.objects.count() == 2


def test_missing_columns_are_reported_once_up_front(tmp_path: Path, tree: Tree) -> None:
    rows = [{k: v for k, v in row(tree, n).items() if k not in {"标题", "成文日期"}} for n in (1, 2)]
    err = failing(write_csv(tmp_path / "items.csv", rows))
    assert err.count("缺少必需的列") == 2 and "“标题”" in err and "“成文日期”" in err
    assert "第2行" not in err


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_written(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    rows = [
        row(tree, 1),
        row(tree, 2, 成文日期="2025-02-30"),
        row(tree, 3, 机关代码="不存在的局"),
        row(tree, 4, 体裁="诗歌", 发布渠道="别人的网站"),
        row(tree, 5, 索引号="2025-5"),
        row(tree, 6, 审查日期="2025-03-01"),  # reviewed before it was made
        row(tree, 7, 审查日期="2025-03-12"),  # published (2025-03-10) before its review
    ]
    before = state()
    with pytest.raises(ImportFailed) as failed:
        import_publications("test", write_csv(tmp_path / "items.csv", rows))
    messages = [str(p) for p in failed.value.problems]
    assert any(m.startswith("第3行“成文日期”") and "2025-02-30" in m for m in messages)
    assert any(m.startswith("第4行“机关代码”") and "不存在的局" in m for m in messages)
    assert any(m.startswith("第5行“体裁”") for m in messages)
    assert any(m.startswith("第5行“发布渠道”") for m in messages)
    assert any(m.startswith("第6行“索引号”") for m in messages)
    assert any(m.startswith("第7行“审查日期”") and "成文日期" in m for m in messages)
    assert any(m.startswith("第8行“发布日期”") and "保密审查日期（2025-03-12）" in m for m in messages)
    assert not any(m.startswith("第2行") for m in messages)
    assert state() == before


def test_undecodable_bytes_are_reported_with_their_line(tmp_path: Path, tree: Tree) -> None:
    good = write_csv(tmp_path / "good.csv", [row(tree, 1), row(tree, 2)]).read_bytes()
    lines = good.split(b"\n")
    lines[2] = lines[2].replace("招生".encode(), b"\xff\xfe")
    (tmp_path / "bad.csv").write_bytes(b"\n".join(lines))
    err = failing(tmp_path / "bad.csv")
    assert "第3行" in err and "UTF-8" in err and "FF" in err
    gb = write_csv(tmp_path / "gb.csv", [row(tree, 1)], "gb18030").read_bytes() + b"x,\x81\x20\n"
    (tmp_path / "gb.csv").write_bytes(gb)
    assert "第3行" in failing(tmp_path / "gb.csv")
    assert not Publication.objects.exists()


def test_skip_bad_writes_the_good_rows_and_lists_the_bad(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    path = write_csv(tmp_path / "items.csv", [row(tree, 1), row(tree, 2, 发布日期="明天"), row(tree, 3)])
    out, err = run(path, "--skip-bad")
    assert "新增2条" in out and "错误1行" in out
    assert "第3行“发布日期”" in err
    assert sorted(Publication.objects.values_list("index_serial", flat=True)) == [1, 3]


def test_the_same_index_number_twice_is_an_error_for_the_second_row(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    path = write_csv(tmp_path / "items.csv", [row(tree, 1), row(tree, 2), row(tree, 1, 标题="另一个")])
    err = failing(path)
    assert "第4行“索引号”：索引号与第2行重复" in err
    assert not Publication.objects.exists()
    run(path, "--skip-bad")
    assert Publication.objects.get(index_serial=1).title == row(tree, 1)["标题"]


def test_review_records_and_drafts(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    no_review = {"审查人": "", "审查日期": "", "审查结论": ""}
    rows = [
        row(tree, 1, 发布日期="", 发布渠道="", **no_review),  # a draft
        row(
            tree, 2, 发布日期="", 发布渠道="", 审查结论="不同意公开", 审查意见="含学生名单"
        ),  # refused, stays a draft
        row(tree, 3, **no_review),  # published without a review: refused
        row(tree, 4, 审查人="clerk"),  # the drafter may not review
        row(tree, 5, 审查结论="不同意公开"),  # a refusal needs a reason
    ]
    with pytest.raises(ImportFailed) as failed:
        import_publications("test", write_csv(tmp_path / "items.csv", rows))
    by_line: dict[str, str] = {}
    for problem in failed.value.problems:
        by_line[problem.where] = by_line.get(problem.where, "") + str(problem)
    assert set(by_line) == {"第4行", "第5行", "第6行"}
    assert "未经保密审查" in by_line["第4行"] and "审核人" in by_line["第5行"] and "理由" in by_line["第6行"]
    import_publications("test", write_csv(tmp_path / "drafts.csv", rows[:2]))
    draft, refused = Publication.objects.get(index_serial=1), Publication.objects.get(index_serial=2)
    assert (draft.status, draft.published_on, draft.reviews.count()) == ("draft", None, 0)
    assert (refused.status, refused.reviews.get().conclusion) == ("draft", "failed")
    # The draft is published later by a file carrying its review.
    report = import_publications("test", write_csv(tmp_path / "publish.csv", [row(tree, 1)]))
    draft.refresh_from_db()
    assert (report.counts["update"], draft.status, draft.version, draft.postings.count()) == (
        1,
        "published",
        1,
        2,
    )


def test_progress_is_shown_on_stderr(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    _out, err = run(write_csv(tmp_path / "items.csv", [row(tree, n) for n in range(1, 26)]))
    assert "校验" in err and "写入" in err and "100% 25/25" in err


def test_personal_data_is_a_warning_and_dry_run_writes_nothing(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    path = write_csv(tmp_path / "items.csv", [row(tree, 1, 正文="联系电话13812345678")])
    out, err = run(path, "--dry-run")
    assert "试运行" in out and "新增1条" in out
    assert "138****5678" in err and "13812345678" not in err
    assert (
        not Publication.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="publication").exists()
    )


def _catalog(tree: Tree, personas: Personas, channels: tuple[Channel, Channel]) -> None:
    """Items in every state the workflow produces."""
    portal, weibo = channels
    for n in range(4):
        pub, _w = t.create_draft(
            personas.clerk,
            tree.education,
            title=f"第{n}号通知",
            made_on=D(2026, 3, 2),
            text="电话13812345678",
        )
        if n == 0:
            continue  # a draft
        t.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
        t.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[portal, weibo] if n == 1 else [portal])
        if n == 2:
            t.withdraw(personas.clerk, pub, reason="已废止")
        if n == 3:
            t.revise(personas.clerk, pub, reason="更正", on=D(2026, 3, 5), text="更正后")
    # Published before confidentiality reviews were recorded (record_publication keeps no review).
    record_publication(
        "test",
        tree.office,
        title="旧的公告",
        made_on=D(2026, 1, 5),
        published_on=D(2026, 1, 6),
        channels=[portal],
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_export_then_import_changes_nothing(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel], suffix: str
) -> None:
    _catalog(tree, personas, channels)
    path = tmp_path / f"catalog{suffix}"
    call_command(
        "export", "publications", str(path), "--body", tree.city.org_code, "--subtree", stderr=io.StringIO()
    )
    before = state()
    report = import_publications("test", path)
    assert (report.rows, report.counts["unchanged"]) == (5, 5)
    assert state() == before


def test_json_export_has_the_documented_keys_and_masks_numbers(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    _catalog(tree, personas, channels)
    path = tmp_path / "catalog.json"
    export_publications("test", publications_for(tree.education, statuses=["published"]), path)
    items = json.loads(path.read_text(encoding="utf-8"))
    assert len(items) == 1
    item = items[0]
    assert {"index_number", "title", "body", "publisher", "published"} <= set(item)
    assert (item["publisher"], item["published"], item["channels"]) == (
        tree.education.name,
        "2026-03-04",
        ["测试市政府门户网站", "教育局微博"],
    )
    assert item["text"] == "电话138****5678"
    assert not AuditEntry.objects.filter(action="publication.export_unmasked").exists()
    export_publications("test", publications_for(tree.education, statuses=["published"]), path, mask=False)
    assert json.loads(path.read_text(encoding="utf-8"))[0]["text"] == "电话13812345678"
    assert AuditEntry.objects.get(action="publication.export_unmasked").batch_size == 1


def test_export_filters_and_gb18030(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    _catalog(tree, personas, channels)
    path = tmp_path / "catalog.csv"
    call_command(
        "export",
        "publications",
        str(path),
        "--body",
        tree.county.org_code,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 1  # the header only
    call_command(
        "export",
        "publications",
        str(path),
        "--year",
        "2026",
        "--status",
        "published",
        "withdrawn",
        "--encoding",
        "gb18030",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("gb18030"))))
    assert sorted(r["状态"] for r in rows) == ["已发布", "已发布", "已撤回"]


def test_index_numbers_follow_the_body_template(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    IndexNumberTemplate.objects.create(body=tree.city, template="{code}-{year}{serial:04d}")
    code = tree.education.org_code
    good = row(tree, 1, 索引号=f"{code}-20250012")
    unpadded = row(tree, 2, 索引号=f"{code}-202513")
    with pytest.raises(ImportFailed) as failed:
        import_publications("test", write_csv(tmp_path / "items.csv", [good, unpadded]))
    assert [p.where for p in failed.value.problems] == ["第3行"]
    import_publications("test", write_csv(tmp_path / "good.csv", [good]))
    pub = Publication.objects.get()
    assert (pub.index_code, pub.index_year, pub.index_serial, index_number(pub)) == (
        code,
        2025,
        12,
        f"{code}-20250012",
    )


def test_the_documented_example_imports() -> None:
    from django.contrib.auth import get_user_model

    from gongkai.accounts.models import Role, StaffProfile
    from gongkai.organisations.actions import save_organisation
    from gongkai.organisations.models import Organisation, OrgKind

    example = Path(__file__).parent / "data" / "publications-example.csv"
    doc = (Path(__file__).parents[2] / "docs" / "import-export.md").read_text(encoding="utf-8")
    assert example.read_text(encoding="utf-8").strip() in doc
    city = save_organisation(
        "test",
        Organisation(
            name="示范市人民政府", org_code="MB0000027", kind=OrgKind.GOVERNMENT, valid_from=D(2000, 1, 1)
        ),
    )
    bureau = save_organisation(
        "test",
        Organisation(
            name="示范市教育局",
            org_code="MB0000019",
            kind=OrgKind.DEPARTMENT,
            parent=city,
            valid_from=D(2000, 1, 1),
        ),
    )
    Channel.objects.create(
        name="示范市政府门户网站", kind=ChannelKind.objects.get(code="website"), owner=city
    )
    Channel.objects.create(name="教育局微博", kind=ChannelKind.objects.get(code="weibo"), owner=bureau)
    StaffProfile.objects.create(
        user=get_user_model().objects.create_user("shenhe"), body=bureau, role=Role.REVIEWER
    )
    report = import_publications("test", example)
    assert report.counts["create"] == 4
    policy, answers, canteen, summer = Publication.objects.order_by("index_serial")
    assert (policy.status, policy.normative_kind, policy.issued_on, policy.postings.count()) == (
        "published",
        "normative",
        D(2025, 3, 5),
        2,
    )
    assert (answers.interprets, answers.genre and answers.genre.code) == (policy, "jiedu")
    assert (canteen.status, canteen.reviews.get().conclusion, canteen.key_area and canteen.key_area.code) == (
        "draft",
        "failed",
        "food_drug",
    )
    assert (summer.status, summer.reviews.count()) == ("draft", 0)


def test_a_generated_5000_row_file_lands_once_and_reimports_without_change(
    tmp_path: Path, tree: Tree, channels: tuple[Channel, Channel]
) -> None:
    """The 100k-row run is benchmarks/import_publications.py (times in docs/import-export.md)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", password="x")
    bodies = [tree.city, tree.office, tree.education, tree.school_office, tree.county, tree.county_police]
    rows = [
        row(
            tree,
            0,
            索引号=f"{bodies[i % 6].org_code}/2025-{i // 6 + 1:05d}",
            机关代码=bodies[i % 6].org_code,
            标题=f"第{i}项行政审批结果公告",
            发布渠道="测试市政府门户网站",
            审查人="admin",
            正文=f"第{i}项事项已办结。" * 5,
        )
        for i in range(5000)
    ]
    path = write_csv(tmp_path / "generated.csv", rows)
    out, err = run(path)
    assert "新增5000条" in out and "100% 5000/5000" in err
    assert Publication.objects.count() == 5000
    assert Publication.objects.values("index_code", "index_serial").distinct().count() == 5000
    assert PublicationChannel.objects.count() == ConfidentialityReview.objects.count() == 5000
    assert AuditEntry.objects.filter(action="publication.import").count() == 3  # batches of 2000
    before = state()
    out, _err = run(path)
    assert "未变5000条" in out and state() == before


def test_a_repeal_date_is_a_step_not_a_new_version(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    policy = row(tree, 1, 规范性文件类别="行政规范性文件")
    run(write_csv(tmp_path / "policy.csv", [policy]))
    out, _err = run(write_csv(tmp_path / "repeal.csv", [policy | {"废止日期": "2025-09-01"}]))
    pub = Publication.objects.get()
    assert "状态或记录更新1条" in out
    assert (pub.repealed_on, pub.issued_on, pub.version, pub.status) == (
        D(2025, 9, 1),
        D(2025, 3, 3),
        1,
        "published",
    )
    assert "废止日期不能更改" in failing(
        write_csv(tmp_path / "moved.csv", [policy | {"废止日期": "2025-10-01"}])
    )
    draft = row(
        tree,
        2,
        规范性文件类别="规章",
        废止日期="2025-09-01",
        发布日期="",
        发布渠道="",
        审查人="",
        审查日期="",
        审查结论="",
    )
    assert "只有已发布的规范性文件才能废止" in failing(write_csv(tmp_path / "draft.csv", [draft]))


def test_formula_like_text_is_exported_as_text_and_round_trips(
    tmp_path: Path, tree: Tree, personas: Personas, channels: tuple[Channel, Channel]
) -> None:
    portal, _weibo = channels
    pub, _w = t.create_draft(
        personas.clerk, tree.education, title='=HYPERLINK("http://x.invalid","点击")', made_on=D(2026, 3, 2)
    )
    t.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    t.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[portal])
    csv_path, xlsx_path = tmp_path / "items.csv", tmp_path / "items.xlsx"
    for path in (csv_path, xlsx_path):
        call_command("export", "publications", str(path), stderr=io.StringIO())
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx_path).active
    assert sheet is not None
    titles = [c for c in sheet[2] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert titles and titles[0].data_type == "s"  # a string cell, not a formula
    before = state()
    for path in (csv_path, xlsx_path):
        assert import_publications("test", path).counts["unchanged"] == 1
    assert state() == before
