"""The nightly planner statistics (gongkai.ops.tasks): with them, the portal's newest-items list reads the
``published_on`` index backwards instead of sorting every public item. Persona: 周敏, who runs the province's platform."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from gongkai.catalog.models import Publication, PublicationStatus
from gongkai.ops.tasks import refresh_planner_statistics
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


def _catalog(tree: Tree, n: int) -> None:
    """n items of the county, nine in ten published, over three years."""
    start = dt.date(2022, 1, 1)
    Publication.objects.bulk_create(
        Publication(
            body=tree.county,
            index_code=tree.county.org_code,
            index_year=2022,
            index_serial=i + 1,
            title=f"通知{i}",
            made_on=start + dt.timedelta(days=i % 1000),
            published_on=start + dt.timedelta(days=i % 1000),
            status=PublicationStatus.PUBLISHED if i % 10 else PublicationStatus.WITHDRAWN,
        )
        for i in range(n)
    )


def _newest_plan() -> str:
    newest = Publication.objects.public().order_by("-published_on", "-id")[:20]
    sql, params = newest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics unless asked")
def test_zhou_min_s_nightly_statistics_let_the_newest_list_read_its_index(tree: Tree) -> None:
    _catalog(tree, 3000)
    assert "TEMP B-TREE" in _newest_plan()  # no statistics yet: the planner sorts the status index's rows

    assert refresh_planner_statistics() == "sqlite"

    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'catalog_publication'")
        analysed = {row[0] for row in cursor.fetchall()}
    assert analysed  # the table's indexes have statistics now
    plan = _newest_plan()
    assert "USING INDEX catalog_publication_published_on" in plan
    assert "TEMP B-TREE" not in plan


def test_the_task_runs_on_every_database() -> None:
    assert refresh_planner_statistics() == connection.vendor
