"""gongkai.engagement.models: what the database itself refuses (a principal leader on a Weibo post, a second
set of yearly figures, a negative budget), what
validation refuses before it, and how the rows read in lists and the audit log (Beijing time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError

from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
from tests.conftest import Tree

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 3, 2)


def _refused(row: models.Model, *fields: str) -> None:
    """``row`` fails full_clean on exactly ``fields`` (or on the model as a whole: ``__all__``) and the database
    refuses it too."""
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert set(error.value.message_dict) == set(fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    assert not type(row)._default_manager.exists()


@pytest.fixture
def flood_event(tree: Tree) -> PublicConcernEvent:
    """A public-concern event 测试市教育局 answered: school places after the spring admissions."""
    return PublicConcernEvent.objects.create(body=tree.education, title="春季招生学位安排", noticed_on=DAY)


# --- responses to public-concern events ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ResponseKind.PRESS_CONFERENCE, ResponseKind.ONLINE_INTERVIEW])
def test_a_principal_leader_attends_a_conference_or_an_interview(
    flood_event: PublicConcernEvent, kind: str
) -> None:
    action = ResponseAction(event=flood_event, kind=kind, held_on=DAY, principal_leader=True)
    action.full_clean()
    action.save()
    assert flood_event.actions.get().principal_leader is True


@pytest.mark.parametrize("kind", [ResponseKind.WEIBO_WECHAT, ResponseKind.OTHER])
def test_no_principal_leader_on_a_post_or_another_response(
    flood_event: PublicConcernEvent, kind: str
) -> None:
    _refused(ResponseAction(event=flood_event, kind=kind, held_on=DAY, principal_leader=True), "__all__")
    ResponseAction.objects.create(event=flood_event, kind=kind, held_on=DAY)  # without the leader: fine


def test_an_unknown_response_kind_is_refused_by_validation(flood_event: PublicConcernEvent) -> None:
    with pytest.raises(ValidationError) as error:
        ResponseAction(event=flood_event, kind="poster", held_on=DAY).full_clean()
    assert set(error.value.message_dict) == {"kind"}


def test_an_event_answered_several_ways_keeps_its_actions_and_takes_them_when_deleted(
    flood_event: PublicConcernEvent,
) -> None:
    ResponseAction.objects.create(event=flood_event, kind=ResponseKind.PRESS_CONFERENCE, held_on=DAY)
    ResponseAction.objects.create(event=flood_event, kind=ResponseKind.WEIBO_WECHAT, held_on=DAY)
    assert flood_event.actions.count() == 2
    assert str(flood_event.actions.get(kind=ResponseKind.PRESS_CONFERENCE)) == "新闻发布会 2026-03-02"
    assert str(flood_event) == "春季招生学位安排"
    flood_event.delete()
    assert not ResponseAction.objects.exists()


# --- complaints --------------------------------------------------------------------------------------------------


def test_a_complaint_reads_as_its_body_and_day(tree: Tree) -> None:
    complaint = Complaint.objects.create(body=tree.education, received_on=DAY, summary="未按期答复")
    assert str(complaint) == "测试市教育局 2026-03-02"


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (PublicConcernEvent, {"title": "t", "noticed_on": DAY}),
        (Complaint, {"received_on": DAY}),
        (YearlyFigures, {"year": 2026}),
    ],
)
def test_a_body_with_engagement_records_cannot_be_deleted(
    tree: Tree, model: Any, fields: dict[str, Any]
) -> None:
    model.objects.create(body=tree.county_police, **fields)
    with pytest.raises(ProtectedError), transaction.atomic():
        tree.county_police.delete()


# --- yearly figures ----------------------------------------------------------------------------------------------


def test_yearly_figures_once_per_body_and_year(tree: Tree) -> None:
    YearlyFigures.objects.create(
        body=tree.education, year=2026, fulltime_staff=2, budget_wan_yuan=Decimal("3.50")
    )
    YearlyFigures.objects.create(body=tree.education, year=2025)  # another year: fine
    YearlyFigures.objects.create(body=tree.county, year=2026)  # another body: fine
    second = YearlyFigures(body=tree.education, year=2026)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "__all__" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    figures = YearlyFigures.objects.get(body=tree.education, year=2026)
    assert str(figures) == "测试市教育局 2026"
    assert (figures.fulltime_staff, figures.parttime_staff, figures.budget_wan_yuan) == (
        2,
        0,
        Decimal("3.50"),
    )


def test_a_negative_budget_is_refused(tree: Tree) -> None:
    _refused(YearlyFigures(body=tree.education, year=2026, budget_wan_yuan=Decimal("-0.01")), "__all__")


def test_a_budget_with_more_than_two_decimals_is_refused_by_validation(tree: Tree) -> None:
    with pytest.raises(ValidationError) as error:
        YearlyFigures(body=tree.education, year=2026, budget_wan_yuan=Decimal("1.005")).full_clean()
    assert set(error.value.message_dict) == {"budget_wan_yuan"}


@pytest.mark.parametrize("field", ["reading_points", "fulltime_staff", "meetings", "people_trained"])
def test_counts_are_never_negative(tree: Tree, field: str) -> None:
    _refused(YearlyFigures(body=tree.education, year=2026, **{field: -1}), field)
