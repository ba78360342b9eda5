"""Model constraints: an outcome valid for its regime, answers with dates, no negative counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from gongkai.cases.models import FeeCollected, InformationRequest, OutcomeMapping
from gongkai.cases.outcomes import OUTCOMES
from gongkai.engagement.models import ResponseAction, YearlyFigures
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


def request(tree: Tree, **fields: object) -> InformationRequest:
    base: dict[str, object] = {
        "body": tree.education,
        "applicant_kind": "natural",
        "subject": "s",
        "channel": "letter",
        "received_on": dt.date(2020, 3, 2),
        "receipt_date": dt.date(2020, 3, 2),
        "regime": "2019",
        "due_date": dt.date(2020, 3, 30),
    }
    if fields.get("outcome"):
        base["state"] = (
            "answered"  # an outcome belongs to an answered case (request_terminal_state_has_outcome)
        )
    return InformationRequest.objects.create(**(base | fields))


@pytest.mark.parametrize(
    ("regime", "outcome"),
    [("2019", "2008.already_public"), ("2008", "2019.unable.not_held"), ("2019", "no.such.outcome")],
)
def test_an_outcome_outside_the_regime_is_refused(tree: Tree, regime: str, outcome: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        request(tree, regime=regime, outcome=outcome, answered_on=dt.date(2020, 3, 10))


def test_an_outcome_of_the_regime_is_accepted(tree: Tree) -> None:
    assert request(tree, outcome="2019.unable.not_held", answered_on=dt.date(2020, 3, 10)).pk


@pytest.mark.parametrize(
    "fields",
    [
        {"outcome": "2019.disclosed"},  # an answer without its date
        {"answered_on": dt.date(2020, 3, 10)},  # a date without an answer
        {"answered_on": dt.date(2020, 3, 1), "outcome": "2019.disclosed"},  # answered before submission
        {"extension_days": 20},  # an extension without its due date
        {"receipt_date": dt.date(2020, 3, 1)},  # received before submitted
    ],
)
def test_inconsistent_requests_are_refused(tree: Tree, fields: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        request(tree, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"state": "answered"},  # answered without an outcome
        {
            "state": "received",
            "outcome": "2019.disclosed",
            "answered_on": dt.date(2020, 3, 10),
        },  # open with one
    ],
)
def test_terminal_states_and_outcomes_go_together(tree: Tree, fields: dict[str, object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        request(tree, **fields)


def test_no_negative_counts_or_money(tree: Tree) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyFigures.objects.create(body=tree.city, year=2014, meetings=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyFigures.objects.create(body=tree.city, year=2014, budget_wan_yuan=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeCollected.objects.create(
            body=tree.city, amount_yuan=Decimal("-5"), collected_on=dt.date(2014, 1, 2)
        )


def test_principal_leader_only_for_conferences_and_interviews(tree: Tree) -> None:
    from gongkai.engagement.models import PublicConcernEvent

    event = PublicConcernEvent.objects.create(body=tree.city, title="e", noticed_on=dt.date(2014, 1, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseAction.objects.create(
            event=event, kind="weibo_wechat", held_on=dt.date(2014, 1, 3), principal_leader=True
        )


def test_outcome_mapping_is_seeded_as_editable_data() -> None:
    mapping = dict(OutcomeMapping.objects.values_list("outcome", "table3_row"))
    assert len(mapping) == len(OUTCOMES)
    assert mapping["2008.already_public"] == "三、本年度办理结果/（一）予以公开"
    assert mapping["2008.refused.privacy"] == "三、本年度办理结果/（三）不予公开/4.保护第三方合法权益"
    assert not OutcomeMapping.objects.get(outcome="2008.refused.not_gov_info").confirmed
