"""Drill-down from report cells to the records they count (issue 5 deliverable 5, gongkai.reports.drilldown):
listed records equal the cell and are the right ones (Tables 2, 3, 4, the 2014 table), derived and entered
cells, submissions under 来自填报, access control and masking, and no links on the public page."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from gongkai.cases import transitions as t
from gongkai.cases.models import AdministrativeReview, InformationRequest, Lawsuit
from gongkai.catalog.figures import save_proactive_figures
from gongkai.catalog.models import NormativeKind, Publication, PublicationStatus
from gongkai.masking import mask_id_number
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.drilldown import Kind, cell_drilldown
from gongkai.reports.registry import REGISTRY, Context, Scope
from gongkai.reports.stats_requests import NEW, T3, T4
from gongkai.reports.stats_table2 import ART20_1, ART20_5, T2
from gongkai.submissions import actions as submissions
from gongkai.submissions.xlsx import template_for
from tests.conftest import PASSWORD, Personas, Tree, make_org
from tests.hotline.helpers import make_ticket
from tests.submissions.helpers import TABLE3_2021, fill

pytestmark = pytest.mark.django_db
D = dt.date
THIRD_PARTY = "三、本年度办理结果/（三）不予公开/4.保护第三方合法权益"
ID_NUMBER = "110101199003071234"
_serial = iter(range(1, 100_000))


@pytest.fixture(autouse=True)
def fast_passwords_and_media(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def key_for(fmt: str, table: str, row: str, column: str) -> str:
    """The statistic printed in a cell (the registry declares each cell once)."""
    (key,) = [
        s.key
        for s in REGISTRY.values()
        if (c := s.cells.get(fmt)) and (c.table, c.row, c.column) == (table, row, column)
    ]
    return key


def listed(user: Any, org: Organisation, year: int, key: str, fmt: str, scope: Scope = Scope.SUBTREE) -> Any:
    drill = cell_drilldown(user, org, year, key, fmt, scope)
    pks = sorted(r.pk for r in drill.records) if drill.records is not None else []
    return drill, pks


def case(personas: Personas, body: Organisation, received: dt.date, kind: str, subject: str = "s") -> Any:
    return t.register(
        personas.clerk, body, received=received, channel="online", applicant_kind=kind, subject=subject
    )


@pytest.fixture
def cases(tree: Tree, personas: Personas) -> dict[str, Any]:
    """2025 cases of 教育局 (own), its 招生办 (below) and the county police (another branch)."""
    a = case(personas, tree.education, D(2025, 3, 4), "natural", f"申请人身份证{ID_NUMBER}的档案")
    b = case(personas, tree.school_office, D(2025, 4, 1), "natural")
    c = case(personas, tree.education, D(2025, 5, 5), "legal_service")
    t.answer(personas.clerk, c, on=D(2025, 5, 20), outcome="2019.refused.third_party")
    d = case(personas, tree.education, D(2025, 6, 6), "business")
    t.answer(personas.clerk, d, on=D(2025, 6, 20), outcome="2019.refused.third_party")
    case(personas, tree.county_police, D(2025, 3, 3), "natural")
    case(personas, tree.education, D(2024, 12, 1), "natural")  # another year
    review = AdministrativeReview.objects.create(
        body=tree.education, request=c, filed_on=D(2025, 6, 1), decided_on=D(2025, 7, 1), outcome="corrected"
    )
    AdministrativeReview.objects.create(body=tree.education, request=d, filed_on=D(2025, 7, 1))  # pending
    Lawsuit.objects.create(
        body=tree.education, request=c, filed_on=D(2025, 8, 1), decided_on=D(2025, 9, 1), outcome="corrected"
    )
    return {"a": a, "b": b, "c": c, "d": d, "review": review}


def test_table3_new_per_applicant_column_lists_the_received_requests(
    tree: Tree, personas: Personas, cases: dict[str, Any]
) -> None:
    drill, pks = listed(_superuser(), tree.education, 2025, key_for("2021", T3, NEW, "自然人"), "2021")
    assert drill.kind == Kind.COUNTED and drill.value == 2 == len(pks)
    assert pks == sorted([cases["a"].pk, cases["b"].pk])
    drill, pks = listed(_superuser(), tree.education, 2025, key_for("2021", T3, NEW, "总计"), "2021")
    assert drill.value == 4 == len(pks)
    own, own_pks = listed(_superuser(), tree.education, 2025, "t3.new.0", "2021", Scope.OWN)
    assert own.value == 1 and own_pks == [cases["a"].pk]


def test_table3_outcome_row_lists_the_answered_cases(tree: Tree, cases: dict[str, Any]) -> None:
    for column, expected in (("法人或其他组织/法律服务机构", ["c"]), ("总计", ["c", "d"])):
        drill, pks = listed(
            _superuser(), tree.education, 2025, key_for("2021", T3, THIRD_PARTY, column), "2021"
        )
        assert drill.value == len(pks) and pks == sorted(cases[n].pk for n in expected)
    # the 2019 trial's single （六） row and its （七） total agree with their records too
    for key in ("t3.other_2019.6", "t3.total.6"):
        drill, pks = listed(_superuser(), tree.education, 2025, key, "2019")
        assert drill.value == len(pks)


def test_table4_review_outcomes_list_the_reviews(tree: Tree, cases: dict[str, Any]) -> None:
    drill, pks = listed(
        _superuser(), tree.education, 2025, key_for("2021", T4, "行政复议", "结果纠正"), "2021"
    )
    assert drill.value == 1 and pks == [cases["review"].pk]
    pending, pending_pks = listed(_superuser(), tree.education, 2025, "t4.review.pending", "2021")
    total, total_pks = listed(_superuser(), tree.education, 2025, "t4.review.total", "2021")
    assert (pending.value, total.value) == (len(pending_pks), len(total_pks)) == (1, 2)
    suits, suit_pks = listed(_superuser(), tree.education, 2025, "t4.suit_direct.corrected", "2021")
    assert suits.value == len(suit_pks) == 1 and suits.records is not None
    assert suits.records.model is Lawsuit


def _document(body: Organisation, issued: dt.date, published: dt.date | None = None) -> Publication:
    return Publication.objects.create(
        body=body,
        index_code=body.org_code,
        index_year=issued.year,
        index_serial=next(_serial),
        title="关于规范有关事项的通知",
        made_on=issued,
        issued_on=issued,
        published_on=published,
        normative_kind=NormativeKind.NORMATIVE,
        status=PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT,
    )


def test_table2_normative_issued_lists_the_documents(tree: Tree) -> None:
    issued = [
        _document(tree.education, D(2021, 4, 1)),  # never published: still 制发
        _document(tree.school_office, D(2021, 6, 1), D(2021, 6, 2)),
    ]
    _document(tree.education, D(2020, 3, 2), D(2020, 3, 10))  # another year
    _document(tree.county, D(2021, 7, 7), D(2021, 7, 8))  # another branch
    key = key_for("2021", T2, f"{ART20_1}/行政规范性文件", "本年制发件数")
    drill, pks = listed(_superuser(), tree.education, 2021, key, "2021")
    assert drill.value == 2 and pks == sorted(d.pk for d in issued)


def test_a_2014_cell_lists_its_requests(tree: Tree, personas: Personas) -> None:
    online = case(personas, tree.education, D(2014, 3, 4), "natural")
    email = t.register(
        personas.clerk,
        tree.education,
        received=D(2014, 4, 4),
        channel="email",
        applicant_kind="natural",
        subject="e",
    )
    t.register(
        personas.clerk,
        tree.education,
        received=D(2014, 5, 4),
        channel="letter",
        applicant_kind="natural",
        subject="l",
    )
    drill, pks = listed(_superuser(), tree.education, 2014, "a14.online", "2014")
    assert drill.value == 2 and pks == sorted([online.pk, email.pk])  # e-mail counts as 网络申请 in 2014
    drill, pks = listed(_superuser(), tree.education, 2014, "a14.received", "2014")
    assert drill.value == 3 == len(pks)


def test_a_rate_lists_the_statistics_it_is_derived_from(tree: Tree) -> None:
    at = dt.datetime(2014, 5, 1, 9, tzinfo=dt.UTC)
    make_ticket(tree.city, at, at + dt.timedelta(days=2))
    make_ticket(tree.city, at)
    drill = cell_drilldown(_superuser(), tree.city, 2014, "l.hotline.rate", "2014", Scope.SUBTREE)
    assert drill.kind == Kind.DERIVED and drill.records is None and drill.display == "50.0"
    assert [(i.statistic.key, i.display) for i in drill.inputs] == [
        ("l.hotline.completed", "1"),
        ("l.hotline.calls", "2"),
    ]
    assert drill.inputs[1].url.endswith("/cells/l.hotline.calls/?format=2014&scope=subtree")


def test_an_entered_figure_lists_the_bodies_rows_and_links_to_the_entry_page(tree: Tree) -> None:
    save_proactive_figures("test", tree.education, 2023, licensing_items=10)
    save_proactive_figures("test", tree.education, 2024, licensing_decisions=120, licensing_items=8)
    save_proactive_figures("test", tree.school_office, 2024, licensing_decisions=30)
    save_proactive_figures("test", tree.county, 2024, licensing_decisions=999)
    key = key_for("2021", T2, f"{ART20_5}/行政许可", "本年处理决定数量")
    drill = cell_drilldown(_superuser(), tree.education, 2024, key, "2021", Scope.SUBTREE)
    assert drill.kind == Kind.ENTERED and drill.value == 150 and drill.listed_total == "150"
    assert drill.records is not None
    assert sorted((r.body.name, r.figure) for r in drill.records) == [
        ("测试市教育局", 120),
        ("测试市教育局招生办公室", 30),
    ]
    assert drill.entry_url == f"/staff/reports/{tree.education.org_code}/2024/figures/"
    change = cell_drilldown(_superuser(), tree.education, 2024, "t2.licensing.change", "2019", Scope.OWN)
    assert change.records is not None
    assert sorted((r.year, r.figure) for r in change.records) == [(2023, -10), (2024, 8)]
    assert change.display == change.listed_total == "-2"  # 8 − 10: last year's row counts negative


def test_a_submitting_body_appears_under_submissions_not_in_the_records(
    tree: Tree, personas: Personas
) -> None:
    township = make_org("测试县某镇人民政府", OrgKind.TOWNSHIP, tree.county)
    data = fill(template_for(township, 2024, "2021"), "2021", TABLE3_2021)
    submissions.submit(personas.supervisor, township, 2024, "2021", io.BytesIO(data), "填报.xlsx")
    case(personas, township, D(2024, 3, 1), "natural")  # a stray platform record of the township: not counted
    police = case(personas, tree.county_police, D(2024, 3, 2), "natural")
    drill, pks = listed(_superuser(), tree.county, 2024, "t3.new.0", "2021")
    assert pks == [police.pk]
    assert [(s.body.name, s.value) for s in drill.submitted] == [("测试县某镇人民政府", "3")]
    assert drill.value == len(pks) + 3
    assert drill.submitted[0].url == f"/staff/submissions/{township.org_code}/2024/?format=2021"


# Pages and access -----------------------------------------------------------------------------------------


def _superuser() -> Any:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    existing = user_model.objects.filter(username="root").first()
    return existing or user_model.objects.create_superuser("root", password=PASSWORD)


def login(client: Client, user: Any) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def cell_page(
    client: Client, org: Organisation, year: int, key: str, query: str = "format=2021&scope=subtree"
) -> Any:
    return client.get(f"/staff/reports/{org.org_code}/{year}/cells/{key}/?{query}")


def test_the_page_lists_visible_records_only_and_masks_identifiers(
    client: Client, tree: Tree, personas: Personas, cases: dict[str, Any]
) -> None:
    login(client, personas.clerk)  # 教育局 clerk: sees 教育局, not its 招生办
    page = cell_page(client, tree.education, 2025, "t3.new.0")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<dd class="value" id="cell-value">2</dd>' in html
    assert "共1条记录" in html and "另有1条记录属于您无权查看的机关" in html
    assert f"/staff/cases/{cases['a'].pk}/" in html and f"/staff/cases/{cases['b'].pk}/" not in html
    assert ID_NUMBER not in html and mask_id_number(ID_NUMBER) in html
    assert "来自填报" in html and "自然人" in html


def test_other_bodies_staff_and_unknown_cells_are_refused(
    client: Client, tree: Tree, personas: Personas, cases: dict[str, Any]
) -> None:
    login(client, personas.clerk)
    assert cell_page(client, tree.county, 2025, "t3.new.0").status_code == 403
    assert cell_page(client, tree.city, 2025, "t3.new.0").status_code == 403
    assert cell_page(client, tree.education, 2025, "no.such.key").status_code == 404
    assert cell_page(client, tree.education, 2025, "t3.new.0", "format=1999").status_code == 404
    client.logout()
    login(client, personas.supervisor)  # supervises the county's subtree
    assert cell_page(client, tree.education, 2025, "t3.new.0").status_code == 403
    html = cell_page(client, tree.county, 2025, "t3.new.0").content.decode()
    assert '<dd class="value" id="cell-value">1</dd>' in html and "共1条记录" in html
    assert "另有" not in html


def test_staff_report_links_every_cell_and_the_public_page_does_not(
    client: Client, tree: Tree, personas: Personas, cases: dict[str, Any]
) -> None:
    login(client, personas.office_head)
    staff = client.get(f"/staff/reports/{tree.city.org_code}/2025/").content.decode()
    links = re.findall(r'href="(/staff/reports/[^"]+/cells/[^"]+)"', staff)
    cells = [c for s in REGISTRY.values() if "2021" in s.cells for c in [s.cells["2021"]]]
    assert len(links) == len(cells)
    assert f"/staff/reports/{tree.city.org_code}/2025/cells/t3.new.6/?format=2021&amp;scope=subtree" in staff
    response = client.post(
        f"/staff/reports/{tree.city.org_code}/2025/publish",
        {"scope": "subtree", "action": "publish", "override_reason": "测试"},
    )
    assert response.status_code == 302
    public = Client().get(f"/reports/{tree.city.org_code}/2025/").content.decode()
    assert "本年新收政府信息公开申请数量" in public
    assert "/cells/" not in public and "/staff/" not in public


def test_counts_match_the_report_context(tree: Tree, cases: dict[str, Any]) -> None:
    """Every record-counted count cell of Tables 3 and 4 lists exactly its value (own and subtree)."""
    for scope in (Scope.OWN, Scope.SUBTREE):
        ctx = Context(org=tree.education, year=2025, scope=scope, fmt="2021")
        for stat in REGISTRY.values():
            cell = stat.cells.get("2021")
            if cell is None or cell.table not in (T3, T4) or stat.records is None:
                continue
            assert stat.records(ctx).count() == ctx.value(stat.key), stat.key
    assert InformationRequest.objects.filter(receipt_date__year=2025).count() == 5  # the fixture's cases


def test_listed_free_text_is_masked(client: Client, tree: Tree, personas: Personas) -> None:
    at = dt.datetime(2014, 5, 1, 9, tzinfo=dt.UTC)
    make_ticket(tree.city, at, topic="来电人13812345678反映噪声")
    login(client, personas.office_head)
    html = cell_page(client, tree.city, 2014, "l.hotline.calls", "format=2014&scope=own").content.decode()
    assert "13812345678" not in html and "138****5678反映噪声" in html and "来电日期：2014-05-01" in html
