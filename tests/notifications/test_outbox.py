"""The transactional outbox (issue #10, deliver 2): notices are written in the step's transaction (a failure to
queue fails the step), the worker claims rows with a conditional UPDATE and a lease, retries failures with
back-off, marks a row failed after the last attempt (visible to admins), and never sends a row twice."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import CaseState, InformationRequest
from gongkai.notifications import service
from gongkai.notifications.models import Notification
from gongkai.notifications.service import deliver_due
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
SENT: list[int] = []


@pytest.fixture(autouse=True)
def outbox(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.GONGKAI_EMAIL_GATEWAY = "tests.notifications.test_outbox.RecordingGateway"
    settings.GONGKAI_NOTIFY_RETRY_SECONDS = 60
    settings.GONGKAI_NOTIFY_LEASE_SECONDS = 300
    settings.GONGKAI_NOTIFY_MAX_ATTEMPTS = 3
    SENT.clear()


class RecordingGateway:
    def send(self, notification: Notification) -> str:
        SENT.append(notification.pk)
        return f"ok:{notification.pk}"


class BrokenGateway:
    def send(self, notification: Notification) -> str:
        raise ConnectionError("smtp down")


class ReentrantGateway:
    """While it sends, a second worker drains the same outbox (two workers at once, interleaved)."""

    def send(self, notification: Notification) -> str:
        SENT.append(notification.pk)
        if len(SENT) == 1:
            deliver_due()
        return "ok"


def registered(tree: Tree, personas: Personas, n: int = 1) -> list[InformationRequest]:
    cases = []
    for i in range(n):
        applicant = create_applicant(
            "t",
            kind="business",
            name=f"某公司{i}",
            email=f"co{i}@example.invalid",
            credit_code="91350100M000100Y43",
            contact_name="李四",
        )
        cases.append(
            t.register(
                personas.clerk,
                tree.education,
                received=dt.date(2026, 3, 9),
                channel="online",
                subject="s",
                applicant=applicant,
            )
        )
    return cases


def test_the_notice_is_in_the_outbox_when_the_step_returns(tree: Tree, personas: Personas) -> None:
    """No on-commit hook: the registration notice (with the tracking code) is there inside the transaction."""
    (req,) = registered(tree, personas)
    message = Notification.objects.get(case=req)
    assert req.tracking_code and req.tracking_code in message.body


def test_a_failure_to_queue_fails_the_step(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    (req,) = registered(tree, personas)

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(service, "_queue", locked)
    with pytest.raises(OperationalError):
        t.answer(personas.clerk, req, on=dt.date(2026, 3, 20), outcome="2019.disclosed")
    req.refresh_from_db()
    assert req.state == CaseState.RECEIVED and not req.events.filter(kind="answered").exists()
    assert not AuditEntry.objects.filter(action="case.answered").exists()


def test_a_failing_gateway_is_retried_with_back_off_then_marked_failed_for_admins(
    settings: Any, tree: Tree, personas: Personas
) -> None:
    settings.GONGKAI_EMAIL_GATEWAY = "tests.notifications.test_outbox.BrokenGateway"
    registered(tree, personas)
    start = timezone.now()
    assert deliver_due(start) == 0
    message = Notification.objects.get()
    assert (message.attempts, message.failed_at) == (1, None) and "smtp down" in message.last_error
    assert message.send_after == start + dt.timedelta(seconds=60)
    assert deliver_due(start + dt.timedelta(seconds=30)) == 0  # still backing off: not even tried
    assert Notification.objects.get().attempts == 1
    deliver_due(start + dt.timedelta(seconds=61))  # attempt 2, then 120 s more
    assert Notification.objects.get().send_after == start + dt.timedelta(seconds=181)
    deliver_due(start + dt.timedelta(seconds=200))  # attempt 3 of 3: given up
    message = Notification.objects.get()
    assert message.attempts == 3 and message.failed_at is not None and message.sent_at is None
    assert deliver_due(start + dt.timedelta(days=1)) == 0 and Notification.objects.get().attempts == 3
    assert AuditEntry.objects.filter(action="notification.failed", object_id=str(message.pk)).exists()

    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/notifications/notification/?status=failed", follow=True).content.decode()
    assert "有1条通知多次发送失败" in page and "发送失败" in page and "smtp down" in page
    assert "smtp down" not in client.get("/admin/notifications/notification/?status=sent").content.decode()


def test_a_crashed_workers_claim_expires_and_the_row_is_sent_once(tree: Tree, personas: Personas) -> None:
    registered(tree, personas)
    now = timezone.now()
    message = Notification.objects.get()
    assert service._claim(message.pk, now) is not None  # a worker claims it, then dies before sending
    assert deliver_due(now + dt.timedelta(seconds=10)) == 0 and SENT == []  # the lease still holds
    assert deliver_due(now + dt.timedelta(seconds=301)) == 1 and SENT[:] == [message.pk]
    assert deliver_due(now + dt.timedelta(seconds=900)) == 0 and SENT[:] == [message.pk]
    assert Notification.objects.get().attempts == 2


def test_two_interleaved_drains_send_each_row_once(settings: Any, tree: Tree, personas: Personas) -> None:
    settings.GONGKAI_EMAIL_GATEWAY = "tests.notifications.test_outbox.ReentrantGateway"
    registered(tree, personas, n=4)
    deliver_due()
    assert sorted(SENT) == sorted(Notification.objects.values_list("pk", flat=True))
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


class SlowGateway:
    def send(self, notification: Notification) -> str:
        SENT.append(notification.pk)
        threading.Event().wait(0.02)
        return "ok"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL: SQLite's in-memory test database does not take concurrent writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_workers_send_each_row_once(settings: Any, tree: Tree, personas: Personas) -> None:
    """Two worker threads, each with its own database connection, drain one outbox."""
    settings.GONGKAI_EMAIL_GATEWAY = "tests.notifications.test_outbox.SlowGateway"
    registered(tree, personas, n=10)
    counts: list[int] = []

    def worker() -> None:
        try:
            counts.append(deliver_due())
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 10 and sorted(SENT) == sorted(Notification.objects.values_list("pk", flat=True))
