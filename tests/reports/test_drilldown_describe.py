"""One listing row per record kind (``gongkai.reports.drilldown.describe``): every model a statistic lists has
its describer, reviews and lawsuits are named by their model, times are shown as local days, anything else by
its text."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongkai.cases import transitions as t
from gongkai.cases.models import AdministrativeReview, Lawsuit, RemedyOutcome
from gongkai.masking import mask_text
from gongkai.reports.drilldown import DESCRIBERS, RecordRow, describe
from gongkai.reports.registry import REGISTRY, Context, Scope
from tests.conftest import Personas, Tree
from tests.hotline.helpers import make_ticket

pytestmark = pytest.mark.django_db
D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_model_a_statistic_lists_has_a_describer(tree: Tree) -> None:
    listed = set()
    for stat in REGISTRY.values():
        if stat.records is not None:
            fmt = next(iter(stat.cells), "")
            listed.add(stat.records(Context(org=tree.county, year=2025, scope=Scope.SUBTREE, fmt=fmt)).model)
    assert listed  # the registry is loaded
    missing = [m.__name__ for m in listed if not any(c in DESCRIBERS for c in m.__mro__)]
    assert missing == []


def test_reviews_and_lawsuits_are_named_by_their_model(tree: Tree, personas: Personas) -> None:
    req = t.register(
        personas.clerk,
        tree.education,
        received=D(2025, 3, 4),
        channel="online",
        applicant_kind="natural",
        subject="s",
    )
    review = AdministrativeReview.objects.create(
        body=tree.education,
        request=req,
        filed_on=D(2025, 6, 1),
        decided_on=D(2025, 7, 1),
        outcome="corrected",
    )
    suit = Lawsuit.objects.create(body=tree.education, filed_on=D(2025, 8, 1))
    stat = REGISTRY["t4.review.total"]
    assert describe(review, stat) == RecordRow(
        "行政复议",
        f"#{review.pk}",
        tree.education.name,
        (("立案日期", D(2025, 6, 1)), ("决定（判决）日期", D(2025, 7, 1))),
        detail="纠正",
        url=reverse("cases:case", args=[req.pk]),
    )
    assert describe(suit, stat) == RecordRow(
        "行政诉讼",
        f"#{suit.pk}",
        tree.education.name,
        (("立案日期", D(2025, 8, 1)),),  # not decided: no decision date
        detail=str(RemedyOutcome.PENDING.label),
        url=None,
    )


def test_a_calls_times_are_shown_as_local_days(tree: Tree) -> None:
    call = make_ticket(
        tree.education,
        dt.datetime(2025, 3, 2, 1, 30, tzinfo=SHANGHAI),  # 2025-03-01 17:30 UTC
    )
    row = describe(call, REGISTRY["t4.review.total"])
    assert (row.title, row.dates) == ("热线工单", (("来电日期", D(2025, 3, 2)),))
    assert (row.number, row.detail) == (call.number, "已受理")
    assert row.url == f"/staff/hotline/{call.pk}/"


def test_a_record_of_another_kind_is_shown_by_its_text(tree: Tree) -> None:
    row = describe(tree.education, REGISTRY["t4.review.total"])
    assert row == RecordRow(mask_text(str(tree.education)), f"#{tree.education.pk}", "", ())
