"""行政复议 and 行政诉讼 share one abstract model (``gongkai.cases.models.Remedy``) but keep their own statutory
labels, related names and constraint names; a decision has an outcome and its date, both or neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from gongkai.cases.models import AdministrativeReview, Lawsuit, Remedy, RemedyOutcome
from tests.conftest import Tree

pytestmark = pytest.mark.django_db
D = dt.date
MODELS = (AdministrativeReview, Lawsuit)


def test_both_models_keep_their_own_labels_and_relations() -> None:
    labels = {m: {f.name: str(f.verbose_name) for f in m._meta.fields if f.name != "id"} for m in MODELS}
    assert labels[AdministrativeReview] == {
        "body": "被申请机关",
        "request": "原申请",
        "filed_on": "申请复议日期",
        "decided_on": "复议决定日期",
        "outcome": "复议结果",
    }
    assert labels[Lawsuit] == {
        "body": "被告机关",
        "request": "原申请",
        "after_review": "复议后起诉",
        "filed_on": "起诉日期",
        "decided_on": "判决（裁定）日期",
        "outcome": "诉讼结果",
    }
    assert [str(m._meta.verbose_name) for m in MODELS] == ["行政复议", "行政诉讼"]
    assert [m._meta.get_field("body").remote_field.related_name for m in MODELS] == ["reviews", "lawsuits"]
    assert [m._meta.get_field("request").remote_field.related_name for m in MODELS] == ["reviews", "lawsuits"]
    assert [[c.name for c in m._meta.constraints] for m in MODELS] == [
        ["review_decision_has_date_and_outcome"],
        ["lawsuit_decision_has_date_and_outcome"],
    ]
    assert all(issubclass(m, Remedy) for m in MODELS) and Remedy._meta.abstract


@pytest.mark.parametrize("model", MODELS)
def test_a_decision_has_its_outcome_and_its_date_both_or_neither(
    tree: Tree, model: type[AdministrativeReview] | type[Lawsuit]
) -> None:
    pending = model.objects.create(body=tree.education, filed_on=D(2025, 3, 1))
    assert str(pending) == f"{tree.education} 2025-03-01"
    assert pending.get_outcome_display() == "尚未审结"
    decided = model.objects.create(
        body=tree.education, filed_on=D(2025, 3, 1), decided_on=D(2025, 5, 1), outcome=RemedyOutcome.UPHELD
    )
    assert decided.get_outcome_display() == "维持（驳回诉讼请求）"
    for half in ({"outcome": RemedyOutcome.CORRECTED}, {"decided_on": D(2025, 5, 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(body=tree.education, filed_on=D(2025, 3, 1), **half)
    assert model.objects.count() == 2
