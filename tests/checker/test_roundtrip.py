"""Round trip (report-checker issue, Deliver 4): every report the studio exports — each format (2014, 2019,
2021) as .html, .docx, .pdf and .md — is read back by the checker (``reading.read_bytes`` → ``engine``) with
every cell equal to the studio's figures; and a published report's figures imported back into another body
(``importing``) give that body a report equal to the snapshot.

The world: clerk 王芳 of 回读市教育局 registers requests over the years and publishes an item, 回读市交通运输局
submits its 2024 figures; the reports of 回读市 (subtree) are built, frozen as a publication would freeze them, and exported. Data and exports are
module-scoped (one transaction rolled back at the end); each PDF is rendered once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from gongkai.accounts.models import Role
from gongkai.cases import transitions as t
from gongkai.catalog.actions import record_publication
from gongkai.catalog.models import Channel, ChannelKind
from gongkai.checker import engine, importing, reading
from gongkai.checker.types import Cell, Result
from gongkai.organisations.models import OrgKind
from gongkai.reports.build import build_report, report_json
from gongkai.reports.document import freeze
from gongkai.reports.exports import render_frozen
from gongkai.reports.registry import Scope
from tests.checker.rules_support import expected_result
from tests.conftest import make_org, make_user

pytestmark = [pytest.mark.django_db]
D = dt.date
CASES = {"2014": 2014, "2019": 2020, "2021": 2024}  # format → year
SUFFIXES = (".html", ".docx", ".pdf", ".md")


def _world() -> dict[str, Any]:
    city = make_org("回读市人民政府", OrgKind.GOVERNMENT, short_name="回读市")
    education = make_org("回读市教育局", OrgKind.DEPARTMENT, city)
    clerk = make_user("roundtrip-clerk", education, Role.CLERK)
    site = Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=city)
    record_publication(
        "test",
        education,
        title="关于招生的通知",
        made_on=D(2014, 3, 3),
        published_on=D(2014, 3, 4),
        channels=[site],
    )

    def case(received: dt.date, kind: str = "natural") -> Any:
        return t.register(
            clerk, education, received=received, channel="online", applicant_kind=kind, subject="s"
        )

    t.answer(clerk, case(D(2014, 5, 6)), on=D(2014, 5, 20), outcome="2008.disclosed")
    t.answer(clerk, case(D(2020, 3, 4)), on=D(2020, 3, 20), outcome="2019.disclosed")
    t.answer(clerk, case(D(2020, 6, 1), "business"), on=D(2020, 6, 10), outcome="2019.partly_disclosed")
    t.answer(clerk, case(D(2024, 3, 4)), on=D(2024, 3, 20), outcome="2019.disclosed")
    t.answer(
        clerk, case(D(2024, 5, 5), "legal_service"), on=D(2024, 5, 20), outcome="2019.refused.third_party"
    )
    case(D(2024, 12, 20), "business")  # carried over to 2025
    # 回读市交通运输局 keeps its own books: its 2024 figures (those of a real 2021-format report, fees in 万元
    # with decimals) are its submission, so the city's 2024 report has figures in every table
    transport = make_org("回读市交通运输局", OrgKind.DEPARTMENT, city)
    plan = importing.plan(expected_result("pingtan-2022"), None, transport, 2024, other_body=True)
    importing.store(plan, filename="transport-2024.txt")
    reports = {fmt: build_report(city, year, fmt) for fmt, year in CASES.items()}
    frozen = {fmt: freeze(r) for fmt, r in reports.items()}
    files = {(fmt, s): render_frozen(frozen[fmt], s) for fmt in CASES for s in SUFFIXES}
    return {"city": city, "reports": reports, "frozen": frozen, "files": files}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


def _exact(value: Any) -> Any:
    return None if value is None else Decimal(str(value))


def _studio(frozen: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    return {(c["table"], c["row"], c["column"]): _exact(c["value"]) for c in frozen["json"]["cells"]}


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("fmt", list(CASES))
def test_every_export_reads_back_with_every_cell_equal(world: dict[str, Any], fmt: str, suffix: str) -> None:
    data = world["files"][(fmt, suffix)]
    doc = reading.read_bytes(data, f"report{suffix}")
    result = engine.check_document(doc)
    read = {c.key: _exact(c.value) for c in result.cells}
    studio = _studio(world["frozen"][fmt])
    problems = {
        "format/year/body": (result.format, result.year, result.body),
        "missing": sorted(set(studio) - set(read))[:10],
        "extra": sorted(set(read) - set(studio))[:10],
        "differ": [(k, studio[k], read[k]) for k in sorted(studio) if k in read and read[k] != studio[k]][
            :10
        ],
        "ambiguous": [c.key for c in result.cells if c.ambiguous][:10],
        "errors": [f.message for f in result.findings if f.severity == "error"],
    }
    assert problems == {
        "format/year/body": (fmt, CASES[fmt], "回读市人民政府"),
        "missing": [],
        "extra": [],
        "differ": [],
        "ambiguous": [],
        "errors": [],
    }


@pytest.mark.parametrize("fmt", list(CASES))
def test_a_published_report_imported_into_another_body_equals_the_snapshot(
    world: dict[str, Any], fmt: str
) -> None:
    """The 2021-era body 回读备份机关 (no records of its own) gets the published figures as its submission: its
    own report of the year then prints exactly the snapshot's cells."""
    doc = reading.read_bytes(world["files"][(fmt, ".html")], "published.html")
    result = engine.check_document(doc)
    _import_equals_snapshot(world, fmt, result, doc)


@pytest.mark.parametrize("fmt", list(CASES))
def test_the_snapshots_own_cells_imported_give_the_same_report(world: dict[str, Any], fmt: str) -> None:
    """The import alone (no reader): the snapshot's cells as a perfect extraction would give them."""
    snapshot = world["frozen"][fmt]
    cells = [
        Cell(c["table"], c["row"], c["column"], _exact(c["value"]) if c["value"] is not None else None)
        for c in snapshot["json"]["cells"]
    ]
    result = Result(fmt, "回读市人民政府", CASES[fmt], cells)  # type: ignore[arg-type]
    _import_equals_snapshot(world, fmt, result, None)


def _import_equals_snapshot(world: dict[str, Any], fmt: str, result: Result, doc: Any) -> None:
    year = CASES[fmt]
    snapshot = world["frozen"][fmt]
    with transaction.atomic():
        other = make_org("回读备份机关", OrgKind.OTHER)
        refused = importing.plan(result, doc, other)
        assert any("--other-body" in p for p in refused.problems)
        plan = importing.plan(result, doc, other, other_body=True)
        assert plan.ok, plan.problems
        submission = importing.store(plan, filename="published.html")
        assert (submission.year, submission.format) == (year, fmt)
        again = report_json(build_report(other, year, fmt, Scope.OWN))
        assert {(c["table"], c["row"], c["column"]): _exact(c["value"]) for c in again["cells"]} == _studio(
            snapshot
        )
        transaction.set_rollback(True)
