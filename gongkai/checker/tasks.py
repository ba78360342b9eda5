"""Background work of the checker (huey): a batch too large to check inside the request (``batch.start``), and
taking up again a batch whose worker was lost (``batch.resume_stalled``)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()  # type: ignore[untyped-decorator]
def run_batch(batch_id: int) -> None:
    from gongkai.checker.batch import run

    run(batch_id)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def resume_stalled_batches() -> int:
    """Every five minutes: a batch whose worker was lost (restart, crash) is checked on from where it stopped."""
    from gongkai.checker.batch import resume_stalled

    return resume_stalled(timezone.now())
