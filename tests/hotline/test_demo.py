"""The demo's 2024–2026 hotline runs through the real workflow on the small tree: 2024 imported from a GB18030
export (one audit entry), 2025–2026 pushed ticket by ticket; some late, most rated, a few of 2026 still open."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.demo.engagement_hotline import PER_YEAR, build_recent_hotline
from gongkai.hotline.models import Source, Ticket
from gongkai.hotline.stats import year_figures
from gongkai.organisations.models import Organisation
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


def test_the_recent_hotline_flows_through_the_importer_and_the_api_functions(tree: Tree) -> None:
    total = build_recent_hotline(tree.city, Organisation.objects.all())
    assert total == sum(PER_YEAR.values()) == Ticket.objects.count()
    assert Ticket.objects.filter(source=Source.IMPORT, received_at__year=2024).count() == PER_YEAR[2024]
    assert Ticket.objects.filter(source=Source.API).count() == PER_YEAR[2025] + PER_YEAR[2026]
    assert AuditEntry.objects.filter(action="hotline.bulk_create").count() == 1
    assert AuditEntry.objects.filter(action="hotline.receive").count() == PER_YEAR[2025] + PER_YEAR[2026]
    for year in PER_YEAR:
        figures = year_figures(Ticket.objects.all(), year)
        assert figures.received == PER_YEAR[year] and 0 < figures.late < figures.completed
        assert 0 < figures.satisfied < figures.rated <= figures.completed
    assert Ticket.objects.filter(received_at__year=2026, status="in_progress").exists()
    assert not Ticket.objects.filter(body__in=[tree.city, tree.office]).exists()  # dispatched to departments
