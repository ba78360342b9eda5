"""The demo city, loaded once for this module: its 2014 records reproduce every figure of the seed report
(Xuchang 2014) next to its label; its 2024/2025 catalog and Table 2 hold together (in force carries over, every
item was reviewed before it was published, interpretations link to policies, entered figures have a previous
year) and the 2019 and 2021 reports build for both years. One module, so the demo loads once."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Exists, F, OuterRef, Q, Sum

from gongkai import permissions
from gongkai.audit.models import AuditEntry
from gongkai.catalog.models import (
    ConfidentialityReview,
    Genre,
    ProactiveFigures,
    Publication,
    ReviewConclusion,
)
from gongkai.organisations.actions import resolve_org
from gongkai.organisations.models import Organisation
from gongkai.reports.build import build_report, report_json
from gongkai.reports.document import freeze
from gongkai.reports.exports import SUFFIXES, render_frozen
from gongkai.reports.formats import DATA_FILE, all_cells
from gongkai.reports.registry import Scope
from gongkai.reports.stats_table2 import T2
from gongkai.reports.validation import Finding, check_in_force, table_values, validate_report, validate_table2
from tests.demo.snapshot import SNAPSHOT, city_json

pytestmark = [pytest.mark.django_db]  # one worker runs the whole module (`--dist loadscope`)

# label (last segment of the official row path) → the seed's figure
SEED_TABLE = {
    "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）": "115144",
    "其中：主动公开规范性文件数": "247",
    "其中：制发规范性文件总数": "272",
    "1.政府公报公开政府信息数": "33",
    "2.政府网站公开政府信息数": "59229",
    "3.政务微博公开政府信息数": "10126",
    "4.政务微信公开政府信息数": "3589",
    "5.其他方式公开政府信息数": "44481",
    "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）": "4179",
    "1.参加或举办新闻发布会总次数": "14",
    "其中：主要负责同志参加新闻发布会次数": "14",
    "2.政府网站在线访谈次数": "14",
    "3.政策解读稿件发布数": "182",
    "4.微博微信回应事件数": "967",
    "5.其他方式回应事件数": "3416",
    "（一）收到申请数": "112",
    "1.当面申请数": "28",
    "2.传真申请数": "0",
    "3.网络申请数": "33",
    "4.信函申请数": "51",
    "（二）申请办结数": "112",
    "1.按时办结数": "112",
    "2.延期办结数": "0",
    "（三）申请答复数": "112",
    "1.属于已主动公开范围数": "57",
    "2.同意公开答复数": "36",
    "3.同意部分公开答复数": "11",
    "4.不同意公开答复数": "7",
    "其中：涉及个人隐私": "1",
    "其中：不是《条例》所指政府信息": "6",
    "5.不属于本行政机关公开数": "1",
    "来电数": None,  # checked separately: 2600–2699
    "办结率（%）": "96.2",
    "来信数": "8565",
    "回复数": "8421",
    "办复率（%）": "98.32",
    "主动公开信息数": "9804",
    "发布市政府文件数": "127",
    "受理政府信息公开申请数": "4",
    "按时办结数": "4",
}


def markdown_report() -> str:
    out = io.StringIO()
    call_command(
        "report", "--org", "许昌市", "--year", "2014", "--format", "2014", "--output", "-", stdout=out
    )
    return out.getvalue()


def table_rows(markdown: str) -> dict[str, str]:
    rows = {}
    for line in markdown.splitlines():
        match = re.fullmatch(r"\| 　*(.+?) \| (.*?) \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_markdown_shows_every_seed_figure_next_to_its_label(demo_city: str) -> None:
    rows = table_rows(markdown_report())
    for label, figure in SEED_TABLE.items():
        if figure is not None:
            assert rows[label] == figure, label
    assert 2600 <= int(rows["来电数"]) <= 2699


def test_narrative_states_the_seed_figures_from_the_registry(demo_city: str) -> None:
    text = markdown_report()
    for phrase in (
        "全市共主动公开政府信息115144条",
        "制发规范性文件272件，公开规范性文件247件",
        "通过政府网站公开59229条",
        "办结率96.2%",
        "共收到来信8565封，回复8421封，办复率98.32%",
        "发布政府文件127个",
        "受理政府信息公开申请4件，按时办结4件",
        "当面申请28件",
        "网络申请33件，信函申请51件",
        "按时办结112件",
        "属于已主动公开范围57件",
        "同意公开答复36件",
        "同意部分公开答复11件",
        "不同意公开答复7件",
        "不属于本行政机关公开1件",
        "回应公众关注热点或重大舆情4179次",
        "发布政策解读稿件182篇",
    ):
        assert phrase in text, phrase
    # The seed's section 一 text, converted to mainland Simplified Chinese.
    assert "（许政办〔2014〕11号），对全市政府信息公开工作进行安排部署" in text
    assert "任务栏" not in text and "文件馆" not in text


def test_json_export_uses_the_official_labels_in_order(demo_city: str, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    call_command(
        "report", "--org", "许昌市人民政府", "--year", "2014", "--output", str(target), stdout=io.StringIO()
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["org"], data["year"], data["format"], data["scope"]) == (
        "许昌市人民政府",
        2014,
        "2014",
        "subtree",
    )
    expected = [(c.table, c.row, c.column) for c in all_cells("2014")]
    assert [(c["table"], c["row"], c["column"]) for c in data["cells"]] == expected
    values = {c["row"]: c["value"] for c in data["cells"]}
    assert values["一、主动公开情况/（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"] == 115144
    assert values["市长热线/办结率（%）"] == 96.2
    assert values["书记市长信箱/办复率（%）"] == 98.32


def test_bundled_formats_file_is_the_statutory_reference(demo_city: str) -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "docs" / "report-formats.json"
    if not shared.exists():
        pytest.skip("the shared folder is not beside this checkout")
    assert json.loads(DATA_FILE.read_text(encoding="utf-8")) == json.loads(shared.read_text(encoding="utf-8"))


def test_channel_rows_exceed_the_total_because_items_go_out_on_several_channels(
    demo_city: str,
) -> None:
    report = build_report(resolve_org("许昌市"), 2014, "2014", Scope.SUBTREE)
    values = report.values()
    channels = sum(values[k] for k in ("p14.gazette", "p14.website", "p14.weibo", "p14.wechat", "p14.other"))
    assert channels == 117458 > values["p14.items"] == 115144


def test_a_county_report_is_part_of_the_city_total(demo_city: str) -> None:
    city = build_report(resolve_org("许昌市"), 2014, "2014").values()
    county = build_report(resolve_org("禹州市"), 2014, "2014").values()
    own = build_report(resolve_org("许昌市"), 2014, "2014", Scope.OWN).values()
    assert 0 < county["p14.items"] < city["p14.items"]
    assert 0 < own["p14.items"] < city["p14.items"]
    assert own["a14.received"] == 4  # the four requests handled by 许昌市人民政府 itself


def test_building_twice_from_the_same_records_gives_the_same_json(demo_city: str) -> None:
    org = resolve_org("许昌市")
    first = json.dumps(report_json(build_report(org, 2014, "2014")), ensure_ascii=False)
    assert first == json.dumps(report_json(build_report(org, 2014, "2014")), ensure_ascii=False)


def test_published_items_have_channels_and_unpublished_ones_none(
    demo_city: str,
) -> None:
    from gongkai.catalog.models import Publication

    assert not Publication.objects.filter(published_on__isnull=False, postings__isnull=True).exists()
    assert not Publication.objects.filter(published_on__isnull=True, postings__isnull=False).exists()
    assert Publication.objects.filter(published_on__isnull=True).count() == 25  # issued, never published


def test_recent_cases_fill_tables_3_and_4_consistently(demo_city: str) -> None:
    from gongkai.reports.stats_requests import CARRIED_IN, CARRIED_OUT, NEW, OUTCOME_ROWS_2021, T3, T4
    from gongkai.reports.validation import table_values, validate_request_tables

    city = resolve_org("许昌市")
    y24, y25 = (table_values(city, y, "2021", T3) for y in (2024, 2025))
    assert y24[(NEW, "总计")] == 70 and y25[(NEW, "总计")] == 80
    assert y24[(CARRIED_OUT, "总计")] > 0 and y25[(CARRIED_IN, "总计")] == y24[(CARRIED_OUT, "总计")]
    assert [r for r in OUTCOME_ROWS_2021 if y24[(r, "总计")] + y25[(r, "总计")] == 0] == []  # every row used
    assert (
        validate_request_tables(city, 2024, "2021") == []
        and validate_request_tables(city, 2025, "2021") == []
    )
    t4 = table_values(city, 2025, "2021", T4)
    assert (
        t4[("行政复议", "总计")] == 3
        and t4[("行政复议", "尚未审结")] == 1
        and t4[("行政诉讼/复议后起诉", "尚未审结")] == 1
    )


# 2024/2025 catalog and Table 2 --------------------------------------------------------------------------------

RULES = "第二十条第（一）项/规章"
NORMATIVE = "第二十条第（一）项/行政规范性文件"
LICENSING = "第二十条第（五）项/行政许可"


def test_in_force_carries_over_from_year_to_year(demo_city: str) -> None:
    city = resolve_org("许昌市")
    values = {y: table_values(city, y, "2021", T2) for y in (2023, 2024, 2025)}
    for year in (2024, 2025):
        now, before = values[year], values[year - 1]
        for row in (RULES, NORMATIVE):
            assert now[(row, "现行有效件数")] == (
                before[(row, "现行有效件数")] + now[(row, "本年制发件数")] - now[(row, "本年废止件数")]
            ), (row, year)
        assert now[(NORMATIVE, "本年制发件数")] > 0 and now[(NORMATIVE, "本年废止件数")] > 0
        assert now[(RULES, "本年制发件数")] > 0
        assert check_in_force(now, before, year) == []
    # documents issued before 2024 are still in force, so the carry-over is more than this year's issues
    assert values[2023][(NORMATIVE, "现行有效件数")] > values[2024][(NORMATIVE, "本年制发件数")] > 0
    for county in ("魏都区", "建安区", "禹州市"):
        org = resolve_org(county)
        assert (
            validate_table2(org, 2025, "2021") == [] and validate_table2(org, 2025, "2021", Scope.OWN) == []
        )


def test_every_recent_item_was_reviewed_before_publication(demo_city: str) -> None:
    recent = Publication.objects.filter(published_on__year__gte=2015)
    passed = ConfidentialityReview.objects.filter(
        publication=OuterRef("pk"),
        version=F("publication__version"),
        conclusion=ReviewConclusion.PASSED,
        reviewed_on__lte=OuterRef("published_on"),
        reviewed_on__gte=OuterRef("made_on"),
    )
    assert recent.count() > 5000
    assert not recent.filter(~Exists(passed)).exists()
    assert not recent.filter(postings__isnull=True).exists()
    city = resolve_org("许昌市")
    pairs = ConfidentialityReview.objects.filter(publication__in=recent).values_list(
        "reviewer", "publication__body"
    )
    for reviewer_id, body_id in set(pairs):
        review = ConfidentialityReview.objects.filter(
            reviewer_id=reviewer_id, publication__body_id=body_id
        ).first()
        assert review is not None
        body = review.publication.body
        assert permissions.can_review_publication(review.reviewer, body) or (
            permissions.can_review_publication(review.reviewer, city)
        ), (review.reviewer, body)


def test_interpretations_explain_earlier_policies(demo_city: str) -> None:
    jiedu = Publication.objects.filter(published_on__year__in=(2024, 2025), genre__code=Genre.INTERPRETATION)
    assert jiedu.count() > 50
    assert not jiedu.filter(interprets__isnull=True).exists()
    assert not jiedu.filter(published_on__lt=F("interprets__published_on")).exists()
    explained = Publication.objects.filter(
        published_on__year=2025, normative_kind__gt="", interpretations__isnull=False
    )
    assert explained.distinct().count() > 20


def test_entered_figures_have_a_previous_year(demo_city: str) -> None:
    city = resolve_org("许昌市")
    assert {2023, 2024, 2025} <= set(ProactiveFigures.objects.values_list("year", flat=True))
    values = table_values(city, 2024, "2019", T2)
    items = {
        y: ProactiveFigures.objects.filter(year=y).aggregate(n=Sum("licensing_items"))["n"]
        for y in (2023, 2024)
    }
    assert values[(LICENSING, "上一年项目数量")] == items[2023] > 0
    assert values[(LICENSING, "本年增/减")] == items[2024] - items[2023]
    changes = [
        table_values(body, 2025, "2019", T2, Scope.OWN)[(LICENSING, "本年增/减")]
        for body in city.subtree().filter(valid_to__isnull=True, kind="department")[:12]
    ]
    assert min(changes) < 0 < max(changes)  # counts drift both ways


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_reports_of_2024_and_2025_build_in_both_formats(demo_city: str, fmt: str) -> None:
    city = resolve_org("许昌市")
    for year in (2024, 2025):
        report = build_report(city, year, fmt)
        assert [c.cell for c in report.cells] == all_cells(fmt)
        table2 = {(c.cell.row, c.cell.column): c.value for c in report.cells if c.cell.table == T2}
        assert all(v > 0 for (_r, column), v in table2.items() if column not in {"本年增/减"}), table2
        assert validate_table2(city, year, fmt) == []


def test_report_command_writes_2019_and_2021_formats(demo_city: str, tmp_path: Path) -> None:
    target = tmp_path / "2024.json"
    call_command(
        "report",
        "--org",
        "许昌市",
        "--year",
        "2024",
        "--format",
        "2019",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [(c["table"], c["row"], c["column"]) for c in data["cells"]] == [
        (c.table, c.row, c.column) for c in all_cells("2019")
    ]
    out = io.StringIO()
    call_command("report", "--org", "许昌市", "--year", "2025", "--output", "-", stdout=out)
    text = out.getvalue()
    assert "| 指标 | 本年制发件数 | 本年废止件数 | 现行有效件数 |" in text
    assert "| 指标 | 自然人 | 法人或其他组织/商业企业 |" in text


def test_nothing_recent_is_dated_in_2014(demo_city: str) -> None:
    recent = Publication.objects.filter(index_year__gte=2015)
    dated_2014 = (
        Q(made_on__year=2014)
        | Q(published_on__year=2014)
        | Q(issued_on__year=2014)
        | Q(repealed_on__year=2014)
    )
    assert recent.exists() and not recent.filter(dated_2014).exists()


# Issue 5 on the demo city: validation passes, every format exports to every file type ------------------------


def _errors(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.severity == "error"]


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_demo_city_report_validates_without_errors(demo_city: str, year: int) -> None:
    """Every §3.4 rule, the fee statement included (the demo's fee payments are FeeCollected rows), before the
    deadline; unpublished after 31 March the deadline is the one error."""
    city = resolve_org("许昌市")
    findings = validate_report(city, year, "2021", Scope.SUBTREE, today=dt.date(year + 1, 1, 10))
    assert _errors(findings) == []
    assert [f.severity for f in findings if f.rule == "deadline"] == ["warning"]
    late = validate_report(city, year, "2021", Scope.SUBTREE, today=dt.date(year + 1, 4, 1))
    assert {f.rule for f in late if f.severity == "error"} == {"deadline"}
    department = resolve_org("许昌市教育局", year)
    own = validate_report(department, year, "2021", Scope.SUBTREE, today=dt.date(year + 1, 1, 10))
    assert _errors(own) == []


def test_the_demo_city_exports_every_format_to_every_file_type(demo_city: str) -> None:
    """2024 and 2025 in the 2014, 2019 and 2021 formats, each suffix; the XLSX numbers are the report's
    cells. (PDF fonts and text are checked in tests/reports/test_exports.py; one PDF here keeps CI short.)"""
    city = resolve_org("许昌市")
    for year in (2024, 2025):
        for fmt in ("2014", "2019", "2021"):
            report = build_report(city, year, fmt, Scope.SUBTREE)
            frozen = freeze(report)
            for suffix in SUFFIXES:
                if suffix == ".pdf" and (year, fmt) != (2025, "2021"):
                    continue
                data = render_frozen(frozen, suffix)
                assert len(data) > 500, (year, fmt, suffix)
            book = openpyxl.load_workbook(io.BytesIO(render_frozen(frozen, ".xlsx")), read_only=True)
            numbers = [
                v
                for sheet in book.worksheets[1:]
                for row in sheet.iter_rows(values_only=True)
                for v in row
                if isinstance(v, int | float) and not isinstance(v, bool)
            ]
            assert numbers == [c["value"] for c in report_json(report)["cells"]], (year, fmt)


def test_the_command_loaded_the_city_and_a_second_run_changes_nothing(demo_city: str) -> None:
    """The load is audited with one entry per batch; running the command again finds the city loaded."""
    assert "demo city loaded" in demo_city
    orgs, entries = Organisation.objects.count(), AuditEntry.objects.count()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == (orgs, entries)
    bulk = AuditEntry.objects.filter(action="demo.bulk_create", object_type="catalog.publication").get()
    assert bulk.batch_size == 115169  # 115144 published + 25 normative documents issued but never published


def test_the_city_report_is_the_committed_snapshot_byte_for_byte(demo_city: str) -> None:
    """Loads are deterministic: this process's load gives the bytes that loads in other processes (other hash
    seeds, SQLite and PostgreSQL) gave (tests/demo/snapshot.py says how to write it again after an intended
    change)."""
    assert city_json() == SNAPSHOT.read_text(encoding="utf-8")
