"""Public tracking of a request: a code printed on the receipt plus a secret only the applicant gets.

The secret is shown once and stored only as a keyed digest; a lookup needs both, and a wrong pair gives the
same answer whether or not the code exists."""

from __future__ import annotations

import hmac
import secrets

from django.db import transaction

from gongkai import crypto
from gongkai.audit.log import Actor, record
from gongkai.cases.models import InformationRequest

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def _code(year: int) -> str:
    return f"GK{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


@transaction.atomic
def issue_tracking(actor: Actor, req: InformationRequest) -> tuple[str, str]:
    """Give the case a tracking code and a new secret; returns both (the secret is not stored)."""
    code = req.tracking_code
    while code is None or InformationRequest.objects.filter(tracking_code=code).exclude(pk=req.pk).exists():
        code = _code(req.receipt_date.year)
    secret = "".join(secrets.choice(ALPHABET) for _ in range(10))
    req.tracking_code, req.tracking_secret_digest = code, crypto.match_digest(secret)
    req.save(update_fields=["tracking_code", "tracking_secret_digest"])
    record(actor, "case.tracking_issued", req, after={"tracking_code": code})
    return code, secret


def lookup(code: str, secret: str) -> InformationRequest | None:
    req = (
        InformationRequest.objects.select_related("body")
        .filter(tracking_code="".join(code.split()).upper())
        .first()
    )
    digest = crypto.match_digest(secret)
    expected = req.tracking_secret_digest if req is not None else "0" * 64
    if not digest or not hmac.compare_digest(digest, expected):
        return None
    return req
