"""Recording requests in one step (atomic, audited): for historical or imported cases whose answer is known.
Live cases go through ``gongkai.cases.transitions`` (register, supplement, consultation, extension, answer …),
which keeps their timeline of events."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.cases import outcomes
from gongkai.cases.deadlines import DeadlineInputError, compute_deadline
from gongkai.cases.models import Applicant, CaseState, InformationRequest
from gongkai.masking import mask_text
from gongkai.organisations.actions import require_valid_on
from gongkai.organisations.models import Organisation

FIELD_NAMES = {"extend": "extension_days"}


def _check_outcome_of_regime(outcome: str, regime: str) -> None:
    """An answer recorded with a request is an outcome of the regime its receipt date falls under."""
    if outcomes.BY_CODE.get(outcome, None) is None:
        raise ValidationError({"outcome": _("未知的办理结果：%(code)s") % {"code": outcome}})
    if outcomes.BY_CODE[outcome].regime != regime:
        raise ValidationError(
            {"outcome": _("该申请适用%(regime)s年《条例》，办理结果须为该条例下的类型") % {"regime": regime}}
        )


@transaction.atomic
def record_request(
    actor: Actor,
    body: Organisation,
    *,
    received: dt.date | dt.datetime,
    channel: str,
    applicant_kind: str,
    subject: str,
    extension_days: int = 0,
    answered_on: dt.date | None = None,
    outcome: str = "",
    applicant: Applicant | None = None,
) -> InformationRequest:
    """Register a request: the legal receipt date, regime and due dates come from the calendar (2008 art 24,
    2019 arts 31 and 33); an answer, if given, must be an outcome of that regime."""
    try:
        deadline = compute_deadline(received, extend=extension_days)
    except DeadlineInputError as exc:
        raise ValidationError({FIELD_NAMES.get(exc.field, exc.field): str(exc)}) from exc
    if outcome:
        _check_outcome_of_regime(outcome, deadline.regime)
    # An applicant may type an ID or phone number into the description: mask it before it is stored, so no
    # list, export, API response, letter or audit entry ever shows it.
    subject = mask_text(subject)
    received_day = timezone.localdate(received) if isinstance(received, dt.datetime) else received
    require_valid_on(body, received_day)
    req = InformationRequest(
        body=body,
        received_on=received_day,
        receipt_date=deadline.receipt_date,
        channel=channel,
        applicant_kind=applicant_kind,
        applicant=applicant,
        subject=subject,
        regime=deadline.regime,
        due_date=deadline.due_date,
        extension_days=extension_days,
        extended_due_date=deadline.extended_due_date if extension_days else None,
        answered_on=answered_on,
        outcome=outcome,
        state=CaseState.ANSWERED if outcome else CaseState.RECEIVED,
        provisional=deadline.provisional,
    )
    req.full_clean()
    req.save()
    record(
        actor,
        "request.record",
        req,
        after=snapshot(req) | {"explanation": deadline.explanation},
        summary=req.subject[:100],
    )
    return req
