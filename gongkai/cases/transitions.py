"""Every state change of a request, one function each (2019 Regulations arts 30-37; 2008 arts 21-24).

Each transition locks the case, checks that it is allowed from the current state (``IllegalTransition``
names the reason otherwise), appends a ``CaseEvent``, recomputes the statutory clock from the events, and
writes the audit entry — all in one transaction, so a refused or failed step leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai import permissions
from gongkai.audit.log import Actor, record, snapshot
from gongkai.cases import bases, outcomes
from gongkai.cases.actions import record_request
from gongkai.cases.clock import apply_deadline, deadline_for
from gongkai.cases.deadlines import DeadlineInputError
from gongkai.cases.models import (
    OPEN_STATES,
    AnswerDocument,
    Applicant,
    CaseEvent,
    CaseEventKind,
    CaseState,
    FeeCollected,
    InformationRequest,
    RequestItem,
)
from gongkai.cases.regimes import get_regime
from gongkai.catalog.transitions import check_upload
from gongkai.organisations.models import Organisation
from gongkai.workdays.calendar import get_calendar

S = CaseState
ANSWERABLE = frozenset({S.RECEIVED})
ABANDONMENT_OUTCOMES = frozenset({"2019.other.no_supplement", "2019.other.unpaid_fee"})


class IllegalTransition(Exception):
    """A step the case's state or regime does not allow; ``str()`` is the reason, for staff."""


def _label(state: str) -> str | Promise:
    return CaseState(state).label


def _require_state(req: InformationRequest, allowed: frozenset[str] | set[str], step: str) -> None:
    if req.state not in allowed:
        raise IllegalTransition(
            _("案件当前状态为“%(state)s”，不能%(step)s") % {"state": _label(req.state), "step": step}
        )


def _require_not_before(day: dt.date, earliest: dt.date, what: str) -> None:
    if day < earliest:
        raise ValidationError(
            {"on": _("%(what)s日期不能早于%(day)s") % {"what": what, "day": earliest.isoformat()}}
        )


def _step(
    actor: Actor,
    req: InformationRequest,
    kind: CaseEventKind,
    on: dt.date,
    to_state: str,
    *,
    legal_basis: str = "",
    data: dict[str, Any] | None = None,
    mutate: Callable[[InformationRequest], None] | None = None,
) -> InformationRequest:
    """Apply one transition to a locked case: event, state, clock, audit."""
    if on > timezone.localdate() and kind != CaseEventKind.REGISTERED:  # a legal receipt date may be tomorrow
        raise ValidationError({"on": _("日期不能晚于今天")})
    before = snapshot(req)
    from_state = req.state
    if mutate is not None:
        mutate(req)
    req.state = to_state
    user = actor if isinstance(actor, User) else None
    event = CaseEvent.objects.create(
        request=req,
        kind=kind,
        effective_on=on,
        at=timezone.now(),
        actor=user,
        actor_label=user.get_username() if user else str(actor or "anonymous"),
        from_state=from_state,
        to_state=to_state,
        legal_basis=legal_basis,
        data=data or {},
    )
    try:
        deadline = deadline_for(req)
    except DeadlineInputError as exc:
        raise ValidationError({"on": str(exc)}) from exc
    apply_deadline(req, deadline)
    req.full_clean()
    req.save()
    record(
        actor,
        f"case.{kind}",
        req,
        before=before,
        after=snapshot(req) | {"explanation": deadline.explanation},
        summary=CaseEventKind(kind).label,
    )
    _notify(req, kind, event.pk)
    return req


APPLICANT_NOTICES = {CaseEventKind.REGISTERED: "case_registered", CaseEventKind.ANSWERED: "case_answered"}


