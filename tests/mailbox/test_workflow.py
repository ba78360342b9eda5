"""The mailbox's domain functions: conversion into a request keeps the letter's date and links both ways;
reminders; the reply deadline in working days; the bulk function (one audit entry per batch) and the statistics
read from letters."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.mailbox import actions
from gongkai.mailbox.models import Letter, LetterEvent, LetterState
from gongkai.reports.registry import REGISTRY, Context, Scope
from gongkai.workdays.calendar import get_calendar
from tests.mailbox.conftest import Cast, signed_in

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def letter_on(body: Any, day: dt.date, **kw: Any) -> Letter:
    return actions.submit(
        "test",
        body,
        kind="consult",
        subject=kw.pop("subject", "询问"),
        text="请公开某文件",
        phone="13900003333",
        received_at=dt.datetime.combine(day, dt.time(16, 0), TZ),
        **kw,
    ).letter


def test_the_reply_deadline_is_in_working_days_of_the_setting(cast: Cast, settings: Any) -> None:
    day = dt.date(2025, 9, 29)  # the National Day holiday follows
    assert letter_on(cast.tree.education, day).due_on == get_calendar().add_working_days(day, 15)
    settings.GONGKAI_MAILBOX_REPLY_WORKING_DAYS = 5
    assert letter_on(cast.tree.education, day).due_on == get_calendar().add_working_days(day, 5)


def test_a_converted_letter_becomes_a_request_with_its_date_and_both_links(cast: Cast) -> None:
    letter = letter_on(cast.tree.education, dt.date(2025, 3, 3))
    li_ming = signed_in(cast.li_ming)
    assert li_ming.post(f"/staff/mailbox/{letter.pk}/", {"action": "convert"}).status_code == 302
    letter.refresh_from_db()
    req = letter.request
    assert req is not None and req.mailbox_letter == letter
    assert req.received_on == letter.received_on == dt.date(2025, 3, 3)
    assert req.body == letter.body and letter.state == LetterState.CLOSED
    assert letter.events.filter(kind="converted").exists() and req.events.filter(kind="registered").exists()
    with pytest.raises(actions.IllegalStep):
        actions.convert_to_request("test", letter)  # once


def test_reminders_for_letters_due_soon_or_overdue_once_a_day(cast: Cast) -> None:
    tree = cast.tree
    today = dt.date(2025, 6, 10)
    overdue = letter_on(tree.education, dt.date(2025, 5, 6))
    due_soon = letter_on(tree.education, dt.date(2025, 5, 21))
    later = letter_on(tree.education, dt.date(2025, 6, 9))
    answered = letter_on(tree.education, dt.date(2025, 5, 6))
    actions.accept("test", answered)
    actions.reply("test", answered, text="已答复", on=dt.date(2025, 5, 20))
    assert due_soon.due_on <= actions.due_soon_limit(today) and later.due_on > actions.due_soon_limit(today)
    before = AuditEntry.objects.filter(action="mailbox.reminders").count()
    assert actions.send_reminders(today) == 2
    assert actions.send_reminders(today) == 0  # once a day
    reminded = set(LetterEvent.objects.filter(kind="reminded").values_list("letter_id", flat=True))
    assert reminded == {overdue.pk, due_soon.pk}
    assert AuditEntry.objects.filter(action="mailbox.reminders").count() == before + 2
    queue = signed_in(cast.li_ming).get("/staff/mailbox/?view=all").content.decode()
    assert "2025-06-10已提醒" in queue
    with time_machine.travel(dt.datetime(2025, 6, 10, 9, 0, tzinfo=TZ), tick=False):
        overdue_view = signed_in(cast.li_ming).get("/staff/mailbox/?view=overdue").content.decode()
    assert (
        f"/staff/mailbox/{overdue.pk}/" in overdue_view and f"/staff/mailbox/{later.pk}/" not in overdue_view
    )


def test_the_bulk_function_writes_a_batch_with_one_audit_entry_and_the_statistics_count_it(
    cast: Cast,
) -> None:
    tree = cast.tree
    rows = [
        actions.LetterRow(tree.education.pk, dt.date(2014, 3, 3), dt.date(2014, 3, 5)),
        actions.LetterRow(tree.education.pk, dt.date(2014, 12, 30), dt.date(2015, 1, 6)),
        actions.LetterRow(tree.school_office.pk, dt.date(2014, 5, 5), None),
    ]
    before = AuditEntry.objects.count()
    assert actions.bulk_create_letters("test", rows, "测试批量") == 3
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.latest("id").batch_size == 3
    assert set(Letter.objects.values_list("state", flat=True)) == {LetterState.CLOSED, LetterState.ACCEPTED}
    ctx = Context(org=tree.education, year=2014, scope=Scope.SUBTREE, fmt="2014")
    assert ctx.value("l.mailbox.letters") == 3
    assert ctx.value("l.mailbox.replied") == 1  # replied in 2015 counts in 2015's report, not 2014's
    records = REGISTRY["l.mailbox.letters"].records
    assert records is not None and records(ctx).count() == 3


def test_the_public_list_is_cached_and_a_publication_shows_at_once(cast: Cast, settings: Any) -> None:
    settings.GONGKAI_PAGE_CACHE = True
    assert "暂无公开的来信" in Client().get("/mailbox/").content.decode()
    letter = letter_on(cast.tree.education, dt.date(2025, 3, 3), consent_to_publish=True, subject="缓存测试")
    actions.accept("test", letter)
    actions.reply("test", letter, text="答复")
    actions.publish("test", letter)
    assert "缓存测试" in Client().get("/mailbox/").content.decode()


def test_the_demo_letters_run_through_the_workflow(tree: Any) -> None:
    from gongkai.demo import engagement_mailbox as demo
    from gongkai.organisations.models import OrgKind
    from tests.conftest import make_org

    city = make_org(demo.CITY, OrgKind.GOVERNMENT)
    orgs = [city] + [
        make_org(name, OrgKind.DEPARTMENT, city)
        for name in (demo.EDU, demo.HOUSING, demo.TRANSPORT, demo.CITY_MANAGEMENT)
    ]
    assert demo.build_recent_letters(orgs) == len(demo.PLANS)
    letters = Letter.objects.all()
    late = [x.is_overdue_on(x.due_on) for x in letters if x.replied_on is not None]
    assert True in late and False in late  # answered late and on time
    assert letters.filter(events__kind="transferred").count() == 1
    assert letters.filter(request__isnull=False).count() == 1
    assert letters.filter(published=True).count() >= 3 and letters.exclude(satisfaction="").count() >= 3
    assert letters.filter(state=LetterState.RETURNED).count() == 1
    assert letters.filter(state__in=[LetterState.SUBMITTED, LetterState.ACCEPTED]).count() == 2


def test_the_data_migration_copies_the_typed_in_letters(cast: Cast) -> None:
    import importlib

    from tests.legacy_rows import LegacyApps

    migration = importlib.import_module("gongkai.mailbox.migrations.0001_initial")
    typed = [  # engagement.MailboxLetter rows (the model is gone since engagement 0003)
        {
            "pk": 1,
            "body_id": cast.tree.education.pk,
            "received_on": dt.date(2014, 3, 3),
            "replied_on": dt.date(2014, 3, 5),
        },
        {"pk": 2, "body_id": cast.tree.city.pk, "received_on": dt.date(2014, 4, 1), "replied_on": None},
    ]
    migration.copy_engagement_letters(LegacyApps({("engagement", "MailboxLetter"): typed}), None)
    copied = {(x.body_id, x.received_on, x.replied_on, x.state) for x in Letter.objects.all()}
    assert copied == {
        (cast.tree.education.pk, dt.date(2014, 3, 3), dt.date(2014, 3, 5), LetterState.CLOSED),
        (cast.tree.city.pk, dt.date(2014, 4, 1), None, LetterState.ACCEPTED),
    }
    assert Letter.objects.get(replied_on=None).due_on == get_calendar().add_working_days(
        dt.date(2014, 4, 1), 15
    )
