"""Issue 13 on the staff home: consultations whose feedback report (采纳情况反馈) is overdue and 12345 tickets open
past their due time are counted with one query each, and each count equals the staff list it links to (the
clerk of the education bureau sees its own body's, not the county police's)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import LazySettings
from django.test import Client

from gongkai.consultations import actions as consultations
from gongkai.consultations.models import Consultation
from gongkai.hotline import actions as hotline
from gongkai.hotline.models import Source, Ticket
from gongkai.organisations.models import Organisation
from tests.conftest import PASSWORD, Personas, Tree
from tests.reports.test_staff_home_attention import TODAY, counts

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def fast_passwords(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    settings.GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS = 20


def consultation(body: Organisation, closes_on: dt.date, *, title: str = "征集") -> Consultation:
    made = consultations.create(
        "test", body, title=title, opens_on=closes_on - dt.timedelta(days=30), closes_on=closes_on
    )
    return consultations.open_consultation("test", made)


def listed(client: Client, url: str, prefix: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'href="{prefix}(\d+)/"', client.get(url).content.decode())}


def clerk(personas: Personas) -> Client:
    client = Client()
    assert client.login(username=personas.clerk.username, password=PASSWORD)
    return client


@time_machine.travel(TODAY, tick=False)
def test_overdue_feedback_reports_are_counted_as_the_consultation_list_shows_them(
    tree: Tree, personas: Personas
) -> None:
    """Tuesday 20 January 2026, feedback due 20 working days after the last day of comments: a consultation
    whose feedback fell due before today is overdue, one due today is not yet; a published report, a draft
    and another body's consultation are not counted."""
    today = TODAY.date()
    overdue = consultation(tree.education, D(2025, 11, 20), title="逾期未反馈")
    closed_early = consultations.close(
        "test", consultation(tree.education, D(2025, 12, 30)), on=D(2025, 11, 25)
    )
    due_today = consultation(tree.education, D(2025, 12, 22), title="今日到期")
    assert consultations.feedback_due(due_today) == today
    published = consultation(tree.education, D(2025, 10, 1), title="已反馈")
    Consultation.objects.filter(pk=published.pk).update(
        feedback_text="反馈", feedback_published_on=D(2025, 12, 1)
    )
    consultations.create(
        "test", tree.education, title="未发布", opens_on=D(2025, 9, 1), closes_on=D(2025, 9, 30)
    )
    consultation(tree.county_police, D(2025, 10, 1), title="他人的")
    client = clerk(personas)
    found = counts(client)
    assert found["consultations_overdue"] == (2, "/staff/consultations/?overdue=1")
    shown = listed(client, found["consultations_overdue"][1], "/staff/consultations/")
    assert shown == {overdue.pk, closed_early.pk}
    assert 'id="overdue-filter"' in client.get("/staff/consultations/?overdue=1").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_overdue_query_agrees_with_the_rule_one_consultation_at_a_time(tree: Tree) -> None:
    """The one query (a cutoff date over the last day of comments) flags exactly the consultations that
    ``actions.feedback_overdue`` flags, for every last day from October to January (weekends and holidays)."""
    today = TODAY.date()
    made = [consultation(tree.education, D(2025, 10, 1) + dt.timedelta(days=n)) for n in range(110)]
    expected = {c.pk for c in made if consultations.feedback_overdue(c, today)}
    assert 0 < len(expected) < len(made)
    assert set(Consultation.objects.feedback_overdue_on(today).values_list("pk", flat=True)) == expected


def ticket(body: Organisation, number: str, due_at: dt.datetime | None, *, completed: bool = False) -> Ticket:
    fields = {
        "received_at": dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC),
        "topic": "路灯不亮",
        "due_at": due_at,
    }
    made, _outcome = hotline.receive_ticket(
        "api:12345", body, source=Source.API, number=number, fields=fields
    )
    if completed:
        made = hotline.complete(
            "api:12345", made, result="已修复", at=dt.datetime(2026, 1, 19, 9, tzinfo=dt.UTC)
        )
    return made


@time_machine.travel(TODAY, tick=False)
def test_overdue_tickets_are_counted_as_the_ticket_list_shows_them(tree: Tree, personas: Personas) -> None:
    """A ticket still open past the platform's due time is overdue whatever year it came in (the list's
    ``?overdue=1`` covers every year); completed late, not yet due, without a due time or another body's:
    not counted."""
    late_open = ticket(tree.education, "T1", dt.datetime(2026, 1, 19, 9, tzinfo=dt.UTC))
    ticket(tree.education, "T2", dt.datetime(2026, 1, 21, 9, tzinfo=dt.UTC))
    ticket(tree.education, "T3", dt.datetime(2025, 12, 2, 9, tzinfo=dt.UTC), completed=True)
    ticket(tree.education, "T4", None)
    ticket(tree.county_police, "T5", dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC))
    client = clerk(personas)
    found = counts(client)
    assert found["tickets_overdue"] == (1, "/staff/hotline/?overdue=1")
    assert listed(client, found["tickets_overdue"][1], "/staff/hotline/") == {late_open.pk}
