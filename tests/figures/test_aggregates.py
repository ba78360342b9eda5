"""The per-body aggregates (gongkai.figures) against the live computation: every cell of every format, own and
subtree, for every body, on a varied data set built through the domain functions and the ORM (so the dirty
marks under test are the ones real writes make) — with a reform, a transfer, submissions and carry-over."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from gongkai import figures
from gongkai.cases import transitions as t
from gongkai.cases.models import AdministrativeReview, FeeCollected, Lawsuit
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    Genre,
    NormativeKind,
    ProactiveFigures,
    Publication,
    PublicationChannel,
)
from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
from gongkai.figures.models import BodyFigure, FigureState
from gongkai.mailbox.models import Letter as MailboxLetter
from gongkai.organisations.actions import save_organisation
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year
from gongkai.reports.registry import REGISTRY, Context, Scope, statistics_for_format
from gongkai.submissions.models import Submission, SubmittedValue
from tests.conftest import Personas, Tree, make_org
from tests.hotline.helpers import make_ticket

pytestmark = pytest.mark.django_db
D = dt.date
YEARS = (2016, 2017, 2019, 2020, 2024, 2025)
_serial = iter(range(1, 1_000_000))


def _day(rng: random.Random, body: Organisation, year: int) -> dt.date:
    """A day of ``year`` on which ``body`` existed (records need a body valid on their date)."""
    first = max(D(year, 1, 1), body.valid_from)
    last = min(D(year, 12, 31), body.valid_to or D(year, 12, 31))
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _publication(rng: random.Random, body: Organisation, year: int, channels: list[Channel]) -> None:
    day = _day(rng, body, year)
    normative = rng.choice(
        [NormativeKind.NONE, NormativeKind.NONE, NormativeKind.RULE, NormativeKind.NORMATIVE]
    )
    pub = Publication.objects.create(
        body=body,
        index_code=body.org_code,
        index_year=year,
        index_serial=next(_serial),
        title="t",
        made_on=day,
        issued_on=day,
        published_on=day,
        normative_kind=normative,
        repealed_on=D(year + 1, 6, 1) if normative != NormativeKind.NONE and rng.random() < 0.3 else None,
        document_number=f"许{next(_serial)}号" if rng.random() < 0.5 else "",
        genre=Genre.objects.filter(code=Genre.INTERPRETATION).first() if rng.random() < 0.2 else None,
    )
    for channel in rng.sample(channels, rng.randint(0, len(channels))):
        PublicationChannel.objects.create(publication=pub, channel=channel, published_on=day)


def _requests(rng: random.Random, personas: Personas, body: Organisation, year: int) -> None:
    for _n in range(rng.randint(1, 3)):
        received = _day(rng, body, year)
        kind = rng.choice(["natural", "business", "research", "legal_service", "other"])
        req = t.register(
            personas.clerk,
            body,
            received=received,
            channel=rng.choice(["online", "letter", "in_person"]),
            applicant_kind=kind,
            subject="s",
        )
        if rng.random() < 0.75:
            answered = received + dt.timedelta(days=rng.choice([5, 12, 40]))
            outcome = rng.choice(["2019.disclosed", "2019.partly_disclosed", "2019.refused.third_party"])
            if req.regime == "2008":
                outcome = rng.choice(["2008.disclosed", "2008.partly_disclosed", "2008.not_exist"])
            req = t.answer(personas.clerk, req, on=answered, outcome=outcome)
            FeeCollected.objects.create(
                body=body, request=req, collected_on=answered, amount_yuan=Decimal("12.50")
            )
            if rng.random() < 0.4:
                AdministrativeReview.objects.create(
                    body=body, request=req, filed_on=answered + dt.timedelta(days=9)
                )
                Lawsuit.objects.create(
                    body=body,
                    request=req,
                    filed_on=answered + dt.timedelta(days=20),
                    decided_on=answered + dt.timedelta(days=200),
                    outcome="upheld",
                    after_review=rng.random() < 0.5,
                )


def _engagement(rng: random.Random, body: Organisation, year: int) -> None:
    day = _day(rng, body, year)
    event = PublicConcernEvent.objects.create(body=body, title="e", noticed_on=day)
    for kind in rng.sample(list(ResponseKind.values), 2):
        ResponseAction.objects.create(
            event=event,
            kind=kind,
            held_on=_day(rng, body, year),
            principal_leader=kind in (ResponseKind.PRESS_CONFERENCE, ResponseKind.ONLINE_INTERVIEW)
            and rng.random() < 0.5,
        )
    at = dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)
    make_ticket(body, at, at if rng.random() < 0.7 else None)
    MailboxLetter.objects.create(
        body=body,
        received_at=at,
        received_on=day,
        due_on=day + dt.timedelta(days=21),
        state="closed",
        replied_on=day + dt.timedelta(days=9),
    )
    Complaint.objects.create(body=body, received_on=day)
    YearlyFigures.objects.create(
        body=body, year=year, fulltime_staff=rng.randint(0, 3), budget_wan_yuan=Decimal("1.5")
    )
    ProactiveFigures.objects.create(
        body=body, year=year, licensing_items=rng.randint(0, 9), fee_amount_wan_yuan=Decimal("0.0125")
    )


def _bodies(tree: Tree) -> list[Organisation]:
    return list(Organisation.objects.order_by("path"))


@pytest.fixture
def world(tree: Tree, personas: Personas) -> Tree:
    """Records of every kind for every body and year; a reform (county police → a new bureau in 2017); a
    transfer; current and withdrawn submissions."""
    rng = random.Random(11)  # noqa: S311 - deterministic test data
    bureau = make_org("测试县公安分局", OrgKind.DEPARTMENT, tree.county, valid_from=D(2017, 7, 1))
    police = tree.county_police
    police.valid_to, police.successor = D(2017, 6, 30), bureau
    save_organisation("test", police)
    channels = [
        Channel.objects.create(
            name=f"{tree.city.name}{k}",
            kind=ChannelKind.objects.get(code=k),
            owner=tree.city,
            is_portal=k == "website",
        )
        for k in ("website", "weibo", "gazette")
    ]
    for year in YEARS:
        for body in _bodies(tree):
            if not body.existed_in(year):
                continue
            for _n in range(rng.randint(1, 3)):
                _publication(rng, body, year, channels)
            _engagement(rng, body, year)
            if body.is_valid_on(dt.date.today()):
                _requests(rng, personas, body, year)
    pending = t.register(
        personas.clerk,
        tree.education,
        received=D(2025, 3, 1),
        channel="online",
        applicant_kind="natural",
        subject="转办",
    )
    t.transfer(personas.clerk, pending, on=D(2025, 3, 2), to_body=tree.school_office, reason="r")
    _submit(tree.county, 2024, "2021", {"t3.new.0": Decimal(7), "t2.rule.issued": Decimal(2)})
    _submit(tree.office, 2016, "2014", {"p14.items": Decimal(40), "l.hotline.calls": Decimal(9)})
    return tree


def _submit(org: Organisation, year: int, fmt: str, values: dict[str, Decimal]) -> None:
    sub = Submission.objects.create(
        org=org,
        year=year,
        format=fmt,
        file="x.xlsx",
        original_name="x.xlsx",
        sha256="0" * 64,
        size=1,
        template_version="1",
        uploaded_at=dt.datetime(year + 1, 1, 5, tzinfo=dt.UTC),
    )
    SubmittedValue.objects.bulk_create(
        [SubmittedValue(submission=sub, statistic_key=k, value=v) for k, v in values.items()]
    )


def _live(org: Organisation, year: int, scope: Scope, fmt: str) -> dict[str, Any]:
    ctx = Context(org=org, year=year, scope=scope, fmt=fmt, live=True)
    return {s.key: ctx.value(s.key) for s in statistics_for_format(fmt)}


def _aggregated(org: Organisation, year: int, scope: Scope, fmt: str) -> dict[str, Any]:
    ctx = Context(org=org, year=year, scope=scope, fmt=fmt)
    return {s.key: ctx.value(s.key) for s in statistics_for_format(fmt)}


def test_every_cell_of_every_format_matches_the_live_computation(world: Tree) -> None:
    compared = 0
    for year in YEARS:
        for fmt in FORMAT_CODES:
            for body in _bodies(world):
                for scope in Scope:
                    live = _live(body, year, scope, fmt)
                    assert _aggregated(body, year, scope, fmt) == live, (body.name, year, fmt, scope)
                    compared += len(live)
    assert compared > 10_000
    assert BodyFigure.objects.filter(year=2024).count() > 100  # the aggregates were read, not bypassed


def test_rollup_all_matches_every_body_own_and_subtree(world: Tree) -> None:
    for year in YEARS:
        fmt = default_format_for_year(year)
        everything = figures.rollup_all(year, fmt)
        for body in _bodies(world):
            for scope in Scope:
                expected = _live(body, year, scope, fmt)
                got = everything[(body.pk, scope.value)]
                assert {k: v for k, v in expected.items() if k in got} == {
                    k: got[k] for k in expected if k in got
                }
                missing = {k for k in expected if k not in got}
                assert all(not REGISTRY[k].additive for k in missing), missing


def test_the_stored_value_of_a_body_is_the_count_of_its_own_records(world: Tree) -> None:
    """Drill-down and aggregate agree: each stored figure equals its records counted for that body alone."""
    from gongkai.figures.compute import batch_context, per_body, stored_statistics

    body = world.education
    for year in (2017, 2024):
        figures.rebuild(years=[year])
        stored = dict(BodyFigure.objects.filter(org=body, year=year).values_list("key", "value"))
        for stat in stored_statistics(year):
            assert stat.records is not None
            ctx = batch_context(year, [body.pk])
            assert per_body(stat, ctx).get(body.pk, Decimal(0)) == stored.get(stat.key, Decimal(0))
            if stat.measure is None and "figure" not in stat.records(ctx).query.annotations:
                assert stat.records(ctx).count() == stored.get(stat.key, 0)


def _states() -> list[tuple[Any, ...]]:
    return list(FigureState.objects.order_by("pk").values_list("org_id", "year", "dirty", "changed_at"))


def test_a_reorganisation_moves_no_figures_and_recomputes_no_body(world: Tree) -> None:
    for year in YEARS:
        Context(org=world.city, year=year, scope=Scope.SUBTREE).value(
            "t3.new.6" if year >= 2019 else "p14.items"
        )
    figures_before = list(
        BodyFigure.objects.order_by("pk").values_list("pk", "org_id", "year", "key", "value")
    )
    states = _states()
    school = world.school_office
    school.parent = world.county  # the admissions office moves under the county
    save_organisation("test", school)
    assert _states() == states  # nothing marked: own figures do not move
    assert list(BodyFigure.objects.order_by("pk").values_list("pk", "org_id", "year", "key", "value")) == (
        figures_before
    )
    for scope in Scope:
        assert _aggregated(world.county, 2024, scope, "2021") == _live(world.county, 2024, scope, "2021")
        assert _aggregated(world.education, 2024, scope, "2021") == _live(
            world.education, 2024, scope, "2021"
        )
    assert _aggregated(world.city, 2024, Scope.SUBTREE, "2021") == _live(
        world.city, 2024, Scope.SUBTREE, "2021"
    )


def test_a_write_marks_only_its_body_and_years_and_the_stamp_changes(world: Tree, personas: Personas) -> None:
    Context(org=world.city, year=2024, scope=Scope.SUBTREE).value("t3.new.6")
    stamp = figures.stamp(world.city.pk, 2024, "subtree")
    assert figures.stamp(world.city.pk, 2024, "subtree") == stamp
    before = set(FigureState.objects.filter(dirty=True).values_list("org_id", "year"))
    assert (world.office.pk, 2024) not in before
    with transaction.atomic():
        t.register(
            personas.clerk,
            world.office,
            received=D(2024, 2, 2),
            channel="online",
            applicant_kind="natural",
            subject="s",
        )
    marked = set(FigureState.objects.filter(dirty=True).values_list("org_id", "year")) - before
    assert {org for org, _y in marked} == {world.office.pk}
    assert (world.office.pk, 2024) in marked and all(y >= 2024 for _o, y in marked)
    assert figures.stamp(world.city.pk, 2024, "subtree") != stamp
    assert _aggregated(world.city, 2024, Scope.SUBTREE, "2021") == _live(
        world.city, 2024, Scope.SUBTREE, "2021"
    )


def test_deletes_and_global_changes_are_seen(world: Tree) -> None:
    Publication.objects.filter(body=world.education, published_on__year=2024).first().delete()  # type: ignore[union-attr]
    ResponseAction.objects.filter(event__body=world.county, held_on__year=2019).first().delete()  # type: ignore[union-attr]
    kind = ChannelKind.objects.get(code="weibo")
    kind.category = "other"
    kind.save()
    for year, fmt in ((2024, "2021"), (2019, "2019"), (2019, "2014"), (2017, "2014")):
        for scope in Scope:
            assert _aggregated(world.city, year, scope, fmt) == _live(world.city, year, scope, fmt)


def test_rebuild_writes_one_audit_entry_per_batch(world: Tree) -> None:
    from gongkai.audit.models import AuditEntry

    before = AuditEntry.objects.filter(action="figures.rebuild").count()
    done = figures.rebuild(years=[2024, 2025])
    assert done == 2 * Organisation.objects.count()
    assert AuditEntry.objects.filter(action="figures.rebuild").count() == before + 2
    assert figures.rebuild(org_ids=[world.city.pk], years=[2024]) == 1
    from gongkai.figures.jobs import record_years

    assert record_years()[0] == min(YEARS)  # nothing counts before the first record


def test_bulk_writes_marked_by_mark_records_are_seen(tree: Tree) -> None:
    from gongkai.figures.bulk import mark_records, marks_of

    site = Channel.objects.create(name="网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city)
    assert Context(org=tree.city, year=2021, scope=Scope.SUBTREE).value("t2.rule.issued") == 0
    pubs = Publication.objects.bulk_create(
        [
            Publication(
                body=tree.education,
                index_code=tree.education.org_code,
                index_year=2021,
                index_serial=next(_serial),
                title="t",
                made_on=D(2021, 3, 1),
                issued_on=D(2021, 3, 1),
                published_on=D(2021, 3, 2),
                normative_kind=NormativeKind.RULE,
            )
            for _n in range(3)
        ]
    )
    postings = PublicationChannel.objects.bulk_create(
        [PublicationChannel(publication=p, channel=site, published_on=D(2022, 1, 5)) for p in pubs]
    )
    mark_records([*pubs, *postings])
    assert Context(org=tree.city, year=2021, scope=Scope.SUBTREE).value("t2.rule.issued") == 3
    stale = marks_of(pubs)
    assert all(2022 in years for _bodies, years in stale)  # the postings' year, read in one query
    for pub in pubs:
        pub.body = tree.county
    Publication.objects.bulk_update(pubs, ["body"])
    mark_records(pubs, stale)
    for org in (tree.education, tree.county):
        for year, fmt in ((2021, "2021"), (2022, "2021")):
            ctx = Context(org=org, year=year, scope=Scope.SUBTREE, fmt=fmt)
            live = _live(org, year, Scope.SUBTREE, fmt)
            assert {s.key: ctx.value(s.key) for s in statistics_for_format(fmt)} == live
    assert Context(org=tree.county, year=2021, scope=Scope.SUBTREE).value("t2.rule.issued") == 3
    assert Context(org=tree.education, year=2021, scope=Scope.OWN).value("t2.rule.issued") == 0


def test_the_commands_rebuild_and_report_status(tree: Tree) -> None:
    from io import StringIO

    from django.core.management import call_command

    YearlyFigures.objects.create(body=tree.education, year=2016, fulltime_staff=2)
    out = StringIO()
    call_command("figures", "rebuild", "--year", "2016", "--org", tree.education.org_code, stdout=out)
    assert "recomputed 1 body-years" in out.getvalue()
    assert BodyFigure.objects.get(org=tree.education, year=2016, key="s14.fulltime").value == 2
    call_command("figures", "status", "--year", "2016", stdout=out)
    assert "2016" in out.getvalue().splitlines()[-1]
