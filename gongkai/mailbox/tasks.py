"""Background work for the mailbox (huey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.mailbox.actions import send_reminders
from gongkai.workdays.calendar import get_calendar


@db_periodic_task(crontab(hour="8", minute="35"))  # type: ignore[untyped-decorator]
def remind_due_letters() -> int:
    """Each working morning: a reminder on every open letter due within 2 working days or overdue (the staff
    queue shows it)."""
    today = timezone.localdate()
    if not get_calendar().is_working_day(today):
        return 0
    return send_reminders(today)
