"""Benchmark: `gongkai import publications` on a generated 100k-row CSV — the first import (every row created,
with its channel and review), the re-import (nothing changes) and, as the baselines measured in the same run,
a bare bulk_create and a raw executemany (``benchmarks/province.py``'s ``raw_executemany``) of the same
publications without validation, channels, reviews or audit.

    .venv/bin/python benchmarks/import_publications.py [--rows 100000] [--bodies 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python benchmarks/import_publications.py

It builds its own throwaway database (a temporary SQLite file unless DATABASE_URL is set; a PostgreSQL
database named in DATABASE_URL is created and dropped by Django's test-database machinery). The counts are
asserted: every row lands exactly once, and the re-import writes nothing (no new audit entry).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import setup

# the columns a benchmark row fills, by their keys in the documented mapping (catalog/importing/files.py)
KEYS = (
    "index_number",
    "body",
    "title",
    "made_on",
    "published",
    "topic",
    "genre",
    "channels",
    "reviewer",
    "reviewed_on",
    "review_conclusion",
    "text",
)


def build_bodies(n: int) -> list[str]:
    from django.contrib.auth.models import User

    from gongkai.catalog.models import Channel, ChannelKind
    from gongkai.organisations.actions import create_organisations_bulk
    from gongkai.organisations.codes import make_org_code
    from gongkai.organisations.models import OrgKind

    rows = [
        {
            "name": "基准市人民政府" if i == 0 else f"基准市第{i}局",
            "org_code": make_org_code(f"C{i:07d}"),
            "kind": OrgKind.GOVERNMENT if i == 0 else OrgKind.DEPARTMENT,
            "valid_from": dt.date(2000, 1, 1),
            "parent": None if i == 0 else 0,
        }
        for i in range(n)
    ]
    from django.db import transaction

    with transaction.atomic():
        orgs = create_organisations_bulk("benchmark", rows, "benchmark bodies")
    Channel.objects.create(name="门户网站", kind=ChannelKind.objects.get(code="website"), owner=orgs[0])
    User.objects.create_superuser("admin", password="x")
    return [o.org_code for o in orgs]


def write_file(path: Path, codes: list[str], n_rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        from gongkai.catalog.importing.files import BY_KEY

        writer.writerow([BY_KEY[key].header for key in KEYS])
        for i in range(n_rows):
            code = codes[i % len(codes)]
            serial = i // len(codes) + 1
            day = dt.date(2025, 1, 1) + dt.timedelta(days=i % 360)
            writer.writerow(
                [
                    f"{code}/2025-{serial:05d}",
                    code,
                    f"关于第{i}项行政审批事项办理情况的公告",
                    day.isoformat(),
                    (day + dt.timedelta(days=3)).isoformat(),
                    "综合政务\\政务公开",
                    "公告",
                    "门户网站",
                    "admin",
                    (day + dt.timedelta(days=2)).isoformat(),
                    "同意公开",
                    f"第{i}项事项已依法办结。" * 8,
                ]
            )


def baseline(path: Path) -> float:
    """A bare bulk_create of the same rows (read with csv, no look-ups beyond one dict of bodies)."""
    from django.db import transaction

    from gongkai.catalog.models import Publication
    from gongkai.organisations.models import Organisation

    bodies = dict(Organisation.objects.values_list("org_code", "pk"))
    started = time.perf_counter()
    with transaction.atomic(), path.open(encoding="utf-8-sig", newline="") as src:
        reader = csv.reader(src)
        next(reader)
        pubs = []
        for row in reader:
            code, rest = row[0].split("/")
            pubs.append(
                Publication(
                    body_id=bodies[row[1]],
                    index_code=code,
                    index_year=int(rest[:4]),
                    index_serial=int(rest[5:]),
                    title=row[2],
                    made_on=dt.date.fromisoformat(row[3]),
                    published_on=dt.date.fromisoformat(row[4]),
                    text=row[11],
                    status="published",
                )
            )
        Publication.objects.bulk_create(pubs, batch_size=2000)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection

        from gongkai.audit.models import AuditEntry
        from gongkai.catalog.importing import import_publications
        from gongkai.catalog.models import ConfidentialityReview, Publication, PublicationChannel

        codes = build_bodies(args.bodies)
        path = Path(tmp) / "publications.csv"
        write_file(path, codes, args.rows)
        base = baseline(path)
        from benchmarks.province import raw_executemany

        raw = raw_executemany(path)
        from django.db import transaction

        started = time.perf_counter()
        with transaction.atomic():  # the search index is updated when this commits, timed apart
            first = import_publications("benchmark", path)
            first_time = time.perf_counter() - started
        index_time = time.perf_counter() - started - first_time
        audit = AuditEntry.objects.count()
        assert first.counts["create"] == args.rows, first.counts
        assert Publication.objects.count() == args.rows
        assert PublicationChannel.objects.count() == ConfidentialityReview.objects.count() == args.rows
        started = time.perf_counter()
        again = import_publications("benchmark", path)
        again_time = time.perf_counter() - started
        assert again.counts["unchanged"] == args.rows and not again.written_ids, again.counts
        assert Publication.objects.count() == args.rows and AuditEntry.objects.count() == audit
        print(
            f"database: {connection.vendor}; {args.rows} rows over {args.bodies} bodies ({path.stat().st_size >> 20} MiB CSV)"
        )
        print(
            f"{'first import':<22}{first_time:>8.1f}s   (baselines: bare bulk_create {base:.1f}s, "
            f"raw executemany {raw:.1f}s; {args.rows / first_time:,.0f} rows/s)"
        )
        print(f"{'search index on commit':<22}{index_time:>8.1f}s")
        print(f"{'re-import (no change)':<22}{again_time:>8.1f}s   (audit entries unchanged: {audit})")
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
