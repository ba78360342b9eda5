"""Consultation objects in the permission matrix's world (tests/security/test_permission_matrix.py): for one
body, a consultation open today, a draft and a closed one whose feedback report is generated (to publish)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.consultations import actions
from gongkai.organisations.models import Organisation


def consultation_values(key: str, org: Organisation) -> dict[str, Any]:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    opened = actions.open_consultation(
        "test",
        actions.create(
            "test", org, title=f"征集标记{key}壬癸", opens_on=today - 5 * day, closes_on=today + 5 * day
        ),
    )
    draft = actions.create("test", org, title=f"征集草稿{key}", opens_on=today, closes_on=today + day)
    closed = actions.open_consultation(
        "test",
        actions.create(
            "test", org, title=f"已截止征集{key}", opens_on=today - 30 * day, closes_on=today - 10 * day
        ),
    )
    received = timezone.make_aware(dt.datetime.combine(today - 20 * day, dt.time(10)))
    comment = actions.submit_comment("public", closed, text="意见", received_at=received)
    actions.classify("test", actions.moderate("test", comment, approve=True), adoption="adopted")
    closed = actions.generate_feedback("test", actions.close("test", closed, on=today - 10 * day))
    return {
        "consultation": opened.pk,
        "consultation_title": opened.title,
        "consultation_draft": draft.pk,
        "consultation_closed": closed.pk,
    }


def comment_at_rest(name: str, phone: str) -> int:
    """A comment with a name and a phone number, on a consultation of a body of its own (tests/security/
    test_crypto.py reads its encrypted columns below the ORM)."""
    from gongkai.organisations.models import OrgKind
    from tests.conftest import make_org

    body = make_org("密钥测试县人民政府", OrgKind.COUNTY)
    today = timezone.localdate()
    consultation = actions.open_consultation(
        "test", actions.create("test", body, title="征集", opens_on=today, closes_on=today)
    )
    return int(actions.submit_comment("public", consultation, text="意见", name=name, contact=phone).pk)
