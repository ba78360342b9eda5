"""Table 2 (2019 trial and 2021 formats) on the small tree: normative documents from catalog dates, entered
figures and their 上一年/增减 arithmetic, the figures domain function, validation, rendering and the staff page."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.audit.models import AuditEntry
from gongkai.catalog.figures import FIELDS, save_proactive_figures
from gongkai.catalog.models import NormativeKind, ProactiveFigures, Publication, PublicationStatus
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.build import build_report, report_json
from gongkai.reports.document import freeze, tables, to_markdown
from gongkai.reports.formats import DATA_FILE, all_cells
from gongkai.reports.registry import REGISTRY, Context, Scope, format_value
from gongkai.reports.stats_table2 import T2
from gongkai.reports.validation import check_in_force, check_table2, table_values, validate_table2
from tests.conftest import PASSWORD, Personas, Tree, make_org

pytestmark = pytest.mark.django_db
D = dt.date
_serial = iter(range(1, 100_000))
RULES_2021 = "第二十条第（一）项/规章"
NORMATIVE_2021 = "第二十条第（一）项/行政规范性文件"
NORMATIVE_2019 = "第二十条第（一）项/规范性文件"
LICENSING = "第二十条第（五）项/行政许可"
PENALTY = "第二十条第（六）项/行政处罚"
FEES = "第二十条第（八）项/行政事业性收费"
PROCUREMENT = "第二十条第（九）项/政府集中采购"


def document(
    body: Organisation,
    issued: dt.date,
    *,
    kind: str = NormativeKind.NORMATIVE,
    published: dt.date | None = None,
    repealed: dt.date | None = None,
    status: str = PublicationStatus.PUBLISHED,
) -> Publication:
    return Publication.objects.create(
        body=body,
        index_code=body.org_code,
        index_year=issued.year,
        index_serial=next(_serial),
        title="关于规范有关事项的通知",
        made_on=issued,
        issued_on=issued,
        published_on=published,
        repealed_on=repealed,
        normative_kind=kind,
        status=status if published else PublicationStatus.DRAFT,
    )


def t2(org: Organisation, year: int, fmt: str, scope: Scope = Scope.SUBTREE) -> dict[tuple[str, str], object]:
    return dict(table_values(org, year, fmt, T2, scope))


def test_every_table2_cell_of_both_formats_is_declared_once_with_the_official_labels() -> None:
    official = json.loads(DATA_FILE.read_text(encoding="utf-8"))["formats"]
    for fmt in ("2019", "2021"):
        declared = [s.cells[fmt] for s in REGISTRY.values() if fmt in s.cells and s.cells[fmt].table == T2]
        expected = [c for c in all_cells(fmt) if c.table == T2]
        assert sorted(declared, key=repr) == sorted(expected, key=repr)
        assert len(declared) == len(set(declared))
        blocks = {t["block"] for t in official[fmt]["tables"] if t["table"] == T2}
        assert {c.row.split("/")[0] for c in declared} == blocks
    assert len([c for c in all_cells("2019") if c.table == T2]) == 6 + 6 + 6 + 2 + 2
    assert len([c for c in all_cells("2021") if c.table == T2]) == 6 + 1 + 2 + 1


@pytest.fixture
def documents(tree: Tree) -> None:
    """Normative documents of 教育局 (own), its 招生办 (below) and the county (another branch)."""
    document(tree.education, D(2019, 5, 6), published=D(2019, 5, 20))  # in force throughout
    document(tree.education, D(2020, 3, 2), published=D(2020, 3, 10), repealed=D(2021, 6, 30))
    document(tree.education, D(2021, 12, 28), published=D(2022, 1, 6))  # issued 2021, published 2022
    document(tree.education, D(2021, 4, 1))  # issued, never published
    document(tree.education, D(2021, 8, 1), published=D(2021, 8, 9), status=PublicationStatus.WITHDRAWN)
    document(tree.education, D(2021, 2, 1), published=D(2021, 2, 3), repealed=D(2021, 11, 1))  # in and out
    document(tree.school_office, D(2021, 6, 1), published=D(2021, 6, 2))
    document(tree.education, D(2021, 12, 31), published=D(2022, 1, 4), repealed=D(2022, 1, 1))
    document(tree.city, D(2021, 7, 7), kind=NormativeKind.RULE, published=D(2021, 7, 8))
    document(tree.county, D(2021, 7, 7), published=D(2021, 7, 8))


def test_normative_cells_of_2021_count_issue_and_repeal_dates_own_and_subtree(
    tree: Tree, documents: None
) -> None:
    own = t2(tree.education, 2021, "2021", Scope.OWN)
    assert own[(NORMATIVE_2021, "本年制发件数")] == 5  # issued in 2021, published or not
    assert own[(NORMATIVE_2021, "本年废止件数")] == 2  # 2020's and the one issued and repealed in 2021
    # 2019's, 2021-12-28's, the unpublished, the withdrawn and 2021-12-31's (repealed only in 2022)
    assert own[(NORMATIVE_2021, "现行有效件数")] == 5
    assert own[(RULES_2021, "本年制发件数")] == 0
    sub = t2(tree.education, 2021, "2021")
    assert (sub[(NORMATIVE_2021, "本年制发件数")], sub[(NORMATIVE_2021, "现行有效件数")]) == (6, 6)
    city = t2(tree.city, 2021, "2021")
    assert city[(RULES_2021, "本年制发件数")] == city[(RULES_2021, "现行有效件数")] == 1
    assert city[(NORMATIVE_2021, "本年制发件数")] == 7  # the county's too
    assert t2(tree.city, 2021, "2021", Scope.OWN)[(NORMATIVE_2021, "本年制发件数")] == 0
    assert t2(tree.county, 2021, "2021")[(NORMATIVE_2021, "现行有效件数")] == 1  # no sibling leaks in
    assert t2(tree.education, 2022, "2021", Scope.OWN)[(NORMATIVE_2021, "现行有效件数")] == 4


def test_normative_cells_of_the_2019_trial(tree: Tree, documents: None) -> None:
    own = t2(tree.education, 2021, "2019", Scope.OWN)
    assert own[(NORMATIVE_2019, "本年新制作数量")] == 5
    assert own[(NORMATIVE_2019, "本年新公开数量")] == 2  # the withdrawn one and the one repealed in 2021
    # published by 31 Dec, in force then, not withdrawn: only 2019's (2021-12-28's is published in 2022)
    assert own[(NORMATIVE_2019, "对外公开总数量")] == 1
    assert t2(tree.education, 2022, "2019", Scope.OWN)[(NORMATIVE_2019, "对外公开总数量")] == 2
    assert t2(tree.education, 2022, "2019", Scope.OWN)[(NORMATIVE_2019, "本年新公开数量")] == 2
    assert t2(tree.education, 2021, "2019")[(NORMATIVE_2019, "对外公开总数量")] == 2  # 招生办's


def test_in_force_carries_over_year_to_year_and_the_soft_rule_is_quiet(tree: Tree, documents: None) -> None:
    for org in (tree.city, tree.education, tree.school_office):
        for scope in Scope:
            previous = t2(org, 2019, "2021", scope)
            for year in range(2020, 2024):
                current = t2(org, year, "2021", scope)
                assert check_in_force(current, previous, year) == [], (org, scope, year)
                previous = current
    assert validate_table2(tree.city, 2021, "2021") == []


def test_the_soft_rule_names_both_values_when_the_carry_over_breaks(tree: Tree, documents: None) -> None:
    current = t2(tree.education, 2021, "2021", Scope.OWN)
    previous = t2(tree.education, 2020, "2021", Scope.OWN)
    previous[(NORMATIVE_2021, "现行有效件数")] = 9  # e.g. a stored report that was entered wrongly
    (finding,) = check_in_force(current, previous, 2021)  # type: ignore[arg-type]
    assert finding.severity == "warning" and finding.rule == "现行有效"
    assert "现行有效件数5" in finding.message and "2020年现行有效件数9" in finding.message
    assert "本年制发件数5" in finding.message and "本年废止件数2" in finding.message
    assert {c.column for c in finding.cells} == {"现行有效件数", "本年制发件数", "本年废止件数"}


def test_a_successor_answers_for_its_predecessors_documents(tree: Tree) -> None:
    """Two bureaus merged on 1 Feb 2019: the new one's 现行有效 includes their documents still in force."""
    old = make_org("测试市国土资源局", OrgKind.DEPARTMENT, tree.city, valid_to=D(2019, 1, 31))
    new = make_org("测试市自然资源局", OrgKind.DEPARTMENT, tree.city, valid_from=D(2019, 2, 1))
    Organisation.objects.filter(pk=old.pk).update(successor=new)
    document(old, D(2016, 3, 1), published=D(2016, 3, 2))
    document(old, D(2017, 3, 1), published=D(2017, 3, 2), repealed=D(2020, 5, 1))
    document(new, D(2019, 6, 1), published=D(2019, 6, 2))
    values = {y: t2(new, y, "2021", Scope.OWN) for y in (2018, 2019, 2020, 2021)}
    assert values[2018][(NORMATIVE_2021, "现行有效件数")] == 0
    assert values[2019][(NORMATIVE_2021, "现行有效件数")] == 3
    assert values[2020][(NORMATIVE_2021, "本年废止件数")] == 1  # the successor repealed its predecessor's
    assert values[2021][(NORMATIVE_2021, "现行有效件数")] == 2
    for year in (2020, 2021):
        assert check_in_force(values[year], values[year - 1], year) == []


