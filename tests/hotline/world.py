"""The hotline's objects in the permission matrix's world (tests/security/test_permission_matrix.py): for one
body, a ticket pushed by the platform in 2025."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.hotline import actions
from gongkai.hotline.models import Source
from gongkai.organisations.models import Organisation


def hotline_values(key: str, org: Organisation) -> dict[str, Any]:
    number = f"HW{key}2025"
    ticket, _outcome = actions.receive_ticket(
        "api:12345",
        org,
        source=Source.API,
        number=number,
        fields={"received_at": dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), "topic": "矩阵工单"},
    )
    return {"ticket": ticket.pk, "ticket_number": number, "ticket_year": 2025}


def ticket_at_rest(phone: str) -> int:
    """A ticket with the caller's phone number (tests/security/test_crypto.py reads its columns as stored)."""
    from tests.conftest import make_org

    body = make_org("加密测试局", "department")
    ticket, _outcome = actions.receive_ticket(
        "api:12345",
        body,
        source=Source.API,
        number="CRYPTO1",
        fields={"received_at": dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), "phone": phone},
    )
    return ticket.pk
