"""Reads on a real streaming replica (docs/scaling.md, gongkai/dbrouting.py): a replica of the test server is made
with pg_basebackup and started on a free port; public pages read it, staff read their own writes while it lags.

PostgreSQL only. In CI (CI=true) a replica that cannot start fails the test with the reason; elsewhere it skips
with the reason."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai import dbrouting
from gongkai.catalog.models import NormativeKind, Publication
from gongkai.figures.models import FigureState
from gongkai.organisations.models import Organisation, OrgKind
from tests.conftest import Personas, Tree, make_org
from tests.scaling.pgreplica import Replica, ReplicaUnavailable, start_replica

POSTGRES = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.skipif(
        not POSTGRES, reason="a streaming replica needs PostgreSQL (run with DATABASE_URL=postgres://…)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"]),
]
MIDDLEWARE = "gongkai.dbrouting.ReadYourWritesMiddleware"


@pytest.fixture(scope="module")
def replica_server(django_db_setup: None) -> Iterator[Replica]:
    primary = connections["default"].settings_dict
    target = {
        "host": primary["HOST"] or "127.0.0.1",
        "port": primary["PORT"] or 5432,
        "user": primary["USER"],
    }
    try:
        server = start_replica(target)
    except ReplicaUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the PostgreSQL replica could not be started in CI: {exc}")
        pytest.skip(f"no PostgreSQL replica here: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def replica_alias(replica_server: Replica) -> Iterator[None]:
    """The ``replica`` alias as settings make it with DATABASE_REPLICA_URL (a test mirror of the primary, so that
    the test cases never flush it), there before the first test case of the module starts and after the last
    ends."""
    primary = connections["default"].settings_dict
    connections.settings[dbrouting.REPLICA] = {
        **primary,
        "HOST": "127.0.0.1",
        "PORT": str(replica_server.port),
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    try:
        yield
    finally:
        connections[dbrouting.REPLICA].close()
        del connections[dbrouting.REPLICA]
        del connections.settings[dbrouting.REPLICA]


@pytest.fixture
def replica(
    replica_alias: None, transactional_db: None, replica_server: Replica, settings: Any
) -> Iterator[Replica]:
    """The router and the middleware, as settings add them with DATABASE_REPLICA_URL."""
    settings.DATABASE_ROUTERS = ["gongkai.dbrouting.ReplicaRouter"]
    settings.GONGKAI_PAGE_CACHE = False  # every page below is rendered, so that its queries can be seen
    auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[: auth + 1], MIDDLEWARE, *settings.MIDDLEWARE[auth + 1 :]]
    try:
        yield replica_server
    finally:
        replay("resume")
        dbrouting._floor_cache().delete(dbrouting.FLOOR_KEY)


def replay(action: str) -> None:
    with connections[dbrouting.REPLICA].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{action}()")


def wait_replayed(seconds: float = 20) -> None:
    """Until the replica has replayed everything committed on the primary so far."""
    lsn = dbrouting.primary_wal_position()
    deadline = time.monotonic() + seconds
    while not dbrouting.replica_has_replayed(lsn):
        assert time.monotonic() < deadline, f"the replica did not replay {lsn} within {seconds}s"
        time.sleep(0.05)


def tables_read(queries: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_a_write_on_the_primary_reaches_the_replica(replica: Replica) -> None:
    body = make_org("复制测试局", OrgKind.DEPARTMENT)
    deadline = time.monotonic() + 20
    while not Organisation.objects.using(dbrouting.REPLICA).filter(pk=body.pk, name="复制测试局").exists():
        assert time.monotonic() < deadline, "the new body never reached the replica"
        time.sleep(0.05)


def test_public_pages_read_the_replica_writes_go_to_the_primary(replica: Replica, tree: Tree) -> None:
    wait_replayed()
    with (
        CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = Client().get(reverse("portal:bodies"))
    assert page.status_code == 200 and tree.county.name in page.content.decode()
    assert "organisations_organisation" in tables_read(on_replica)
    assert "organisations_organisation" not in tables_read(on_primary)
    router = dbrouting.ReplicaRouter()
    with dbrouting.reading_from_replica():
        assert router.db_for_read(Organisation) == dbrouting.REPLICA
        with transaction.atomic():  # a transaction reads what it writes: the primary
            assert router.db_for_read(Organisation) == "default"
        with dbrouting.reading_from_primary():  # reads that feed a write
            assert router.db_for_read(Organisation) == "default"
        assert router.db_for_read(Organisation) == dbrouting.REPLICA
        assert router.db_for_write(Organisation) == "default"
        assert router.db_for_read(Organisation) == "default"  # after a write, the block reads the primary
    assert router.db_for_read(Organisation) == "default"  # outside a marked request or block
    assert router.allow_migrate(dbrouting.REPLICA, "organisations") is False
    assert router.allow_migrate("default", "organisations") is None


def test_staff_read_their_write_while_the_replica_lags(
    replica: Replica, tree: Tree, personas: Personas
) -> None:
    guide = reverse("portal:body_guide", args=[tree.city.org_code])
    staff, visitor = Client(), Client()
    staff.force_login(personas.office_head)
    wait_replayed()
    replay("pause")
    form = {
        "office": "测试市人民政府办公室",
        "address": "复制延迟路9号",
        "hours": "工作日",
        "revised_on": "2026-01-05",
    }
    assert staff.post(reverse("guide:guide_edit", args=[tree.city.org_code]), form).status_code == 302
    assert staff.session[dbrouting.SESSION_KEY]  # the primary's WAL position after the write
    assert not dbrouting.replica_has_replayed(staff.session[dbrouting.SESSION_KEY])
    assert dbrouting.read_floor()  # the guide's public pages were bumped: the shared floor rose (next test)
    dbrouting._floor_cache().delete(dbrouting.FLOOR_KEY)  # below: the session's own position alone

    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert "复制延迟路9号" in staff.get(guide).content.decode()  # served by the primary
    assert "portal_disclosureguide" not in tables_read(on_replica)  # only the replay position was asked
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert "复制延迟路9号" not in visitor.get(guide).content.decode()  # the paused replica
    assert "portal_disclosureguide" in tables_read(on_replica)

    replay("resume")
    wait_replayed()
    assert "复制延迟路9号" in visitor.get(guide).content.decode()
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert "复制延迟路9号" in staff.get(guide).content.decode()  # the replica has caught up: it serves
    assert "portal_disclosureguide" in tables_read(on_replica)


def test_after_a_publication_no_page_is_built_from_a_replica_that_lags(replica: Replica, tree: Tree) -> None:
    """A write that invalidates the shared page cache raises the floor (``pagecache.bump`` calls
    ``dbrouting.raise_floor``): until the replica has replayed it, even anonymous pages read the primary (else a
    stale page would be cached under the new generation)."""
    wait_replayed()
    replay("pause")
    Organisation.objects.filter(pk=tree.county.pk).update(name="悄悄改名的县")  # no signal: no bump, no floor
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert "悄悄改名的县" not in Client().get(reverse("portal:bodies")).content.decode()
    assert "organisations_organisation" in tables_read(on_replica)  # no floor yet: the lagging replica serves

    make_org("楼层测试局", OrgKind.DEPARTMENT, tree.city)  # bumps the bodies' pages: the floor rises
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert "楼层测试局" in Client().get(reverse("portal:bodies")).content.decode()
    assert "organisations_organisation" not in tables_read(on_replica)  # the primary served

    replay("resume")
    wait_replayed()
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert "楼层测试局" in Client().get(reverse("portal:bodies")).content.decode()
    assert "organisations_organisation" in tables_read(on_replica)


def _publish(body: Organisation, year: int, serial: int) -> None:
    day = dt.date(year, 3, serial)
    Publication.objects.create(
        body=body,
        index_code=body.org_code,
        index_year=year,
        index_serial=serial,
        title=f"复制测试 {serial}",
        made_on=day,
        issued_on=day,
        published_on=day,
        normative_kind=NormativeKind.NORMATIVE,  # counted in Table 2 of the 2019 format
    )


def _stored_and_fresh(body: Organisation, year: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    from gongkai.figures.compute import compute_year
    from gongkai.figures.models import BodyFigure

    stored = {f.key: f.value for f in BodyFigure.objects.filter(org=body, year=year) if f.value}
    fresh = {key: value for (_, key), value in compute_year(year, [body.pk]).items() if value}
    return stored, fresh


def test_aggregates_recomputed_during_a_replica_read_are_not_stale(replica: Replica, tree: Tree) -> None:
    from gongkai import figures
    from gongkai.figures.store import refresh_dirty

    year, body = 2024, tree.education
    _publish(body, year, 1)
    figures.rebuild(years=[year])
    _publish(body, year, 2)  # marks the body dirty, and the replica sees it
    wait_replayed()
    replay("pause")
    _publish(body, year, 3)  # not on the replica yet
    with dbrouting.reading_from_replica():  # as a report page's GET does
        refresh_dirty(year)
    replay("resume")
    stored, fresh = _stored_and_fresh(body, year)
    dirty = FigureState.objects.get(org=body, year=year).dirty
    assert dirty or stored == fresh, "aggregates marked fresh differ from the records"