@pytest.fixture
def figures(tree: Tree) -> None:
    save_proactive_figures("test", tree.education, 2023, licensing_items=10, penalty_items=40, fee_items=3)
    save_proactive_figures(
        "test",
        tree.education,
        2024,
        licensing_items=8,
        licensing_decisions=120,
        penalty_items=45,
        penalty_decisions=7,
        fee_items=3,
        fee_amount_wan_yuan="12.5",
        procurement_projects=4,
        procurement_amount_wan_yuan="1030.0456",
    )
    save_proactive_figures("test", tree.school_office, 2024, licensing_items=2, licensing_decisions=30)
    save_proactive_figures("test", tree.county, 2024, licensing_items=99, licensing_decisions=999)


def test_entered_figures_previous_year_and_change(tree: Tree, figures: None) -> None:
    own = t2(tree.education, 2024, "2019", Scope.OWN)
    assert own[(LICENSING, "上一年项目数量")] == 10
    assert own[(LICENSING, "本年增/减")] == -2  # 8 − 10: items were cancelled
    assert own[(LICENSING, "处理决定数量")] == 120
    assert (own[(PENALTY, "上一年项目数量")], own[(PENALTY, "本年增/减")]) == (40, 5)
    assert (own[(FEES, "上一年项目数量")], own[(FEES, "本年增/减")]) == (3, 0)
    assert own[(PROCUREMENT, "采购项目数量")] == 4
    assert own[(PROCUREMENT, "采购总金额")] == Decimal("1030.0456")
    sub = t2(tree.education, 2024, "2019")
    assert (sub[(LICENSING, "上一年项目数量")], sub[(LICENSING, "本年增/减")]) == (
        10,
        0,
    )  # 招生办 had no 2023 row
    assert sub[(LICENSING, "处理决定数量")] == 150
    assert t2(tree.city, 2024, "2021")[(LICENSING, "本年处理决定数量")] == 1149  # whole city, county included
    assert t2(tree.city, 2024, "2021", Scope.OWN)[(LICENSING, "本年处理决定数量")] == 0
    assert t2(tree.education, 2024, "2021", Scope.OWN)[(FEES, "本年收费金额（单位：万元）")] == Decimal(
        "12.5"
    )
    assert t2(tree.education, 2025, "2019", Scope.OWN)[(LICENSING, "上一年项目数量")] == 8
    assert t2(tree.education, 2025, "2019", Scope.OWN)[(LICENSING, "本年增/减")] == -8  # no 2025 row yet


