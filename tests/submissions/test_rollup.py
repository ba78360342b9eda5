"""The subtree roll-up adds record-derived and submitted figures without double counting, recomputes rates from
the summed counts, and says which body's figures came from where; permissions and the staff pages."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongkai.accounts.models import Role
from gongkai.catalog.figures import save_proactive_figures
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.build import build_report
from gongkai.reports.registry import Context, Scope
from gongkai.reports.stats_requests import NEW, T3
from gongkai.reports.stats_table2 import ART20_5, ART20_8, T2
from gongkai.submissions import actions
from gongkai.submissions.models import Submission
from gongkai.submissions.rollup import sources, submission_url
from gongkai.submissions.xlsx import template_for
from tests.conftest import PASSWORD, Personas, Tree, make_org, make_user
from tests.submissions.helpers import ALL, PERSON, TABLE3_2021, fill

pytestmark = pytest.mark.django_db

YEAR, FMT = 2024, "2021"
LICENSING = (T2, f"{ART20_5}/行政许可", "本年处理决定数量")
FEE = (T2, f"{ART20_8}/行政事业性收费", "本年收费金额（单位：万元）")


@pytest.fixture
def township(tree: Tree) -> Organisation:
    return make_org("测试县某镇人民政府", OrgKind.TOWNSHIP, tree.county)


def _submit(personas: Personas, org: object, fmt: str, values: dict) -> Submission:  # type: ignore[type-arg]
    data = fill(template_for(org, YEAR, fmt), fmt, values)  # type: ignore[arg-type]
    return actions.submit(personas.supervisor, org, YEAR, fmt, io.BytesIO(data), "填报.xlsx")  # type: ignore[arg-type]


def test_subtree_adds_records_and_submissions_without_double_counting(
    tree: Tree, personas: Personas, township: Organisation
) -> None:
    # 公安局 is on the platform: its Table 2 figures come from its records.
    save_proactive_figures(
        "test", tree.county_police, YEAR, licensing_decisions=5, fee_amount_wan_yuan=Decimal("1.5")
    )
    # The township keeps its own books and submits; a stray platform row of its own must not count as well.
    save_proactive_figures("test", township, YEAR, licensing_decisions=100)
    submission = _submit(personas, township, FMT, {**TABLE3_2021, LICENSING: 7, FEE: 0.25})

    values = build_report(tree.county, YEAR, FMT, Scope.SUBTREE).values()
    assert values["t2.licensing.decisions"] == 5 + 7
    assert values["t2.fee.amount"] == Decimal("1.75")
    assert values["t3.new.0"] == 3 and values["t3.new.6"] == 3  # only the township had requests
    own = build_report(township, YEAR, FMT, Scope.OWN).values()
    assert own["t2.licensing.decisions"] == 7
    assert build_report(tree.county_police, YEAR, FMT, Scope.OWN).values()["t2.licensing.decisions"] == 5
    # the city above adds the same figures once
    assert build_report(tree.city, YEAR, FMT, Scope.SUBTREE).values()["t2.licensing.decisions"] == 12

    found = {s.body.name: (s.kind, s.submission_id) for s in sources(tree.county, YEAR, FMT, "subtree")}
    assert found == {
        "测试县人民政府": ("records", None),
        "测试县公安局": ("records", None),
        "测试县某镇人民政府": ("submission", submission.pk),
    }
    assert (
        submission_url(township, YEAR, FMT) == f"/staff/submissions/{township.org_code}/{YEAR}/?format=2021"
    )
    assert submission_url(tree.county_police, YEAR, FMT) is None

    actions.withdraw(personas.supervisor, submission, "改由平台记录")
    assert build_report(tree.county, YEAR, FMT, Scope.SUBTREE).values()["t2.licensing.decisions"] == 105


def test_a_submission_in_the_years_format_also_serves_reports_printed_in_another(
    tree: Tree, personas: Personas, township: Organisation
) -> None:
    """2024 uses the 2021 format; a 2024 report printed in the 2019 trial format counts the township's 2021
    figures under the statistics both formats share, unless the township submitted a 2019 sheet as well — and a
    2019 sheet never serves the year's own 2021 report."""
    _submit(personas, township, FMT, {LICENSING: 7})
    assert Context(tree.county, YEAR, Scope.SUBTREE).value("t2.licensing.decisions") == 7  # 2024 → 2021
    assert Context(tree.county, YEAR, Scope.SUBTREE, fmt="2019").value("t2.licensing.decisions") == 7
    _submit(personas, township, "2019", {(T2, f"{ART20_5}/行政许可", "处理决定数量"): 4})
    assert Context(tree.county, YEAR, Scope.SUBTREE, fmt="2019").value("t2.licensing.decisions") == 4
    assert Context(tree.county, YEAR, Scope.SUBTREE).value("t2.licensing.decisions") == 7


