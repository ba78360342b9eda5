"""Idempotency keys are kept for a while, then pruned (issue 10 leftover): a key only has to outlive the form
that carried it (a resubmission leads to the first result) and the per-phone limit's window
(``limits.WINDOW``). One audit entry per pruning run, with the number of rows as its batch size."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.acknowledgement.limits import WINDOW
from gongkai.acknowledgement.models import IdempotencyKey
from gongkai.audit.log import record

MIN_KEEP = dt.timedelta(days=2)


def keep_for() -> dt.timedelta:
    """How long keys are kept: the setting, never shorter than the limit window plus a day."""
    days = dt.timedelta(days=int(settings.GONGKAI_IDEMPOTENCY_KEEP_DAYS))
    return max(days, MIN_KEEP, WINDOW + dt.timedelta(days=1))


def prune_keys(now: dt.datetime | None = None) -> int:
    """Delete the keys older than ``keep_for()``; returns how many went."""
    cutoff = (now or timezone.now()) - keep_for()
    with transaction.atomic():
        count, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
        if count:
            record(
                "system",
                "acknowledgement.prune_keys",
                object_type="acknowledgement.idempotencykey",
                summary=f"created before {cutoff:%Y-%m-%d %H:%M}",
                batch_size=count,
            )
    return count