def test_money_prints_in_wan_yuan_without_trailing_zeros(tree: Tree, figures: None) -> None:
    report = build_report(tree.education, 2024, "2021", Scope.OWN)
    fee = next(c for c in report.cells if c.cell.row == FEES)
    assert fee.display == "12.5" and format_value(fee.statistic, Decimal("0.0135")) == "0.0135"
    cells = report_json(build_report(tree.education, 2024, "2019", Scope.OWN))["cells"]
    amount = next(c for c in cells if c["row"] == PROCUREMENT and c["column"] == "采购总金额")
    assert amount["value"] == 1030.0456


def test_validation_accepts_a_negative_change_and_flags_other_negatives(tree: Tree, figures: None) -> None:
    values = t2(tree.education, 2024, "2019", Scope.OWN)
    assert values[(LICENSING, "本年增/减")] == -2
    assert check_table2(values) == []  # type: ignore[arg-type]
    values[(PENALTY, "处理决定数量")] = -1
    (finding,) = check_table2(values)  # type: ignore[arg-type]
    assert finding.rule == "6" and finding.severity == "error"
    assert "行政处罚/处理决定数量" in finding.message and "-1" in finding.message
    assert validate_table2(tree.education, 2024, "2019", Scope.OWN) == []


def test_table2_costs_a_bounded_number_of_queries(tree: Tree, documents: None, figures: None) -> None:
    # the first read recomputes the bodies whose records changed (gongkai.figures); then a report is 4 queries
    Context(org=tree.city, year=2024, scope=Scope.SUBTREE).value("t2.rule.issued")
    ctx = Context(org=tree.city, year=2024, scope=Scope.SUBTREE)
    keys = [s.key for s in REGISTRY.values() if s.key.startswith("t2.")]
    with CaptureQueriesContext(connection) as queries:
        for key in keys:
            ctx.value(key)
    assert len(keys) == 27 and len(queries) <= 4


