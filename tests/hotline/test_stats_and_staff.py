"""The year's figures of the staff page and the report's local items count the same tickets (aggregate SQL);
the staff pages show a body's tickets to its staff (a supervisor: the supervised subtree), callers masked."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.hotline import actions
from gongkai.hotline.models import Source, Ticket
from gongkai.hotline.stats import year_figures
from gongkai.reports.registry import Context, Scope
from tests.conftest import PASSWORD, Personas, Tree
from tests.hotline.helpers import csv_bytes, make_ticket
from tests.legacy_rows import LegacyApps

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def at(month: int, day: int, hour: int = 9, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TZ)


def _five(tree: Tree) -> None:
    """教育局: 4 tickets in 2025 (3 completed, one of them on 2026-01-02; ratings 满意, 不满意, 未评价), 1 in 2024;
    县公安局: 1 in 2025, completed and 基本满意."""
    make_ticket(tree.education, at(3, 1), at(3, 2), satisfaction="satisfied")
    make_ticket(tree.education, at(5, 1), at(5, 9), satisfaction="unsatisfied")
    make_ticket(tree.education, at(12, 31, 20), at(1, 2, year=2026))
    make_ticket(tree.education, at(6, 1))
    make_ticket(tree.education, at(6, 1, year=2024))
    make_ticket(tree.county_police, at(7, 1), at(7, 2), satisfaction="mostly")


def test_rates_are_computed_from_the_records(tree: Tree) -> None:
    _five(tree)
    own = year_figures(Ticket.objects.filter(body=tree.education), 2025)
    assert (own.received, own.completed, own.rated, own.satisfied) == (4, 2, 2, 1)
    assert own.completion_rate == Decimal("50.0") and own.satisfaction_rate == Decimal("50.0")
    everyone = year_figures(Ticket.objects.all(), 2025)
    assert (everyone.received, everyone.completed, everyone.satisfied) == (5, 3, 2)
    assert everyone.satisfaction_rate == Decimal("66.7")
    assert everyone.by_status["completed"] == 4 and everyone.by_status["received"] == 1


def test_the_report_s_hotline_figures_equal_the_records(tree: Tree) -> None:
    _five(tree)
    for org, scope in ((tree.education, Scope.OWN), (tree.city, Scope.SUBTREE)):
        ctx = Context(org, 2025, scope, fmt="2014", live=True)
        figures = year_figures(Ticket.objects.filter(body__path__startswith=org.path), 2025)
        assert ctx.value("l.hotline.calls") == figures.received
        assert ctx.value("l.hotline.completed") == figures.completed
        assert ctx.value("l.hotline.rate") == figures.completion_rate


def test_old_hotline_calls_are_copied_into_tickets(tree: Tree) -> None:
    typed = [
        {"pk": 7, "body_id": tree.county.pk, "received_at": at(4, 1), "completed_at": None, "topic": ""},
        {
            "pk": 3,
            "body_id": tree.education.pk,
            "received_at": at(3, 1),
            "completed_at": at(3, 3),
            "topic": "供暖",
        },
    ]  # engagement.HotlineCall rows (the model is gone since engagement 0003)
    migration = importlib.import_module("gongkai.hotline.migrations.0001_initial")
    migration.copy_hotline_calls(LegacyApps({("engagement", "HotlineCall"): typed}), None)
    copied = Ticket.objects.filter(source=Source.LEGACY).order_by("received_at")
    assert [(t.body, t.status, t.topic) for t in copied] == [
        (tree.education, "completed", "供暖"),
        (tree.county, "received", ""),
    ]
    assert sorted(copied.values_list("number", flat=True)) == ["HC3", "HC7"]


def _login(client: Client, user: object) -> None:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]


def test_the_staff_page_lists_the_body_s_tickets_masked_with_the_year_s_rates(
    client: Client, tree: Tree, personas: Personas
) -> None:
    _five(tree)
    actions.receive_ticket(
        "api:12345",
        tree.education,
        source=Source.API,
        number="P1",
        fields={"received_at": at(8, 1), "caller_name": "周晓梅", "phone": "13812345678"},
    )
    _login(client, personas.clerk)
    page = client.get("/staff/hotline/", {"year": 2025})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-figure="received">5<' in html and 'data-figure="completion-rate">40.0<' in html
    assert 'data-figure="satisfaction-rate">50.0<' in html
    assert "周**" in html and "138****5678" in html and "13812345678" not in html and "周晓梅" not in html
    assert tree.county_police.name not in html
    only_open = client.get("/staff/hotline/", {"year": 2025, "status": "received"}).content.decode()
    completed = Ticket.objects.filter(status="completed").values_list("number", flat=True)
    assert "P1" in only_open and not any(f">{n}<" in only_open for n in completed)


def test_a_supervisor_sees_the_subtree_and_other_bodies_tickets_are_refused(
    client: Client, tree: Tree, personas: Personas
) -> None:
    _five(tree)
    police = Ticket.objects.get(body=tree.county_police)
    education = Ticket.objects.filter(body=tree.education).first()
    assert education is not None
    _login(client, personas.supervisor)
    html = client.get("/staff/hotline/", {"year": 2025}).content.decode()
    assert police.number in html and 'data-figure="received">1<' in html
    assert client.get(f"/staff/hotline/{police.pk}/").status_code == 200
    assert client.get(f"/staff/hotline/{education.pk}/").status_code == 403
    client.logout()
    _login(client, personas.outsider)
    assert client.get("/staff/hotline/").status_code == 403


def test_staff_import_a_file_and_see_the_problems_of_a_bad_one(
    client: Client, tree: Tree, personas: Personas
) -> None:
    _login(client, personas.clerk)
    good = SimpleUploadedFile(
        "工单.csv", csv_bytes([["U1", "2025-05-06 09:00", "咨询", "", "", "", "", "", "", ""]])
    )
    done = client.post("/staff/hotline/import/", {"body": tree.education.org_code, "file": good})
    assert done.status_code == 302 and Ticket.objects.filter(number="U1").exists()
    bad = SimpleUploadedFile(
        "工单.csv", csv_bytes([["U2", "", "咨询", "", "", "", "", "", "", ""]], "gb18030")
    )
    refused = client.post("/staff/hotline/import/", {"body": tree.education.org_code, "file": bad})
    assert refused.status_code == 400 and "受理时间" in refused.content.decode()
    assert not Ticket.objects.filter(number="U2").exists()
    other = SimpleUploadedFile(
        "工单.csv", csv_bytes([["U3", "2025-05-06 09:00"]], header=["工单编号", "受理时间"])
    )
    assert (
        client.post(
            "/staff/hotline/import/", {"body": tree.county_police.org_code, "file": other}
        ).status_code
        == 403
    )
