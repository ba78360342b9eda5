"""The statistics registry on a small tree: own vs subtree, year boundaries, counting conventions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.cases.models import InformationRequest
from gongkai.catalog.models import Channel, ChannelKind, Genre, NormativeKind, Publication, PublicationChannel
from gongkai.engagement.models import PublicConcernEvent, ResponseAction, YearlyFigures
from gongkai.organisations.models import Organisation
from gongkai.reports.build import build_report
from gongkai.reports.formats import all_cells
from gongkai.reports.registry import REGISTRY, Context, Scope, Statistic, Unit, format_value, percent
from tests.conftest import Tree
from tests.hotline.helpers import make_ticket

pytestmark = pytest.mark.django_db
_serial = iter(range(1, 100_000))


def publish(body: Organisation, day: dt.date, *channels: Channel, **extra: object) -> Publication:
    pub = Publication.objects.create(
        body=body,
        index_code=body.org_code,
        index_year=day.year,
        index_serial=next(_serial),
        title="t",
        made_on=day,
        published_on=day,
        **extra,
    )
    for channel in channels:
        PublicationChannel.objects.create(publication=pub, channel=channel, published_on=day)
    return pub


def channel(owner: Organisation, kind: str) -> Channel:
    return Channel.objects.create(
        name=f"{owner.name}{kind}", kind=ChannelKind.objects.get(code=kind), owner=owner
    )


def value(org: Organisation, key: str, scope: Scope = Scope.SUBTREE, year: int = 2014) -> object:
    return Context(org=org, year=year, scope=scope).value(key)


def test_every_2014_cell_has_exactly_one_statistic() -> None:
    declared = [s.cells["2014"] for s in REGISTRY.values() if "2014" in s.cells]
    assert sorted(declared, key=repr) == sorted(all_cells("2014"), key=repr)
    assert len(declared) == len(set(declared))


def test_own_counts_the_body_alone_and_subtree_adds_descendants(tree: Tree) -> None:
    site = channel(tree.city, "website")
    day = dt.date(2014, 5, 6)
    publish(tree.city, day, site)
    publish(tree.education, day, site)
    publish(tree.school_office, day, site)
    publish(tree.county_police, day, site)
    assert value(tree.city, "p14.items", Scope.OWN) == 1
    assert value(tree.city, "p14.items") == 4
    assert value(tree.education, "p14.items") == 2
    assert value(tree.education, "p14.items", Scope.OWN) == 1
    assert value(tree.county, "p14.items") == 1  # a sibling's records never leak in


def test_items_count_once_but_once_per_channel_category(tree: Tree) -> None:
    site, weibo, weibo2 = (
        channel(tree.city, "website"),
        channel(tree.city, "weibo"),
        channel(tree.education, "weibo"),
    )
    publish(tree.city, dt.date(2014, 3, 3), site, weibo, weibo2)
    assert value(tree.city, "p14.items") == 1
    assert value(tree.city, "p14.website") == 1
    assert value(tree.city, "p14.weibo") == 1  # two Weibo accounts, one item


def test_year_boundaries_and_unpublished_items(tree: Tree) -> None:
    site = channel(tree.city, "website")
    publish(tree.city, dt.date(2013, 12, 31), site)
    publish(tree.city, dt.date(2014, 1, 1), site)
    publish(tree.city, dt.date(2014, 12, 31), site)
    publish(tree.city, dt.date(2015, 1, 1), site)
    Publication.objects.create(
        body=tree.city,
        index_code="x",
        index_year=2014,
        index_serial=1,
        title="draft",
        made_on=dt.date(2014, 6, 1),
        normative_kind=NormativeKind.NORMATIVE,
        issued_on=dt.date(2014, 6, 1),
    )
    assert value(tree.city, "p14.items") == 2
    assert value(tree.city, "p14.normative_issued") == 1
    assert value(tree.city, "p14.normative_published") == 0


def test_interpretations_and_events_answered_several_ways(tree: Tree) -> None:
    policy = publish(
        tree.city,
        dt.date(2014, 2, 10),
        normative_kind=NormativeKind.NORMATIVE,
        issued_on=dt.date(2014, 2, 10),
    )
    publish(
        tree.city, dt.date(2014, 2, 12), genre=Genre.objects.get(code=Genre.INTERPRETATION), interprets=policy
    )
    event = PublicConcernEvent.objects.create(body=tree.education, title="e", noticed_on=dt.date(2014, 4, 1))
    ResponseAction.objects.create(
        event=event, kind="press_conference", held_on=dt.date(2014, 4, 2), principal_leader=True
    )
    ResponseAction.objects.create(event=event, kind="weibo_wechat", held_on=dt.date(2014, 4, 2))
    assert value(tree.city, "r14.interpretations") == 1
    assert value(tree.city, "r14.events") == 1
    assert value(tree.city, "r14.press") == value(tree.city, "r14.press_leader") == 1
    assert value(tree.city, "r14.weibo_wechat") == 1
    assert value(tree.county, "r14.events") == 0


def test_requests_on_time_extended_and_by_channel(tree: Tree) -> None:
    base = {
        "body": tree.education,
        "applicant_kind": "natural",
        "subject": "s",
        "regime": "2008",
        "received_on": dt.date(2014, 3, 3),
        "receipt_date": dt.date(2014, 3, 3),
        "due_date": dt.date(2014, 3, 24),
    }
    InformationRequest.objects.create(
        **base, channel="email", answered_on=dt.date(2014, 3, 20), outcome="2008.disclosed", state="answered"
    )
    InformationRequest.objects.create(
        **base,
        channel="letter",
        answered_on=dt.date(2014, 4, 2),
        outcome="2008.refused.privacy",
        state="answered",
        extension_days=15,
        extended_due_date=dt.date(2014, 4, 14),
    )
    InformationRequest.objects.create(**base, channel="fax")  # still open
    values = build_report(tree.city, 2014, "2014").values()
    assert values["a14.received"] == 3 == values["a14.online"] + values["a14.letter"] + values["a14.fax"]
    assert (values["a14.closed"], values["a14.on_time"], values["a14.extended"]) == (2, 1, 1)
    assert (values["a14.refused"], values["a14.refused.privacy"], values["a14.disclosed"]) == (1, 1, 1)


def test_rates_and_money_print_to_their_precision(tree: Tree) -> None:
    assert percent(2549, 2650, 1) == Decimal("96.2")
    assert percent(8421, 8565, 2) == Decimal("98.32")
    assert percent(0, 0, 1) == Decimal("0.0")
    money = Statistic("m", "m", lambda c: 0, {}, unit=Unit.WAN_YUAN, precision=2)
    assert format_value(money, Decimal("12.50")) == "12.5"
    assert format_value(money, Decimal("3.00")) == "3"
    tz = dt.timezone(dt.timedelta(hours=8))
    make_ticket(tree.city, dt.datetime(2014, 1, 5, 9, tzinfo=tz), dt.datetime(2014, 1, 6, 9, tzinfo=tz))
    make_ticket(tree.county, dt.datetime(2014, 1, 5, 9, tzinfo=tz))
    make_ticket(tree.county, dt.datetime(2014, 1, 1, 0, 30, tzinfo=tz))
    # 2014-01-01 00:30 in Shanghai is 2013-12-31 in UTC: it still belongs to 2014.
    assert value(tree.city, "l.hotline.calls") == 3
    assert value(tree.city, "l.hotline.rate") == Decimal("33.3")


def test_yearly_figures_sum_over_the_subtree(tree: Tree) -> None:
    YearlyFigures.objects.create(
        body=tree.city, year=2014, fulltime_staff=2, parttime_staff=1, budget_wan_yuan=Decimal("10.5")
    )
    YearlyFigures.objects.create(body=tree.county, year=2014, fulltime_staff=1, budget_wan_yuan=Decimal("2"))
    YearlyFigures.objects.create(body=tree.county, year=2015, fulltime_staff=9)
    values = build_report(tree.city, 2014, "2014").values()
    assert (values["s14.staff"], values["s14.fulltime"], values["s14.budget"]) == (4, 3, Decimal("12.5"))


def test_a_report_costs_a_bounded_number_of_aggregate_queries(tree: Tree) -> None:
    """Grouped sources are memoised: the whole 2014 table is a few dozen queries, whatever the data size."""
    site = channel(tree.city, "website")
    for n in range(30):
        publish(tree.education, dt.date(2014, 1, 2) + dt.timedelta(days=n), site)
    with CaptureQueriesContext(connection) as refresh:  # recomputes the changed body (gongkai.figures)
        build_report(tree.city, 2014, "2014")
    with CaptureQueriesContext(connection) as queries:
        build_report(tree.city, 2014, "2014")
    small, small_refresh = len(queries), len(refresh)
    for n in range(60):
        publish(tree.county_police, dt.date(2014, 1, 2) + dt.timedelta(days=n), site)
    with CaptureQueriesContext(connection) as refresh:
        build_report(tree.city, 2014, "2014")
    with CaptureQueriesContext(connection) as queries:
        build_report(tree.city, 2014, "2014")
    assert len(queries) == small <= 40
    assert len(refresh) == small_refresh <= 120  # one grouped query per stored statistic


def test_a_year_without_records_is_a_report_of_zeros(tree: Tree) -> None:
    report = build_report(tree.city, 2011, "2014")
    assert report.is_empty()
    assert all(c.display in {"0", "0.0", "0.00"} for c in report.cells)