# The figures domain function -------------------------------------------------------------------------------


def test_save_figures_is_audited_and_updates_only_the_given_fields(tree: Tree, personas: Personas) -> None:
    first = save_proactive_figures(
        personas.office_head, tree.city, 2024, licensing_items=5, fee_amount_wan_yuan=1
    )
    entry = AuditEntry.objects.get(action="catalog.proactive_figures.save")
    assert entry.actor == personas.office_head and entry.before is None
    assert entry.after["licensing_items"] == 5 and entry.object_id == str(first.pk)
    second = save_proactive_figures(personas.office_head, tree.city, 2024, penalty_items=3)
    assert second.pk == first.pk and (second.licensing_items, second.penalty_items) == (5, 3)
    last = AuditEntry.objects.filter(action="catalog.proactive_figures.save").order_by("-id").first()
    assert last is not None and last.before["penalty_items"] == 0 and last.after["penalty_items"] == 3  # type: ignore[index]


def test_bad_values_name_their_fields_and_write_nothing(tree: Tree) -> None:
    save_proactive_figures("test", tree.city, 2024, licensing_items=5)
    with pytest.raises(ValidationError) as raised:
        save_proactive_figures(
            "test",
            tree.city,
            2024,
            licensing_items=7,
            penalty_items=-1,
            service_items="三",
            fee_amount_wan_yuan="1.23456",
            bogus=1,
        )
    errors = raised.value.message_dict
    assert set(errors) == {"penalty_items", "service_items", "fee_amount_wan_yuan", "bogus"}
    assert "行政处罚项目数量（年末）" in errors["penalty_items"][0] and "负数" in errors["penalty_items"][0]
    assert "不是整数" in errors["service_items"][0]
    assert "4位小数" in errors["fee_amount_wan_yuan"][0]
    assert ProactiveFigures.objects.get(body=tree.city, year=2024).licensing_items == 5  # unchanged
    assert AuditEntry.objects.filter(action="catalog.proactive_figures.save").count() == 1


