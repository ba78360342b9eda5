"""Public tracking of a request: a code printed on the receipt plus a secret only the applicant gets.

The code is not secret (it is in the applicant's messages). The secret is stored only as a salted slow hash
(Django's password hashers, ``acknowledgement.TrackingSecret``) that depends on no configured key, so rotating
``SECRET_KEY`` or the field key leaves tracking working. Cases from before keep their HMAC digest
(``tracking_secret_digest``, keyed by the field key) and are verified by it until the first right lookup, which
replaces it with the slow hash. A lookup costs one slow hash whether or not the code exists, and a wrong pair
gives the same answer either way.

The online form does not draw the secret at random: it derives it from the form's idempotency key
(``secret_from_key``), a one-way function, so the same form sent again shows the same receipt
(docs/cases.md, "Acknowledgement")."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai import crypto
from gongkai.acknowledgement.models import TrackingSecret
from gongkai.audit.log import SYSTEM, Actor, record
from gongkai.cases import outcomes
from gongkai.cases.models import CaseEvent, CaseEventKind, InformationRequest

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
SECRET_LENGTH = 10  # 50 bits


def _code(year: int) -> str:
    return f"GK{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def _normalised(secret: str) -> str:
    return "".join(secret.split()).upper()


def secret_from_key(key: str) -> str:
    """The tracking secret of the form that carried ``key``: HMAC-SHA256 keyed by the form's own random key, so
    only who holds the key can compute it, and neither the key nor the secret follows from what is stored."""
    digest = hmac.new(key.encode(), b"gongkai.tracking-secret", hashlib.sha256).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:SECRET_LENGTH])  # 256 % 32 == 0: uniform


def ensure_code(req: InformationRequest) -> str:
    """Give the case a tracking code if it has none (the registration notice names it)."""
    code = req.tracking_code
    while code is None or InformationRequest.objects.filter(tracking_code=code).exclude(pk=req.pk).exists():
        code = _code(req.receipt_date.year)
    if code != req.tracking_code:
        req.tracking_code = code
        req.save(update_fields=["tracking_code"])
    return code


def hash_secret(secret: str) -> str:
    """The stored form of a secret: a salted slow hash (about half a second of CPU). Callers that can should
    compute it before their transaction opens and pass it to ``issue_tracking``."""
    return make_password(_normalised(secret))


def _store(req: InformationRequest, secret: str, secret_hash: str = "") -> None:
    TrackingSecret.objects.update_or_create(
        case=req, defaults={"secret_hash": secret_hash or hash_secret(secret)}
    )
    if req.tracking_secret_digest:  # the legacy keyed digest goes once the slow hash is there
        req.tracking_secret_digest = ""
        req.save(update_fields=["tracking_secret_digest"])


@transaction.atomic
def issue_tracking(
    actor: Actor, req: InformationRequest, *, secret: str = "", secret_hash: str = ""
) -> tuple[str, str]:
    """Give the case a tracking code (kept if it has one) and a secret, random unless given; returns both (the
    secret is stored only as its slow hash: ``secret_hash`` when the caller computed it, which must be
    ``hash_secret(secret)``)."""
    code = ensure_code(req)
    secret = _normalised(secret) or "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
    _store(req, secret, secret_hash)
    record(actor, "case.tracking_issued", req, after={"tracking_code": code})
    return code, secret


@transaction.atomic
def _rehash(req: InformationRequest, secret: str) -> None:
    """A right secret checked against a legacy digest or an outdated hasher is stored with the current one."""
    _store(req, secret)
    record(SYSTEM, "case.tracking_rehashed", req)


def _legacy_matches(req: InformationRequest, secret: str) -> bool:
    expected = req.tracking_secret_digest
    return bool(expected) and hmac.compare_digest(crypto.match_digest(secret), expected)


def lookup(code: str, secret: str) -> InformationRequest | None:
    """The case of a right (code, secret) pair, else None."""
    req = (
        InformationRequest.objects.select_related("body", "tracking_secret")
        .filter(tracking_code="".join(code.split()).upper())
        .first()
    )
    secret = _normalised(secret)
    stored = getattr(req, "tracking_secret", None) if req is not None else None
    if stored is not None and req is not None:
        ok = bool(secret) and check_password(secret, stored.secret_hash, setter=lambda raw: _rehash(req, raw))
    else:
        make_password(secret)  # as slow as a check, whether or not the code exists
        ok = req is not None and bool(secret) and _legacy_matches(req, secret)
        if ok and req is not None:
            _rehash(req, secret)
    return req if ok else None


# --- what the applicant sees ----------------------------------------------------------------------------------

# The steps of a case the applicant is told of (2019 Regulations arts 30-37: the receipt, a request to supplement,
# an extension, a fee notice, the answer), each with its date. Consultations (art 32), assignment between the
# government's offices' queues (签收, 退回) and supervision are internal, and so are the staff's notes, reasons
# and names: an entry shows only what the letters to the applicant say.
PUBLIC_EVENTS = frozenset(
    {
        CaseEventKind.REGISTERED,
        CaseEventKind.ASSIGNED,
        CaseEventKind.TRANSFERRED,
        CaseEventKind.SUPPLEMENT_REQUESTED,
        CaseEventKind.SUPPLEMENT_RECEIVED,
        CaseEventKind.EXTENDED,
        CaseEventKind.FEE_NOTIFIED,
        CaseEventKind.FEE_PAID,
        CaseEventKind.ANSWERED,
        CaseEventKind.ABANDONED,
        CaseEventKind.CLOSED,
        CaseEventKind.REOPENED,
    }
)


@dataclass(frozen=True)
class PublicStep:
    on: dt.date
    kind: str
    label: str
    detail: str = ""


def _detail(event: CaseEvent) -> str:
    data = event.data or {}
    kind = event.kind
    if kind in {CaseEventKind.ASSIGNED, CaseEventKind.TRANSFERRED} and data.get("to_name"):
        return _("由%(body)s办理") % {"body": data["to_name"]}
    if kind == CaseEventKind.SUPPLEMENT_REQUESTED:
        return str(data.get("note", ""))  # what the applicant is asked to supplement (the notice says it)
    if kind == CaseEventKind.EXTENDED and data.get("days"):
        return _("延长%(days)s个工作日") % {"days": data["days"]}
    if kind == CaseEventKind.FEE_NOTIFIED and data.get("amount_yuan"):
        return _("信息处理费%(amount)s元，请于%(date)s前缴纳") % {
            "amount": data["amount_yuan"],
            "date": data.get("pay_by", ""),
        }
    if kind == CaseEventKind.ANSWERED and (known := outcomes.BY_CODE.get(str(data.get("outcome", "")))):
        return str(known.label)
    return ""


def public_timeline(req: InformationRequest) -> list[PublicStep]:
    """The case's public steps in order, each with its date of effect and what the applicant was told."""
    events = req.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "id")
    return [
        PublicStep(
            on=e.effective_on,
            kind=e.kind,
            label=_("收到申请") if e.kind == CaseEventKind.REGISTERED else e.get_kind_display(),
            detail=_detail(e),
        )
        for e in events
    ]
