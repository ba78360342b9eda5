"""The staff report page built once per change (gongkai.reports.built) costs what the change should: a new
record recomputes the sums of the years it counts in only — last year's report and the trend's earlier years
come from the aggregates' cache — and charts are drawn again only when their data changed. The page shows the
aggregates' freshness stamp and the same figures as a live count."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.figures import read
from gongkai.reports import charts
from gongkai.reports.actions import save_narrative
from gongkai.reports.exports import draw, html
from gongkai.reports.registry import Context, Scope, statistics_for_format
from tests.conftest import PASSWORD, Personas, Tree, publish_normative

pytestmark = pytest.mark.django_db
YEAR, FMT = 2024, "2021"


@pytest.fixture
def report_cache(settings: Any) -> None:
    settings.GONGKAI_REPORT_CACHE = True


@pytest.fixture
def summed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(body id, year) of each sum read from the aggregates (the real read runs each time)."""
    calls: list[tuple[int, int]] = []
    real = read._sums

    def counting(ctx: Context, *args: Any) -> Any:
        calls.append((ctx.org.pk, ctx.year))
        return real(ctx, *args)

    monkeypatch.setattr(read, "_sums", counting)
    return calls


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = draw.chart_svg

    def counting(chart: Any, prefix: str = "chart") -> str:
        calls.append(1)
        return real(chart, prefix)

    monkeypatch.setattr(draw, "chart_svg", counting)
    return calls


def _page(client: Client, tree: Tree) -> Any:
    response = client.get(f"/staff/reports/{tree.city.org_code}/{YEAR}/", {"scope": "subtree"})
    assert response.status_code == 200
    return response


def _live(tree: Tree) -> dict[str, Any]:
    ctx = Context(org=tree.city, year=YEAR, scope=Scope.SUBTREE, fmt=FMT, live=True)
    return {s.key: ctx.value(s.key) for s in statistics_for_format(FMT)}


@pytest.fixture
def office_client(personas: Personas) -> Client:
    client = Client()
    assert client.login(username=personas.office_head.username, password=PASSWORD)
    return client


@pytest.mark.usefixtures("report_cache")
def test_a_new_record_recomputes_its_years_only(
    tree: Tree, office_client: Client, summed: list[tuple[int, int]]
) -> None:
    publish_normative(tree, YEAR)
    first = _page(office_client, tree)
    years = {year for _org, year in summed}
    assert {YEAR - 1, YEAR} <= years and min(years) <= YEAR - 4  # last year and the trend were read
    assert 'id="figures-fresh"' in first.content.decode()
    summed.clear()
    publish_normative(tree, YEAR)
    after = _page(office_client, tree)
    assert summed and {year for _org, year in summed} == {YEAR}
    assert after.context["report"].values() == _live(tree)
    assert after.context["report"].values()["t2.normative.issued"] == 2
    assert after.context["figures_computed_at"] is not None
    assert 'id="figures-fresh"' in after.content.decode()


@pytest.mark.usefixtures("report_cache")
def test_a_text_change_reads_no_sums_and_draws_no_chart(
    tree: Tree, office_client: Client, summed: list[tuple[int, int]], drawn: list[int]
) -> None:
    publish_normative(tree, YEAR)
    _page(office_client, tree)
    assert drawn and summed
    summed.clear()
    drawn.clear()
    save_narrative("test", tree.city, FMT, 1, "本市的总体情况与众不同。", year=YEAR)
    page = _page(office_client, tree)
    assert "本市的总体情况与众不同。" in page.content.decode()  # built again: the text changed
    assert summed == [] and drawn == []  # no figure and no chart did
    report = page.context["report"]
    assert page.context["chart_figures"] == charts.drawn_charts(charts.chart_data(report))
    assert page.context["chart_figures"] == html.chart_figures(charts.chart_data(report))  # as drawn anew


@pytest.mark.usefixtures("report_cache")
def test_a_new_record_redraws_only_the_charts_it_moved(
    tree: Tree, office_client: Client, drawn: list[int]
) -> None:
    publish_normative(tree, YEAR)
    _page(office_client, tree)
    assert len(drawn) == 3
    drawn.clear()
    publish_normative(tree, YEAR)  # a document: no request, review or lawsuit figure moves
    _page(office_client, tree)
    assert drawn == []