def test_figures_need_a_body_that_existed_in_the_year(tree: Tree) -> None:
    late = make_org("测试市新设局", OrgKind.DEPARTMENT, tree.city, valid_from=D(2025, 3, 1))
    with pytest.raises(ValidationError) as raised:
        save_proactive_figures("test", late, 2024, licensing_items=1)
    assert "body" in raised.value.message_dict and "2024" in raised.value.message_dict["body"][0]
    with pytest.raises(ValidationError) as raised:
        save_proactive_figures("test", tree.city, 1990)
    assert "year" in raised.value.message_dict
    assert not ProactiveFigures.objects.exists()


# Rendering -------------------------------------------------------------------------------------------------


def test_markdown_prints_every_column_of_table2_and_table3(
    tree: Tree, documents: None, figures: None
) -> None:
    text = to_markdown(build_report(tree.education, 2021, "2021", Scope.OWN))
    assert "| 指标 | 本年制发件数 | 本年废止件数 | 现行有效件数 |" in text
    assert "| 　行政规范性文件 | 5 | 2 | 5 |" in text
    assert "| 指标 | 本年收费金额（单位：万元） |" in text
    assert "| 指标 | 自然人 | 法人或其他组织/商业企业 |" in text
    assert text.index("## 二、主动公开政府信息情况") < text.index("本年制发件数") < text.index("## 三、")
    assert "附表" not in text  # 2019/2021 tables sit in their own sections
    text_2019 = to_markdown(build_report(tree.education, 2024, "2019", Scope.OWN))
    assert "| 　行政许可 | 10 | -2 | 120 |" in text_2019


def test_table3_headings_group_the_organisation_columns(tree: Tree) -> None:
    table3 = next(t for t in tables(build_report(tree.city, 2021, "2021")) if t.title.startswith("三"))
    top, bottom = table3.blocks[0].header
    assert [(h.label, h.colspan, h.rowspan) for h in top] == [
        ("自然人", 1, 2),
        ("法人或其他组织", 5, 1),
        ("总计", 1, 2),
    ]
    assert [h.label for h in bottom] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_staff_page_and_published_page_show_the_columns(
    client: Client, tree: Tree, personas: Personas, figures: None
) -> None:
    login(client, personas.office_head)
    page = client.get(f"/staff/reports/{tree.city.org_code}/2024/").content.decode()
    assert (
        '<th scope="col">本年处理决定数量</th>' in page
        and '<th scope="col" colspan="5">法人或其他组织</th>' in page
    )
    assert '/cells/t2.licensing.decisions/?format=2021&amp;scope=subtree">1149</a></td>' in page  # drill-down
    response = client.post(
        f"/staff/reports/{tree.city.org_code}/2024/publish", {"scope": "subtree", "action": "publish"}
    )
    assert response.status_code == 302
    public = Client().get(f"/reports/{tree.city.org_code}/2024/").content.decode()
    assert '<th scope="col">本年处理决定数量</th>' in public and '<td class="value">1149</td>' in public


def test_a_snapshot_frozen_before_tables_had_blocks_still_renders(tree: Tree) -> None:
    frozen = freeze(build_report(tree.city, 2014, "2014"))
    for table in frozen["tables"]:  # the old shape: one value per line
        lines = [line for block in table.pop("blocks") for line in block["lines"]]
        table["lines"] = [
            {"label": ln["label"], "depth": ln["depth"], "cell": ln["cells"][0] if ln["cells"] else None}
            for ln in lines
        ]
        del table["in_section"]
    from django.template.loader import render_to_string

    html = render_to_string("reports/_report.html", frozen)
    assert "附表" in html and "（一）主动公开政府信息数" in html and '<td class="value">0</td>' in html