def test_rates_are_recomputed_from_summed_counts(
    tree: Tree, personas: Personas, township: Organisation
) -> None:
    """地方补充指标 办结率 (Unit.PERCENT): 35 of 40 calls → 87.5, not 50.0 + 100.0."""
    other = make_org("测试县另一镇人民政府", OrgKind.TOWNSHIP, tree.county)
    calls, completed = (
        ("地方补充指标", "市长热线/来电数", "数值"),
        ("地方补充指标", "市长热线/办结数", "数值"),
    )
    _submit(personas, township, "2014", {calls: 10, completed: 5})
    _submit(personas, other, "2014", {calls: 30, completed: 30})
    values = build_report(tree.county, YEAR, "2014", Scope.SUBTREE).values()
    assert values["l.hotline.calls"] == 40 and values["l.hotline.completed"] == 35
    assert values["l.hotline.rate"] == Decimal("87.5")


def test_who_may_submit(tree: Tree, personas: Personas) -> None:
    data = io.BytesIO(template_for(tree.county_police, YEAR, FMT))
    with pytest.raises(PermissionDenied):  # another body's staff
        actions.submit(personas.clerk, tree.county_police, YEAR, FMT, data, "x.xlsx")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):  # a supervisor outside the supervised subtree
        actions.submit(personas.supervisor, tree.education, YEAR, FMT, data, "x.xlsx")  # type: ignore[arg-type]
    assert not Submission.objects.exists()
    education = template_for(tree.education, YEAR, FMT)
    with pytest.raises(
        PermissionDenied
    ):  # the body's clerk: a submission replaces its records, like publishing
        actions.submit(personas.clerk, tree.education, YEAR, FMT, io.BytesIO(education), "own.xlsx")  # type: ignore[arg-type]
    head = make_user("edu-head", tree.education, Role.OFFICE_HEAD)
    assert actions.submit(head, tree.education, YEAR, FMT, io.BytesIO(education), "own.xlsx").is_current  # type: ignore[arg-type]


def _login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def test_staff_pages(client: Client, tree: Tree, personas: Personas) -> None:
    org = tree.county_police
    base = f"/staff/submissions/{org.org_code}/{YEAR}/"
    _login(client, personas.clerk)
    assert client.get(base + "template.xlsx?format=2021").status_code == 403  # not the clerk's body
    assert client.post(base + "upload", {"format": "2021"}).status_code == 403
    client.logout()

    _login(client, personas.supervisor)
    template = client.get(base + "template.xlsx?format=2021")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    bad = fill(template.content, FMT, {(T3, NEW, PERSON): 3})  # 总计 column left at 0
    page = client.post(base + "upload", {"format": "2021", "file": io.BytesIO(bad)})
    assert page.status_code == 400
    body = page.content.decode()
    assert "表三!D6" in body and "表三!J6" in body and "没有保存任何数据" in body
    assert not Submission.objects.exists()

    good = io.BytesIO(fill(template.content, FMT, {**TABLE3_2021, (T3, NEW, ALL): 3}))
    good.name = "公安局2024.xlsx"
    response = client.post(base + "upload", {"format": "2021", "file": good})
    assert response.status_code == 302
    listing = client.get(base + "?format=2021").content.decode()
    assert "公安局2024.xlsx" in listing and "现行" in listing
    submission = Submission.objects.get()
    assert client.get(f"/staff/submissions/file/{submission.pk}").status_code == 200
    # The county's report says which body's figures came from a submission, and links to it.
    report = client.get(f"/staff/reports/{tree.county.org_code}/{YEAR}/").content.decode()
    assert 'id="sources"' in report and org.name in report and f"{base}?format=2021" in report
