"""Background work for cases (huey)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.audit.log import record
from gongkai.cases.models import InformationRequest
from gongkai.cases.transitions import refresh_open_cases
from gongkai.notifications.service import deliver_due, notify_staff
from gongkai.workdays.calendar import get_calendar


@db_periodic_task(crontab(hour="0", minute="30"))  # type: ignore[untyped-decorator]
def refresh_deadlines_daily() -> int:
    """A pause still running (a consultation, an unpaid fee) moves its case's due date each working day."""
    return refresh_open_cases("daily")


@db_periodic_task(crontab(hour="8", minute="30"))  # type: ignore[untyped-decorator]
def remind_due_cases() -> int:
    """Each working morning: the handling body's staff hear of cases due within 3 working days or overdue."""
    return send_reminders(timezone.localdate())


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def deliver_notifications() -> int:
    """Drain the outbox every minute: claimed with a lease, retried with back-off (notifications.service)."""
    return deliver_due()


def send_reminders(today: dt.date) -> int:
    calendar = get_calendar()
    if not calendar.is_working_day(today):
        return 0
    soon = calendar.add_working_days(today, 3)
    running = InformationRequest.objects.running().select_related("body", "applicant").with_applicable_due()
    cases = running.filter(applicable_due__lte=soon)  # type: ignore[misc]  # an annotation the stubs cannot see
    queued = 0
    with transaction.atomic():
        for req in cases:
            code = "case_overdue" if req.applicable_due < today else "case_due_soon"  # type: ignore[attr-defined]
            queued += notify_staff(req, code, today)
        record(
            "system",
            "notification.reminders",
            object_type="notifications.notification",
            summary=f"reminders {today.isoformat()}",
            batch_size=queued,
        )
    return queued