# The staff page --------------------------------------------------------------------------------------------


def login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def figures_url(org: Organisation, year: int = 2024) -> str:
    return f"/staff/reports/{org.org_code}/{year}/figures/"


def test_office_head_enters_figures_through_the_page(client: Client, tree: Tree, personas: Personas) -> None:
    login(client, personas.office_head)
    page = client.get(figures_url(tree.city))
    assert page.status_code == 200 and "行政许可项目数量（年末）" in page.content.decode()
    data = {name: "0" for name in page.context["form"].fields}
    data.update(licensing_items="12", licensing_decisions="340", fee_amount_wan_yuan="3.25")
    response = client.post(figures_url(tree.city), data)
    assert response.status_code == 302
    saved = ProactiveFigures.objects.get(body=tree.city, year=2024)
    assert (saved.licensing_items, saved.licensing_decisions, saved.fee_amount_wan_yuan) == (
        12,
        340,
        Decimal("3.25"),
    )
    entry = AuditEntry.objects.get(action="catalog.proactive_figures.save")
    assert entry.actor == personas.office_head
    data["penalty_items"] = "-4"
    response = client.post(figures_url(tree.city), data)
    assert response.status_code == 200 and response.context["form"].errors["penalty_items"]
    assert ProactiveFigures.objects.get(body=tree.city, year=2024).penalty_items == 0


def test_clerk_and_supervisor_read_but_do_not_write(client: Client, tree: Tree, personas: Personas) -> None:
    save_proactive_figures("test", tree.education, 2024, licensing_items=6)
    save_proactive_figures("test", tree.county, 2024, licensing_items=9)
    login(client, personas.clerk)
    page = client.get(figures_url(tree.education))
    assert (
        page.status_code == 200 and "只读" in page.content.decode() and 'value="6"' in page.content.decode()
    )
    assert client.post(figures_url(tree.education), {"licensing_items": "1"}).status_code == 403
    assert client.get(figures_url(tree.city)).status_code == 403
    supervisor = login(Client(), personas.supervisor)
    assert supervisor.get(figures_url(tree.county)).status_code == 200
    assert supervisor.post(figures_url(tree.county), {"licensing_items": "1"}).status_code == 403
    assert supervisor.get(figures_url(tree.education)).status_code == 403
    assert login(Client(), personas.outsider).get(figures_url(tree.city)).status_code == 403
    assert Client().get(figures_url(tree.city)).status_code == 302
    assert ProactiveFigures.objects.get(body=tree.county, year=2024).licensing_items == 9
    assert ProactiveFigures.objects.get(body=tree.education, year=2024).licensing_items == 6


def test_admin_saves_are_validated_and_audited(client: Client, tree: Tree) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    assert client.login(username="root", password=PASSWORD)
    data = dict.fromkeys(FIELDS, "0")
    data.update(body=str(tree.education.pk), year="2024", licensing_items="3")
    response = client.post("/admin/catalog/proactivefigures/add/", data)
    assert response.status_code == 302, response.content[:500]
    entry = AuditEntry.objects.get(action="catalog.proactivefigures.add")
    assert entry.after is not None and entry.after["licensing_items"] == 3
    late = make_org("测试市新设局", OrgKind.DEPARTMENT, tree.city, valid_from=D(2025, 3, 1))
    data.update(body=str(late.pk))
    response = client.post("/admin/catalog/proactivefigures/add/", data)
    assert response.status_code == 200 and "不存在" in response.content.decode()
    assert not ProactiveFigures.objects.filter(body=late).exists()
