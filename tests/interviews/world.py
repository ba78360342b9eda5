"""Interview objects in the permission matrix's world (tests/security/test_permission_matrix.py): for one body, an
interview announced for next week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.interviews import actions
from gongkai.organisations.models import Organisation


def interview_values(key: str, org: Organisation) -> dict[str, Any]:
    interview = actions.announce(
        "test",
        org,
        kind="interview",
        topic=f"访谈标记{key}子丑",
        starts_at=timezone.now() + dt.timedelta(days=7),
        guests=[actions.GuestRow("嘉宾", "局长", principal_leader=True)],
    )
    return {"interview": interview.pk, "interview_topic": interview.topic}
