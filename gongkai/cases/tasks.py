"""Background work for cases (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.cases.transitions import refresh_open_cases


@db_periodic_task(crontab(hour="0", minute="30"))  # type: ignore[untyped-decorator]
def refresh_deadlines_daily() -> int:
    """A pause still running (a consultation, an unpaid fee) moves its case's due date each working day."""
    return refresh_open_cases("daily")