def _notify(req: InformationRequest, kind: str, event_pk: int) -> None:
    """Transactional outbox: the step's messages are written to the outbox inside the step's own transaction,
    so they commit with it or not at all, and a failure to queue them fails the step (nothing is stored). The
    worker sends them (``notifications.service.deliver_due``); docs/cases.md, "Notifications"."""
    if kind not in APPLICANT_NOTICES and kind != CaseEventKind.SUPERVISED:
        return
    from gongkai.cases.tracking import ensure_code
    from gongkai.notifications import service

    if kind == CaseEventKind.SUPERVISED:
        service.notify_staff(req, "case_supervised", timezone.localdate())
        return
    if kind == CaseEventKind.REGISTERED and req.applicant_id is not None:
        ensure_code(req)  # the registration notice names the tracking code
    service.notify_applicant(req, APPLICANT_NOTICES[CaseEventKind(kind)], step=event_pk)


def _locked(req: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.select_for_update().get(pk=req.pk)


@transaction.atomic
def register(
    actor: Actor,
    body: Organisation,
    *,
    received: dt.date | dt.datetime,
    channel: str,
    subject: str,
    applicant: Applicant | None = None,
    applicant_kind: str = "",
    provision_form: str = "",
    delivery_method: str = "",
    route: bool = False,
) -> InformationRequest:
    """Register a request (staff intake or the online form): receipt date and regime by art 31 / the date.
    The applicant's kind is its Table 3 column; ``applicant_kind`` alone serves anonymous historical entry."""
    received_day = timezone.localdate(received) if isinstance(received, dt.datetime) else received
    if received_day > timezone.localdate():
        raise ValidationError({"received": _("收到日期不能晚于今天")})
    if applicant is not None:
        applicant_kind = applicant.kind
    req = record_request(
        actor,
        body,
        received=received,
        channel=channel,
        applicant_kind=applicant_kind,
        subject=subject,
        applicant=applicant,
    )
    if provision_form or delivery_method:
        req.provision_form, req.delivery_method = provision_form, delivery_method
        req.full_clean()
        req.save(update_fields=["provision_form", "delivery_method"])
    return _step(
        actor,
        _locked(req),
        CaseEventKind.REGISTERED,
        req.receipt_date,
        S.ASSIGNING if route else S.RECEIVED,
        legal_basis=_regime_article(req, "31"),
        data={"received": str(received)},
    )


def _regime_article(req: InformationRequest, article: str) -> str:
    """The stored basis is record data in the statute's own words, whatever language the clerk's page is in
    (an English regime name overflowed the column on PostgreSQL)."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{get_regime(req.regime).name} 第{article}条"


@transaction.atomic
def request_supplement(
    actor: Actor, req: InformationRequest, *, on: dt.date, note: str
) -> InformationRequest:
    """Tell the applicant, once, what to supplement (2019 art 30); the period restarts when it arrives.
    Under the 2008 Regulations "告知作出更改补充" is an answer instead (use ``answer``)."""
    req = _locked(req)
    _require_state(req, ANSWERABLE, _("告知补正"))
    if req.regime != "2019":
        raise IllegalTransition(_("2008年《条例》下没有补正程序，“告知作出更改补充”是一种答复类型"))
    if req.events.filter(kind=CaseEventKind.SUPPLEMENT_REQUESTED).exists():
        raise IllegalTransition(_("补正只能一次性告知（《条例》第三十条）"))
    _require_not_before(on, req.receipt_date, _("告知补正"))
    limit = get_calendar().add_working_days(req.receipt_date, get_regime("2019").supplement_notice_days or 7)
    return _step(
        actor,
        req,
        CaseEventKind.SUPPLEMENT_REQUESTED,
        on,
        S.AWAITING_SUPPLEMENT,
        legal_basis=_regime_article(req, "30"),
        data={"note": note, "notice_limit": limit.isoformat(), "late": on > limit},
    )


@transaction.atomic
def receive_supplement(actor: Actor, req: InformationRequest, *, on: dt.date) -> InformationRequest:
    req = _locked(req)
    _require_state(req, {S.AWAITING_SUPPLEMENT}, _("登记补正"))
    asked = req.events.filter(kind=CaseEventKind.SUPPLEMENT_REQUESTED).latest("at", "id").effective_on
    _require_not_before(on, asked, _("收到补正"))
    return _step(
        actor, req, CaseEventKind.SUPPLEMENT_RECEIVED, on, S.RECEIVED, legal_basis=_regime_article(req, "30")
    )


SUPPLEMENT_DAYS = 15  # the set time for a supplement stated in the notice (letters.SUPPLEMENT_DAYS)
FEE_DAYS = 20  # 国办函〔2020〕109号: pay within 20 working days of receiving the notice


def _wait_start(req: InformationRequest) -> tuple[dt.date, int]:
    """When the applicant's time to supplement or pay started: the notice's delivery if recorded, else its
    dispatch, else the step's date."""
    kind = (
        CaseEventKind.SUPPLEMENT_REQUESTED
        if req.state == S.AWAITING_SUPPLEMENT
        else CaseEventKind.FEE_NOTIFIED
    )
    event = req.events.filter(kind=kind).latest("at", "id")
    letter = getattr(event, "letter", None)
    start = (letter.delivered_on or letter.dispatched_on) if letter is not None else event.effective_on
    return start, SUPPLEMENT_DAYS if kind == CaseEventKind.SUPPLEMENT_REQUESTED else FEE_DAYS


@transaction.atomic
def abandon(actor: Actor, req: InformationRequest, *, on: dt.date, reason: str = "") -> InformationRequest:
    """No supplement within the set time, or an unpaid fee: treated as abandoned (2019 art 30;
    国办函〔2020〕109号)."""
    req = _locked(req)
    _require_state(req, {S.AWAITING_SUPPLEMENT, S.AWAITING_FEE}, _("视为放弃申请"))
    code = "2019.other.no_supplement" if req.state == S.AWAITING_SUPPLEMENT else "2019.other.unpaid_fee"
    waited_from, days = _wait_start(req)
    ends = get_calendar().add_working_days(waited_from, days)
    if on <= ends:
        raise ValidationError(
            {"on": _("补正或缴费期限至%(day)s，期满后才能视为放弃") % {"day": ends.isoformat()}}
        )

    def settle(r: InformationRequest) -> None:
        r.outcome, r.answered_on = code, on

    return _step(
        actor,
        req,
        CaseEventKind.ABANDONED,
        on,
        S.ABANDONED,
        data={"reason": reason, "outcome": code},
        legal_basis=_regime_article(req, "30"),
        mutate=settle,
    )


@transaction.atomic
def start_consultation(
    actor: Actor, req: InformationRequest, *, on: dt.date, party: str, name: str
) -> InformationRequest:
    """Consult a third party (``party="third_party"``) or another body (``"other_body"``): the clock stops
    (2008 art 24; 2019 arts 32-34)."""
    req = _locked(req)
    _require_state(req, ANSWERABLE, _("征求意见"))
    if party not in {"third_party", "other_body"}:
        raise ValidationError({"party": _("征求意见对象须为第三方或其他机关")})
    _require_not_before(on, req.receipt_date, _("征求意见"))
    regime = get_regime(req.regime)
    data: dict[str, Any] = {"party": party, "name": name}
    if party == "third_party" and regime.third_party_days:
        data["reply_by"] = get_calendar().add_working_days(on, regime.third_party_days).isoformat()
    return _step(
        actor,
        req,
        CaseEventKind.CONSULTATION_STARTED,
        on,
        S.CONSULTING,
        data=data,
        legal_basis=_regime_article(req, "32" if req.regime == "2019" else "23"),
    )


@transaction.atomic
def end_consultation(actor: Actor, req: InformationRequest, *, on: dt.date, reply: str) -> InformationRequest:
    req = _locked(req)
    _require_state(req, {S.CONSULTING}, _("登记征求意见答复"))
    started = req.events.filter(kind=CaseEventKind.CONSULTATION_STARTED).latest("at", "id").effective_on
    _require_not_before(on, started, _("征求意见答复"))
    return _step(actor, req, CaseEventKind.CONSULTATION_ENDED, on, S.RECEIVED, data={"reply": reply})


@transaction.atomic
def extend(
    actor: Actor,
    req: InformationRequest,
    *,
    on: dt.date,
    days: int,
    reason: str,
    approved_by: AbstractBaseUser,
) -> InformationRequest:
    """Extend the reply period with the OGI office head's approval; the applicant is told (2008 art 24;
    2019 art 33). Extensions together may not exceed the regime's maximum."""
    req = _locked(req)
    _require_state(req, {S.RECEIVED, S.CONSULTING}, _("延长答复期限"))
    if not permissions.can_approve_extension(approved_by, req.body):
        raise PermissionDenied(_("延长答复期限须经本机关政府信息公开工作机构负责人同意"))
    limit = get_regime(req.regime).extension_days
    if on > req.applicable_due_date:
        raise ValidationError(
            {"on": _("答复期限（%(due)s）已过，不能再延长") % {"due": req.applicable_due_date.isoformat()}}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请填写延期理由")})
    if days < 1 or req.extension_days + days > limit:
        raise ValidationError(
            {
                "days": _("延长期限合计不得超过%(max)d个工作日（已延长%(used)d个）")
                % {"max": limit, "used": req.extension_days}
            }
        )
    return _step(
        actor,
        req,
        CaseEventKind.EXTENDED,
        on,
        req.state,
        legal_basis=_regime_article(req, "33"),
        data={
            "days": days,
            "reason": reason,
            "approved_by": approved_by.get_username(),
            "applicant_notified": True,
        },
    )


@transaction.atomic
def notify_fee(actor: Actor, req: InformationRequest, *, on: dt.date, amount_yuan: str) -> InformationRequest:
    """A fee notice (信息处理费 from 2021-01-01, 国办函〔2020〕109号); payment is due within 20 working
    days."""
    req = _locked(req)
    _require_state(req, ANSWERABLE, _("发出收费通知"))
    if req.regime != "2019" or on < dt.date(2021, 1, 1):
        raise IllegalTransition(_("信息处理费自2021年1月1日起依《政府信息公开信息处理费管理办法》收取"))
    pay_by = get_calendar().add_working_days(on, 20)
    return _step(
        actor,
        req,
        CaseEventKind.FEE_NOTIFIED,
        on,
        S.AWAITING_FEE,
        data={"amount_yuan": amount_yuan, "pay_by": pay_by.isoformat()},
        legal_basis="国办函〔2020〕109号",
    )


@transaction.atomic
def receive_fee(actor: Actor, req: InformationRequest, *, on: dt.date) -> InformationRequest:
    """The fee of the latest notice is paid: the case goes on, and the amount is recorded as collected
    (``FeeCollected``: what the report's fee cells and the 2021 section 六 fee statement count)."""
    req = _locked(req)
    _require_state(req, {S.AWAITING_FEE}, _("登记缴费"))
    notice = req.events.filter(kind=CaseEventKind.FEE_NOTIFIED).latest("at", "id")
    _require_not_before(on, notice.effective_on, _("缴费"))
    amount = Decimal(str(notice.data.get("amount_yuan", "0")))
    req = _step(
        actor,
        req,
        CaseEventKind.FEE_PAID,
        on,
        S.RECEIVED,
        legal_basis="国办函〔2020〕109号",
        data={"amount_yuan": str(amount)},
    )
    FeeCollected.objects.create(body=req.body, request=req, amount_yuan=amount, collected_on=on)
    return req


@dataclass(frozen=True)
class AnswerContent:
    """What an answer says besides its outcome: the text, the basis cited (one of ``bases.choices``), for a
    partial disclosure the part withheld and its ground (``bases.WITHHELD_GROUNDS``), and the documents
    provided (uploaded files, checked as ``gongkai.catalog.transitions.check_upload``)."""

    text: str = ""
    basis: str = ""
    withheld_part: str = ""
    withheld_ground: str = ""
    documents: Sequence[File[Any]] = ()


@transaction.atomic
def answer(
    actor: Actor,
    req: InformationRequest,
    *,
    on: dt.date,
    outcome: str,
    content: AnswerContent | None = None,
) -> InformationRequest:
    """The written answer (2019 arts 36-39; 2008 art 21): the outcome must belong to the case's regime; the
    basis must be one that fits the outcome; a partial disclosure with a text states why the rest is withheld
    (2019 art 37)."""
    req = _locked(req)
    _require_state(req, ANSWERABLE, _("作出答复"))
    if req.items.exists():
        raise IllegalTransition(_("该申请已拆分为多个事项，请逐项答复"))
    _check_outcome(req, outcome)
    _require_not_before(on, req.received_on, _("答复"))
    content = content or AnswerContent()
    extra = _answer_data(outcome, content)
    documents = _check_documents(content.documents)
    req = _record_answer(actor, req, on, outcome, extra)
    _store_documents(actor, req, documents)
    return req


def _check_outcome(req: InformationRequest, outcome: str) -> None:
    known = outcomes.BY_CODE.get(outcome)
    if outcome in ABANDONMENT_OUTCOMES:
        raise ValidationError({"outcome": _("逾期不补正或不缴费的，请使用“视为放弃”")})
    if (
        outcome == "2019.unable.unclear"
        and not req.events.filter(kind=CaseEventKind.SUPPLEMENT_RECEIVED).exists()
    ):
        raise ValidationError({"outcome": _("“补正后申请内容仍不明确”须先告知补正并收到补正")})
    if known is None or known.regime != req.regime:
        raise ValidationError(
            {
                "outcome": _("该申请适用%(regime)s年《条例》，办理结果须为该条例下的类型")
                % {"regime": req.regime}
            }
        )


def _answer_data(outcome: str, content: AnswerContent) -> dict[str, Any]:
    """The answer's own data on its event: text, basis and, for a partial disclosure, the withheld part."""
    basis = content.basis or bases.default(outcome)
    if basis not in bases.choices(outcome):
        raise ValidationError({"basis": _("所选法律依据与办理结果不符")})
    data: dict[str, Any] = {"basis": basis}
    if content.text.strip():
        data["text"] = content.text.strip()
    partly = outcome in bases.PARTLY
    if not partly and (content.withheld_ground or content.withheld_part.strip()):
        raise ValidationError({"withheld_ground": _("只有部分公开才填写不予公开部分的理由")})
    if partly and (content.text.strip() or content.withheld_ground):
        if content.withheld_ground not in bases.GROUND_BY_CODE:
            raise ValidationError({"withheld_ground": _("部分公开须选择不予公开部分的理由")})
        if not content.withheld_part.strip():
            raise ValidationError({"withheld_part": _("部分公开须写明不予公开的部分")})
        data["withheld"] = {"part": content.withheld_part.strip(), "ground": content.withheld_ground}
    return data


def _sha256(upload: File[Any]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Checked:
    upload: File[Any]
    name: str
    content_type: str
    sha256: str


def _check_documents(documents: Sequence[File[Any]]) -> list[_Checked]:
    """Every document checked (type, size, name as catalog attachments; no two alike) before anything is
    stored, so a refused file leaves no other file behind."""
    checked: list[_Checked] = []
    for upload in documents:
        upload.seek(0)
        try:
            safe, content_type = check_upload(str(upload.name or ""), int(upload.size or 0), upload.read(16))
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from exc
        sha = _sha256(upload)
        if any(c.sha256 == sha for c in checked):
            raise ValidationError({"documents": _("“%(n)s”与已上传的文件内容相同") % {"n": safe}})
        checked.append(_Checked(upload, safe, content_type, sha))
    return checked


def _store_documents(actor: Actor, req: InformationRequest, documents: list[_Checked]) -> None:
    """Keep the documents provided with the answer, on its event, each audited."""
    if not documents:
        return
    event = req.events.filter(kind=CaseEventKind.ANSWERED).latest("at", "id")
    for checked in documents:
        doc = AnswerDocument(
            request=req,
            event=event,
            name=checked.name,
            size=int(checked.upload.size or 0),
            sha256=checked.sha256,
            content_type=checked.content_type,
            uploaded_at=timezone.now(),
        )
        doc.file.save(checked.name, checked.upload, save=False)
        doc.save()
        record(
            actor,
            "case.answer_document",
            req,
            after={"name": doc.name, "sha256": doc.sha256, "size": doc.size},
            summary=doc.name,
        )


def _record_answer(
    actor: Actor, req: InformationRequest, on: dt.date, outcome: str, extra: dict[str, Any]
) -> InformationRequest:
    """The answered step shared by single and multi-item answers (2019 arts 36-37; 2008 art 21)."""

    def settle(r: InformationRequest) -> None:
        r.outcome, r.answered_on = outcome, on

    data = {"outcome": outcome, **extra, "overdue": on > (req.extended_due_date or req.due_date)}
    return _step(
        actor,
        req,
        CaseEventKind.ANSWERED,
        on,
        S.ANSWERED,
        mutate=settle,
        data=data,
        legal_basis=str(extra.get("basis") or _regime_article(req, "36" if req.regime == "2019" else "21")),
    )


@transaction.atomic
def close(actor: Actor, req: InformationRequest, *, on: dt.date) -> InformationRequest:
    """File the case once the answer has been delivered."""
    req = _locked(req)
    _require_state(req, {S.ANSWERED}, _("办结"))
    return _step(actor, req, CaseEventKind.CLOSED, on, S.CLOSED)


@transaction.atomic
def reopen(actor: Actor, req: InformationRequest, *, on: dt.date, reason: str) -> InformationRequest:
    """Handle an answered case again (e.g. a review decision ordered a new answer), with a new full period from
    ``on``. Within the year of the answer the case itself is reopened (its old answer stays in the timeline);
    after that year has ended, the earlier year's figures must not change, so a new case is registered,
    linked to the original, and returned."""
    req = _locked(req)
    _require_state(req, {S.ANSWERED, S.CLOSED, S.ABANDONED}, _("重新办理"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写重新办理的理由")})
    _require_not_before(on, req.answered_on or req.receipt_date, _("重新办理"))
    if (req.answered_on is not None and on.year > req.answered_on.year) or req.regime != "2019":
        return _reopen_as_new_case(actor, req, on, reason)

    def clear(r: InformationRequest) -> None:
        r.outcome, r.answered_on = "", None

    return _step(
        actor,
        req,
        CaseEventKind.REOPENED,
        on,
        S.RECEIVED,
        mutate=clear,
        data={"reason": reason, "previous_outcome": req.outcome},
    )


def _reopen_as_new_case(
    actor: Actor, req: InformationRequest, on: dt.date, reason: str
) -> InformationRequest:
    new = record_request(
        actor,
        req.body,
        received=on,
        channel=req.channel,
        applicant_kind=req.applicant_kind,
        subject=req.subject,
        applicant=req.applicant,
    )
    new = _step(
        actor,
        _locked(new),
        CaseEventKind.REGISTERED,
        new.receipt_date,
        S.RECEIVED,
        legal_basis=_regime_article(new, "31"),
        data={"reopens": req.pk, "reason": reason, "previous_outcome": req.outcome},
    )
    record(actor, "case.reopened_as_new", req, after={"new_case": new.pk, "reason": reason})
    return new


def refresh_open_cases(actor: Actor = "system") -> int:
    """Recompute the stored dates of every open case (after a calendar change; running pauses move daily).
    One audit entry for the batch."""
    changed = 0
    calendar = get_calendar()  # once, not a version query per case
    with transaction.atomic():
        for req in InformationRequest.objects.select_for_update().filter(state__in=OPEN_STATES):
            old = (req.due_date, req.extended_due_date, req.provisional)
            apply_deadline(req, deadline_for(req, calendar))
            if (req.due_date, req.extended_due_date, req.provisional) != old:
                req.save(update_fields=["due_date", "extended_due_date", "provisional", "extension_days"])
                record(
                    actor,
                    "case.deadline_recomputed",
                    req,
                    before={"due_date": old[0], "extended_due_date": old[1], "provisional": old[2]},
                    after={
                        "due_date": req.due_date,
                        "extended_due_date": req.extended_due_date,
                        "provisional": req.provisional,
                    },
                )
                changed += 1
        record(
            actor,
            "case.refresh_deadlines",
            object_type="cases.informationrequest",
            summary=gettext_lazy("重新计算办理中案件的答复期限"),
            batch_size=changed,
        )
    return changed


# Routing and supervision ---------------------------------------------------------------------------------
# An application to a government (its portal) is distributed by its office to the body responsible (分办); that
# body signs for it (签收) or returns it with a reason (退回); a body may pass a case on to another (转办). The
# receipt date never changes: the clock runs from the government's receipt throughout.


def _other_body(req: InformationRequest, to_body: Organisation) -> None:
    if to_body.pk == req.body_id:
        raise ValidationError({"to_body": _("请选择另一个机关")})
    if not to_body.is_valid_on(timezone.localdate()):
        raise ValidationError({"to_body": _("%(body)s已撤销") % {"body": to_body.name}})


def _move_to(to_body: Organisation) -> Callable[[InformationRequest], None]:
    def move(r: InformationRequest) -> None:
        r.body = to_body

    return move


@transaction.atomic
def assign(
    actor: Actor, req: InformationRequest, *, on: dt.date, to_body: Organisation
) -> InformationRequest:
    req = _locked(req)
    _require_state(req, {S.ASSIGNING}, _("分办"))
    _other_body(req, to_body)
    data = {
        "from_body": req.body_id,
        "from_name": req.body.name,
        "to_body": to_body.pk,
        "to_name": to_body.name,
    }
    return _step(
        actor, req, CaseEventKind.ASSIGNED, on, S.AWAITING_SIGNATURE, data=data, mutate=_move_to(to_body)
    )


@transaction.atomic
def handle_itself(actor: Actor, req: InformationRequest, *, on: dt.date) -> InformationRequest:
    """自行办理: the government that received the application holds the information itself and its own office
    handles and answers it (2019 Regulations art 4: each people's government's OGI office does its own
    disclosure work), instead of distributing it to a department."""
    req = _locked(req)
    _require_state(req, {S.ASSIGNING}, _("自行办理"))
    _require_not_before(on, req.received_on, _("自行办理"))
    return _step(actor, req, CaseEventKind.SIGNED_FOR, on, S.RECEIVED, data={"handled_by": req.body.name})


@transaction.atomic
def sign_for(actor: Actor, req: InformationRequest, *, on: dt.date) -> InformationRequest:
    req = _locked(req)
    _require_state(req, {S.AWAITING_SIGNATURE}, _("签收"))
    return _step(actor, req, CaseEventKind.SIGNED_FOR, on, S.RECEIVED)


@transaction.atomic
def return_case(actor: Actor, req: InformationRequest, *, on: dt.date, reason: str) -> InformationRequest:
    """Send a case back to the body that assigned or transferred it, with the reason."""
    req = _locked(req)
    _require_state(req, {S.AWAITING_SIGNATURE}, _("退回"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回理由")})
    last = req.events.filter(kind__in=[CaseEventKind.ASSIGNED, CaseEventKind.TRANSFERRED]).latest("at", "id")
    back_to = Organisation.objects.get(pk=last.data["from_body"])
    to_state = S.ASSIGNING if last.kind == CaseEventKind.ASSIGNED else S.RECEIVED
    return _step(
        actor,
        req,
        CaseEventKind.RETURNED,
        on,
        to_state,
        mutate=_move_to(back_to),
        data={"reason": reason, "from_name": req.body.name, "to_name": back_to.name},
    )


@transaction.atomic
def transfer(
    actor: Actor, req: InformationRequest, *, on: dt.date, to_body: Organisation, reason: str
) -> InformationRequest:
    """Pass a case to the body that holds the information (转办), keeping the receipt date and history."""
    req = _locked(req)
    _require_state(req, {S.RECEIVED}, _("转办"))
    _other_body(req, to_body)
    data = {
        "from_body": req.body_id,
        "from_name": req.body.name,
        "to_body": to_body.pk,
        "to_name": to_body.name,
        "reason": reason,
    }
    return _step(
        actor, req, CaseEventKind.TRANSFERRED, on, S.AWAITING_SIGNATURE, data=data, mutate=_move_to(to_body)
    )


@transaction.atomic
def supervise(
    actor: AbstractBaseUser, req: InformationRequest, *, on: dt.date, comment: str, until: dt.date
) -> InformationRequest:
    """督办: the supervising office puts an open case under supervision with a comment and a date."""
    req = _locked(req)
    _require_state(req, OPEN_STATES, _("督办"))
    if not permissions.can_supervise(actor, req.body):
        raise PermissionDenied(_("只有对该机关有监督职责的人员可以督办"))
    if not comment.strip():
        raise ValidationError({"comment": _("请填写督办意见")})
    _require_not_before(until, on, _("督办期限"))

    def mark(r: InformationRequest) -> None:
        r.supervised_until = until

    return _step(
        actor,
        req,
        CaseEventKind.SUPERVISED,
        on,
        req.state,
        mutate=mark,
        data={"comment": comment, "until": until.isoformat()},
    )


# Multi-item applications ---------------------------------------------------------------------------------


@transaction.atomic
def add_items(actor: Actor, req: InformationRequest, descriptions: list[str]) -> list[RequestItem]:
    """Split an open application into items (e.g. a multi-item application split under the fee rules)."""
    req = _locked(req)
    _require_state(req, OPEN_STATES, _("拆分申请事项"))
    cleaned = [d.strip() for d in descriptions if d.strip()]
    if len(cleaned) < 2:
        raise ValidationError({"descriptions": _("至少两个事项才需要拆分")})
    if req.items.exists():
        raise IllegalTransition(_("该申请已拆分为多个事项"))
    items = RequestItem.objects.bulk_create(
        [RequestItem(request=req, position=n, description=d[:300]) for n, d in enumerate(cleaned, start=1)]
    )
    record(actor, "case.items_added", req, after={"items": cleaned}, batch_size=len(items))
    return items


@transaction.atomic
def answer_items(
    actor: Actor, req: InformationRequest, *, on: dt.date, item_outcomes: dict[int, str]
) -> InformationRequest:
    """Answer every item; the request's outcome (its Table 3 row) follows ``outcomes.combined_outcome``."""
    req = _locked(req)
    _require_state(req, ANSWERABLE, _("作出答复"))
    items = list(req.items.order_by("position"))
    if not items:
        raise IllegalTransition(_("该申请没有拆分事项，请直接答复"))
    missing = [i.position for i in items if i.pk not in item_outcomes]
    wrong = [
        i.position
        for i in items
        if i.pk in item_outcomes
        and (
            outcomes.BY_CODE.get(item_outcomes[i.pk]) is None
            or outcomes.BY_CODE[item_outcomes[i.pk]].regime != req.regime
        )
    ]
    if missing or wrong:
        raise ValidationError(
            {
                "item_outcomes": _("第%(n)s项的办理结果缺失或不属于该申请适用的条例")
                % {"n": "、".join(str(p) for p in missing + wrong)}
            }
        )
    _require_not_before(on, req.received_on, _("答复"))
    for item in items:
        item.outcome = item_outcomes[item.pk]
    RequestItem.objects.bulk_update(items, ["outcome"])
    combined = outcomes.combined_outcome([i.outcome for i in items])
    return _record_answer(actor, req, on, combined, {"items": {str(i.position): i.outcome for i in items}})
