"""The demo city's 2014 report as JSON, and its committed snapshot (tests/demo/data/xuchang-2014.report.json).

The snapshot was written by loads in separate processes (two hash seeds, SQLite and PostgreSQL) that gave the
same bytes; tests/demo/test_demo_city.py checks that the load of every test run gives them again. After an
intended change of the demo or of the report builder, write it again from a fresh database:

    export GONGKAI_DATA_DIR=$(mktemp -d) DATABASE_URL=
    gongkai migrate && gongkai demo && gongkai shell -c "from tests.demo.snapshot import write; write()"
"""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.organisations.actions import resolve_org
from gongkai.reports.build import build_report, report_json

SNAPSHOT = Path(__file__).with_name("data") / "xuchang-2014.report.json"


def city_json() -> str:
    return json.dumps(
        report_json(build_report(resolve_org("许昌市"), 2014, "2014")), ensure_ascii=False, indent=1
    )


def write() -> None:
    SNAPSHOT.write_text(city_json(), encoding="utf-8")
