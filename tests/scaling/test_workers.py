"""Two huey consumers on one Redis queue drain one notification outbox (docs/scaling.md): every message is sent
exactly once, by one of the two processes, although both take delivery tasks at the same time.

PostgreSQL and Redis only (the consumers are separate processes: they need the test database on a server, not
SQLite's in-memory one). In CI (CI=true) a Redis that does not answer fails the test; elsewhere it skips."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.db.models import Sum
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.cases.tasks import deliver_notifications
from gongkai.notifications.models import Audience, Channel, Notification, NotificationTemplate
from tests.scaling import processes

POSTGRES = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.skipif(
        not POSTGRES,
        reason="worker processes share the database: PostgreSQL only (SQLite's test database is in memory)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
MESSAGES = 120
TASKS = 12


@pytest.fixture
def queue() -> Iterator[str]:
    problem = processes.redis_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is needed in CI: {problem}")
        pytest.skip(problem)
    name = f"gongkai-test-{uuid.uuid4().hex[:10]}"
    yield name
    processes.drop_queue(name)


def due_messages(count: int) -> list[Notification]:
    template = NotificationTemplate.objects.create(
        code="scaleout", channel=Channel.EMAIL, audience=Audience.STAFF, subject="测试", body="测试"
    )
    due = timezone.now() - dt.timedelta(minutes=1)
    return Notification.objects.bulk_create(
        Notification(
            template=template,
            channel=Channel.EMAIL,
            recipient=f"staff{i}@example.org",
            recipient_display=f"staff{i}@example.org",
            body=f"消息 {i}",
            key=f"scaleout-{i}",
            send_after=due,
        )
        for i in range(count)
    )


def wait_all_sent(seconds: float = 25) -> None:
    deadline = time.monotonic() + seconds
    while Notification.objects.filter(sent_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the consumers did not send every message in time"
        time.sleep(0.1)


def test_two_consumers_send_each_message_exactly_once(queue: str, tmp_path: Path) -> None:
    messages = due_messages(MESSAGES)
    env = processes.gongkai_env(
        tmp_path,
        connections["default"].settings_dict,
        queue,
        GONGKAI_EMAIL_GATEWAY="tests.scaling.gateways.RecordingGateway",
    )
    consumers = processes.start_consumers(env, count=2, threads=2)
    try:
        # Enqueued as a web process would: every task drains the outbox, so the four worker threads of the two
        # consumers compete for the same rows.
        processes.enqueue(queue, deliver_notifications, TASKS)
        wait_all_sent()
        time.sleep(0.5)  # tasks still running find nothing left to claim
    finally:
        processes.stop(consumers)
    assert all(proc.returncode is not None for proc in consumers)

    sends = [json.loads(line) for line in (tmp_path / "sends.jsonl").read_text().splitlines()]
    per_message = Counter(send["id"] for send in sends)
    assert set(per_message) == {m.pk for m in messages}
    assert set(per_message.values()) == {1}, "a message was sent twice"
    assert len({send["pid"] for send in sends}) == 2, "both consumers should have sent messages"
    rows = Notification.objects.filter(pk__in=[m.pk for m in messages])
    assert all(n.attempts == 1 and n.gateway_reply == f"recorded:{n.pk}" for n in rows)  # claimed once each
    delivered = AuditEntry.objects.filter(action="notification.deliver").aggregate(n=Sum("batch_size"))["n"]
    assert delivered == MESSAGES  # the audit log counts every send once
