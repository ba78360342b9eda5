"""Per-phone limits (issue #10, abuse limits), counted in the database so that they hold across processes and
hosts: online applications per phone number (``IdempotencyKey`` rows of the online form) and SMS per phone
number (outbox rows), each over the last 24 hours. Per-address limits are the middleware's
(``gongkai.throttle``).

A phone number is counted by an HMAC of its digits keyed with ``SECRET_KEY`` (a phone number has too few digits
for an unkeyed hash). Changing ``SECRET_KEY`` only restarts the 24-hour counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from gongkai.acknowledgement.models import IdempotencyKey

WINDOW = dt.timedelta(days=1)
APPLY_SCOPE = "portal.apply"


def phone_key(phone: str) -> str:
    """What a phone number is counted under ("" for none)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return salted_hmac("gongkai.limits.phone", digits).hexdigest() if digits else ""


def _within(recent: QuerySet[Any], limit: int) -> bool:
    return limit <= 0 or recent.count() < limit


def application_allowed(phone: str, now: dt.datetime | None = None) -> bool:
    """False once ``GONGKAI_LIMIT_APPLICATIONS_PER_PHONE_PER_DAY`` online applications gave this phone number in
    the last 24 hours (0: no limit)."""
    key = phone_key(phone)
    since = (now or timezone.now()) - WINDOW
    recent = IdempotencyKey.objects.filter(scope=APPLY_SCOPE, limit_key=key, created_at__gte=since)
    return not key or _within(recent, int(settings.GONGKAI_LIMIT_APPLICATIONS_PER_PHONE_PER_DAY))


def sms_allowed(key: str, now: dt.datetime | None = None) -> bool:
    """False once ``GONGKAI_LIMIT_SMS_PER_PHONE_PER_DAY`` SMS were queued to this phone key in the last 24 hours
    (0: no limit)."""
    from gongkai.notifications.models import Channel, Notification

    since = (now or timezone.now()) - WINDOW
    recent = Notification.objects.filter(channel=Channel.SMS, limit_key=key, created_at__gte=since)
    return not key or _within(recent, int(settings.GONGKAI_LIMIT_SMS_PER_PHONE_PER_DAY))
