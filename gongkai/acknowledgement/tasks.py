"""Background work for acknowledgements (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from gongkai.acknowledgement.pruning import prune_keys


@db_periodic_task(crontab(hour="3", minute="15"))  # type: ignore[untyped-decorator]
def prune_idempotency_keys() -> int:
    """Each night: forget the keys of forms submitted longer ago than GONGKAI_IDEMPOTENCY_KEEP_DAYS."""
    return prune_keys()
