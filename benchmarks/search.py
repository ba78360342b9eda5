"""Benchmark: full-text search latency (p50/p95 of ``gongkai.search.search``, first page of 20 with the exact
total, highlighted titles and snippets) beside a plain ``LIKE '%q%'`` scan over title and text (count and
first page, no normalisation, no highlighting), printed side by side in the same run; and the index rebuild.

    .venv/bin/python benchmarks/search.py [--items 115144] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/search.py
    GONGKAI_DATA_DIR=/tmp/demo .venv/bin/python benchmarks/search.py --demo
    GONGKAI_SEARCH_BACKEND=tantivy .venv/bin/python benchmarks/search.py [--demo]

With ``GONGKAI_SEARCH_BACKEND=tantivy`` each row also shows the in-database design (``db``) on the same rows and
checks that both report the same exact total (``benchmarks/search_engines.py`` compares the engines on a
synthetic catalog, first pages included).

By default it builds its own throwaway catalog of the demo's size from the demo's title and text templates (a
temporary SQLite file; with DATABASE_URL set it runs that first and then PostgreSQL, whose database Django's
test-database machinery creates and drops). ``--demo`` reads the configured database instead (the loaded demo
city), rebuilding the index only if it is empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import setup

QUERIES = (
    ("1 char", "罚"),
    ("1 char, common", "的"),
    ("2 chars", "招生"),
    ("2 chars, Traditional", "審批"),
    ("4 chars", "行政处罚"),
    ("4 chars, Traditional", "財政預算"),
    ("long phrase", "保障性住房分配"),
    ("document number", "〔2014〕1号"),
    ("index number", "/2014-0001"),
    ("two terms", "征收 补偿"),
    ("no hit", "龘龘龘龘"),
)


def build_catalog(n_items: int) -> None:
    """``n_items`` published items over 60 bodies, titles and texts from the demo's templates."""
    from gongkai.catalog.models import Genre, Publication, PublicationStatus
    from gongkai.demo.texts import AREA_SUBJECTS, GENRE_PATTERNS, make_text, make_title
    from gongkai.organisations.codes import make_org_code
    from gongkai.organisations.models import Organisation, OrgKind

    rng = random.Random(2014)
    city = Organisation.objects.create(
        name="许昌市人民政府",
        org_code=make_org_code("X0000000"),
        kind=OrgKind.GOVERNMENT,
        valid_from=dt.date(2000, 1, 1),
        path="",
    )
    city.path = f"{city.pk:06d}."
    city.save()
    names = [
        "教育局",
        "财政局",
        "公安局",
        "民政局",
        "卫生局",
        "环保局",
        "住建局",
        "国土资源局",
        "商务局",
        "统计局",
    ]
    bodies = [city]
    for i in range(59):
        org = Organisation.objects.create(
            name=f"许昌市{names[i % len(names)]}{i // len(names) or ''}",
            org_code=make_org_code(f"X{i + 1:07d}"),
            kind=OrgKind.DEPARTMENT,
            parent=city,
            valid_from=dt.date(2000, 1, 1),
            path="",
        )
        org.path = f"{city.path}{org.pk:06d}."
        org.save()
        bodies.append(org)
    genres = {g.code: g for g in Genre.objects.all()}
    areas = list(AREA_SUBJECTS)
    serial: dict[int, int] = {}
    rows = []
    for i in range(n_items):
        body = rng.choice(bodies)
        serial[body.pk] = serial.get(body.pk, 0) + 1
        genre = rng.choice(list(GENRE_PATTERNS))
        area = rng.choice(areas)
        day = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(365))
        rows.append(
            Publication(
                body=body,
                index_code=body.org_code,
                index_year=2014,
                index_serial=serial[body.pk],
                title=make_title(rng, genre, area, body.name, 2014),
                text=make_text(rng, area, body.name, 2014),
                document_number=f"许政办〔2014〕{i % 300 + 1}号" if i % 7 == 0 else "",
                made_on=day,
                published_on=day,
                status=PublicationStatus.PUBLISHED,
                genre=genres.get(genre),
            )
        )
    Publication.objects.bulk_create(rows, batch_size=5000)


def like_baseline(query: str) -> tuple[int, list[int]]:
    """What a naive implementation does: ``LIKE '%q%'`` over title and text, count and first page."""
    from django.db import connection

    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = "status = 'published' AND (title LIKE %s ESCAPE '\\' OR text LIKE %s ESCAPE '\\')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM catalog_publication WHERE {where}", [pattern, pattern])
        total = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT id FROM catalog_publication WHERE {where} ORDER BY published_on DESC, id DESC LIMIT 20",
            [pattern, pattern],
        )
        return total, [int(r[0]) for r in cursor.fetchall()]


def percentiles(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    fn()  # warm the caches once
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000, result


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp, fresh_db=not args.demo)
        from django.conf import settings
        from django.db import connection

        from gongkai.catalog.models import Publication
        from gongkai.search import get_backend, rebuild, search
        from gongkai.search.models import SearchEntry

        if not args.demo:
            started = time.perf_counter()
            build_catalog(args.items)
            print(f"catalog of {args.items} items built in {time.perf_counter() - started:.1f}s")
        items = Publication.objects.count()
        from gongkai.search.inverted import open_index

        missing = get_backend().name == "tantivy" and open_index() is None
        if not args.demo or not SearchEntry.objects.exists() or missing:
            started = time.perf_counter()
            indexed = rebuild()
            print(
                f"index rebuilt ({get_backend().name}): {indexed} items in {time.perf_counter() - started:.1f}s"
            )
        print(
            f"database: {connection.vendor}; {items} items; {args.repeat} runs per query "
            "(search: first page of 20 + exact total + highlighting; LIKE: count + first 20)"
        )
        engine = get_backend().name
        old_design = "postgres" if connection.vendor == "postgresql" else "sqlite"
        print(
            f"{'query':<34}{'hits':>8}{'search p50':>12}{'p95':>9}{'LIKE p50':>11}{'p95':>9}{'LIKE hits':>11}"
            + (f"{'db p50':>10}{'p95':>9}  totals" if engine == "tantivy" else "")
        )
        for label, query in QUERIES:
            s50, s95, res = percentiles(lambda q=query: search(q), args.repeat)  # type: ignore[misc]
            b50, b95, base = percentiles(lambda q=query: like_baseline(q), args.repeat)  # type: ignore[misc]
            total = res.total  # type: ignore[attr-defined]
            line = (
                f"{label + ' ' + query:<34}{total:>8}{s50:>10.1f}ms{s95:>7.1f}ms{b50:>9.1f}ms{b95:>7.1f}ms"
                f"{base[0]:>11}"  # type: ignore[index]
            )
            if engine == "tantivy":  # the in-database design beside it, on the same rows
                settings.GONGKAI_SEARCH_BACKEND = old_design
                d50, d95, dres = percentiles(lambda q=query: search(q), args.repeat)  # type: ignore[misc]
                settings.GONGKAI_SEARCH_BACKEND = "tantivy"
                equal = "equal" if dres.total == total else f"DIFFER ({dres.total})"  # type: ignore[attr-defined]
                line += f"{d50:>8.1f}ms{d95:>7.1f}ms  {equal}"
            print(line)
        if not args.demo:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=115_144)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--demo", action="store_true", help="use the configured database (the loaded demo)")
    parser.add_argument("--single", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL") and not args.single and not args.demo:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--single"], env=env, check=True)
        print()
    run(args)


if __name__ == "__main__":
    main()
