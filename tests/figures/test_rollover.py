"""Records that stay open (an unanswered request, a normative document in force) count in every later year, but
a write marks them only up to the year after it happened: a year reached later by the calendar, with no write
since, must still be exact (the aggregates of a year nobody wrote in are built when first read)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.cases import transitions as t
from gongkai.catalog.models import NormativeKind, Publication
from gongkai.figures.models import FigureYear
from gongkai.reports.registry import Context, Scope
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def built() -> int:
    """The year the aggregates were introduced (the migration's build of every year, at the real time): the
    tests write after it, as in production, and read years later."""
    at = FigureYear.objects.get(year=0).built_at
    return at.astimezone(CST).year


def _at(year: int, month: int, day: int) -> time_machine.travel:
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=CST), tick=False)


def _both(org: object, year: int, key: str) -> tuple[object, object]:
    aggregated = Context(org=org, year=year, scope=Scope.SUBTREE).value(key)  # type: ignore[arg-type]
    live = Context(org=org, year=year, scope=Scope.SUBTREE, live=True).value(key)  # type: ignore[arg-type]
    return aggregated, live


def test_an_open_request_is_carried_over_into_a_year_nobody_wrote_in(
    tree: Tree, personas: Personas, built: int
) -> None:
    with _at(built + 1, 1, 4):  # marks the request's years up to built + 2
        t.register(
            personas.clerk,
            tree.education,
            received=dt.date(built, 12, 1),
            channel="online",
            applicant_kind="natural",
            subject="无人答复",
        )
        assert _both(tree.city, built, "t3.carried_out.6") == (1, 1)
    with _at(built + 4, 3, 1):
        assert _both(tree.city, built + 3, "t3.carried_in.6") == (1, 1)
        assert _both(tree.city, built + 3, "t3.carried_out.6") == (1, 1)
        assert _both(tree.city, built + 4, "t3.carried_in.6") == (1, 1)


def test_a_document_in_force_counts_in_a_year_nobody_wrote_in(tree: Tree, built: int) -> None:
    day = dt.date(built, 5, 2)
    with _at(built + 1, 1, 4):
        Publication.objects.create(
            body=tree.education,
            index_code=tree.education.org_code,
            index_year=built,
            index_serial=1,
            title="规范性文件",
            made_on=day,
            issued_on=day,
            published_on=day,
            normative_kind=NormativeKind.NORMATIVE,
        )
        assert _both(tree.city, built, "t2.normative.in_force") == (1, 1)
    with _at(built + 4, 2, 1):
        assert _both(tree.city, built + 3, "t2.normative.in_force") == (1, 1)
