"""Background work of the checker (huey): a batch too large to check inside the request (``batch.start``)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()  # type: ignore[untyped-decorator]
def run_batch(batch_id: int) -> None:
    from gongkai.checker.batch import run

    run(batch_id)
