"""Background work for the calendar (huey): warn staff while the coming year has no official schedule, since
deadlines running into it are provisional (statutory-reference §1)."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.workdays.calendar import get_calendar

logger = logging.getLogger(__name__)


def provisional_years_ahead(months: int = 2) -> list[int]:
    """Years touched by the next ``months`` months (deadlines reach about that far) that are not official."""
    today = timezone.localdate()
    horizon_year = today.year + (1 if today.month + months > 12 else 0)
    calendar = get_calendar()
    return [year for year in range(today.year, horizon_year + 1) if not calendar.is_official(year)]


@db_periodic_task(crontab(hour="8", minute="0"))  # type: ignore[untyped-decorator]
def warn_provisional_calendar() -> list[int]:
    years = provisional_years_ahead()
    for year in years:
        logger.warning(
            "The official %s working-day schedule is not entered: deadlines running into %s are provisional. "
            "Enter it in the admin (工作日历) or with `gongkai calendar_load --year %s` once published.",
            year,
            year,
            year,
        )
    return years
