"""Administrative reviews (行政复议) and lawsuits (行政诉讼) arising from a case: filed, then decided; each step
atomic and audited. Table 4 counts them by filing year and their state on 31 December."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.cases.models import AdministrativeReview, InformationRequest, Lawsuit, Remedy, RemedyOutcome

# A review or a lawsuit (the abstract model they share): ``decide`` returns the kind it was given.
R = TypeVar("R", bound=Remedy)


def _check_filed(req: InformationRequest, filed_on: dt.date) -> None:
    if filed_on < req.receipt_date:
        raise ValidationError({"filed_on": _("立案日期不能早于收到申请之日")})


@transaction.atomic
def file_review(actor: Actor, req: InformationRequest, *, filed_on: dt.date) -> AdministrativeReview:
    _check_filed(req, filed_on)
    review = AdministrativeReview.objects.create(body=req.body, request=req, filed_on=filed_on)
    record(actor, "review.file", review, after=snapshot(review), summary=req.subject[:100])
    return review


@transaction.atomic
def file_lawsuit(actor: Actor, req: InformationRequest, *, filed_on: dt.date, after_review: bool) -> Lawsuit:
    """A lawsuit counts for the body that handled the request, also when the review body is co-defendant
    (国办公开办函〔2016〕201号)."""
    _check_filed(req, filed_on)
    suit = Lawsuit.objects.create(body=req.body, request=req, filed_on=filed_on, after_review=after_review)
    record(actor, "lawsuit.file", suit, after=snapshot(suit), summary=req.subject[:100])
    return suit


@transaction.atomic
def decide(actor: Actor, remedy: R, *, outcome: str, decided_on: dt.date) -> R:
    remedy = type(remedy)._default_manager.select_for_update().get(pk=remedy.pk)
    if remedy.outcome:
        raise ValidationError({"outcome": _("已有结果，不能重复登记")})
    if outcome not in {RemedyOutcome.UPHELD, RemedyOutcome.CORRECTED, RemedyOutcome.OTHER}:
        raise ValidationError({"outcome": _("请选择结果：维持、纠正或其他")})
    if decided_on < remedy.filed_on:
        raise ValidationError({"decided_on": _("决定日期不能早于立案日期")})
    before = snapshot(remedy)
    remedy.outcome, remedy.decided_on = outcome, decided_on
    remedy.full_clean()
    remedy.save(update_fields=["outcome", "decided_on"])
    record(actor, f"{remedy._meta.model_name}.decide", remedy, before=before, after=snapshot(remedy))
    return remedy
