"""Notifications: applicant messages in the step's transaction (the outbox), staff reminders once a day, quiet hours, the outbox drained by
a pluggable gateway, identifiers never in clear in the outbox or its log."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine

from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.tasks import send_reminders
from gongkai.notifications.models import Notification
from gongkai.notifications.service import deliver_due, quiet_until
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def at(h: int, m: int = 0, day: int = 16) -> dt.datetime:
    return dt.datetime(2026, 3, day, h, m, tzinfo=SH)


@pytest.mark.parametrize(
    ("now", "expected"),
    [(at(22), at(8, day=17)), (at(7), at(8)), (at(12), at(12)), (at(21), at(8, day=17)), (at(8), at(8))],
)
def test_quiet_hours(settings: Any, now: dt.datetime, expected: dt.datetime) -> None:
    settings.GONGKAI_STAFF_QUIET_HOURS = "21:00-08:00"
    assert quiet_until(now) == expected


def test_applicant_hears_of_registration_and_answer(
    tree: Tree, personas: Personas, data_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    applicant = create_applicant(
        "t",
        kind="natural",
        name="周八",
        id_document="resident_id",
        id_number="11010519491231002X",
        phone="13812345678",
        email="zhou@example.invalid",
    )
    with django_capture_on_commit_callbacks(execute=True):
        req = t.register(
            personas.clerk,
            tree.education,
            received=dt.date(2026, 3, 9),
            channel="online",
            subject="申请公开招生计划",
            applicant=applicant,
        )
    queued = Notification.objects.filter(case=req)
    assert sorted(queued.values_list("channel", flat=True)) == ["email", "sms"]
    sms = queued.get(channel="sms")
    assert "13812345678" not in sms.recipient and sms.recipient_display == "138****5678"
    assert "2026-04-07" in queued.get(channel="email").body
    assert deliver_due() == 2 and deliver_due() == 0
    log = (data_dir / "outbox" / "sms.jsonl").read_text(encoding="utf-8")
    assert json.loads(log)["to"] == "138****5678" and "13812345678" not in log
    with django_capture_on_commit_callbacks(execute=True):
        t.answer(personas.clerk, req, on=dt.date(2026, 3, 20), outcome="2019.disclosed")
    assert Notification.objects.filter(case=req, template__code="case_answered").count() == 2


def test_nothing_is_sent_for_a_step_that_rolled_back(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    applicant = create_applicant(
        "t",
        kind="business",
        name="某公司",
        email="co@example.invalid",
        credit_code="91350100M000100Y43",
        contact_name="李四",
    )
    req = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 3, 9),
        channel="online",
        subject="s",
        applicant=applicant,
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(t.IllegalTransition):
        t.close(personas.clerk, req, on=dt.date(2026, 3, 10))
    assert not Notification.objects.filter(template__code="case_answered").exists()


def test_staff_reminders_once_a_day_held_in_quiet_hours(tree: Tree, personas: Personas) -> None:
    for user in (personas.clerk, personas.reviewer, personas.supervisor):
        user.email = f"{user.username}@example.invalid"
        user.save()
    due_soon = t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 2, 13),
        channel="online",
        applicant_kind="natural",
        subject="快到期",
    )  # due 2026-03-19
    t.register(
        personas.clerk,
        tree.education,
        received=dt.date(2026, 3, 9),
        channel="online",
        applicant_kind="natural",
        subject="还早",
    )  # due 2026-04-07
    with time_machine.travel(at(21, 30), tick=False):
        assert send_reminders(dt.date(2026, 3, 16)) == 2  # clerk and reviewer of 教育局; not the supervisor
        assert send_reminders(dt.date(2026, 3, 16)) == 0  # idempotent
        assert deliver_due() == 0  # quiet hours: held until 08:00
    reminders = Notification.objects.filter(template__code="case_due_soon")
    assert set(reminders.values_list("recipient", flat=True)) == {
        "clerk@example.invalid",
        "reviewer@example.invalid",
    }
    assert all(n.case == due_soon for n in reminders)
    with time_machine.travel(at(8, 5, day=17), tick=False):
        assert deliver_due() == 2
        assert send_reminders(dt.date(2026, 3, 21)) == 0  # a Saturday: no reminders


def test_a_failing_gateway_releases_the_message_for_a_retry(
    settings: Any, tree: Tree, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    settings.GONGKAI_EMAIL_GATEWAY = "tests.notifications.test_notifications.BrokenGateway"
    applicant = create_applicant(
        "t",
        kind="business",
        name="某公司",
        email="co@example.invalid",
        credit_code="91350100M000100Y43",
        contact_name="李四",
    )
    with django_capture_on_commit_callbacks(execute=True):
        t.register(
            personas.clerk,
            tree.education,
            received=dt.date(2026, 3, 9),
            channel="online",
            subject="s",
            applicant=applicant,
        )
    assert deliver_due() == 0
    message = Notification.objects.get()
    assert message.sent_at is None and message.failed_at is None and "smtp down" in message.last_error
    assert message.attempts == 1 and message.claimed_until is None and message.send_after > message.created_at


class BrokenGateway:
    def send(self, notification: Notification) -> str:
        raise ConnectionError("smtp down")
