"""Benchmark: search engines side by side on one synthetic catalog (issue 11, deliverable 3). For each query
class, p50/p95 of ``gongkai.search.search`` (first page of 20 with the exact total and highlighting) on

* ``LIKE``: a ``LIKE '%q%'`` scan over title and text (count + first 20; no normalisation) — the baseline;
* ``db``: the in-database design (bigram FTS5 / tsvector GIN candidates + substring re-check);
* ``tantivy``: the embedded inverted index (bigram phrases with positions, unigrams, indexed filters);

and checks that the two engines return the same exact total and the same first page.

    .venv/bin/python benchmarks/search_engines.py [--items 200000] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python benchmarks/search_engines.py --single
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import setup
from benchmarks.search import QUERIES, build_catalog, like_baseline, percentiles

EXTRA = (("4 chars, body filter", "行政处罚"), ("relevance 保障房", "保障房"))


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        setup(tmp)
        from django.conf import settings
        from django.db import connection

        from gongkai.search import Filters, rebuild, search
        from gongkai.search.inverted import forget_open_indexes

        db_name = "postgres" if connection.vendor == "postgresql" else "sqlite"
        settings.GONGKAI_SEARCH_INDEX_DIR = str(Path(tmp) / "index")
        started = time.perf_counter()
        build_catalog(args.items)
        print(f"catalog: {args.items} items in {time.perf_counter() - started:.1f}s ({connection.vendor})")
        started = time.perf_counter()
        settings.GONGKAI_SEARCH_BACKEND = db_name
        rebuild()
        db_s = time.perf_counter() - started
        settings.GONGKAI_SEARCH_BACKEND = "tantivy"
        forget_open_indexes()
        started = time.perf_counter()
        rebuild()  # rebuilds the database rows again, then the index
        print(f"rebuild: db {db_s:.1f}s; db + tantivy {time.perf_counter() - started:.1f}s")
        size = sum(f.stat().st_size for f in (Path(tmp) / "index").iterdir()) / 1e6
        print(f"tantivy index: {size:.0f} MB")
        bodies = list(range(1, 12))
        print(
            f"{'query':<36}{'hits':>8}{'LIKE p50':>10}{'p95':>8}{'db p50':>9}{'p95':>8}"
            f"{'tantivy p50':>13}{'p95':>8}  same"
        )
        for label, query in (*QUERIES, *EXTRA):
            filters = Filters(body_ids=bodies) if "filter" in label else Filters()
            mode = "relevance" if label.startswith("relevance") else "exact"
            out = []
            for engine in (db_name, "tantivy"):
                settings.GONGKAI_SEARCH_BACKEND = engine

                def one(q: str = query, f: Filters = filters, m: str = mode) -> object:
                    return search(q, f, mode=m)

                out.append(percentiles(one, args.repeat))
            b50, b95, _base = percentiles(lambda q=query: like_baseline(q), args.repeat)  # type: ignore[misc]
            (d50, d95, dres), (t50, t95, tres) = out
            d_ids = [h.publication_id for h in dres.hits]  # type: ignore[attr-defined]
            t_ids = [h.publication_id for h in tres.hits]  # type: ignore[attr-defined]
            # relevance: the same set and total, ordered by each engine's own ranking
            same = dres.total == tres.total and (d_ids == t_ids or mode == "relevance")  # type: ignore[attr-defined]
            print(
                f"{label + ' ' + query:<36}{tres.total:>8}{b50:>8.1f}ms{b95:>6.1f}ms{d50:>7.1f}ms{d95:>6.1f}ms"  # type: ignore[attr-defined]
                f"{t50:>11.1f}ms{t95:>6.1f}ms  {'yes' if same else 'NO'}"
            )
        if connection.vendor == "postgresql":
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--tmp", default=None, help="directory for the throwaway database and index")
    parser.add_argument("--single", action="store_true", help="only the configured database")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL") and not args.single:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--single"], env=env, check=True)
        print()
    run(args)


if __name__ == "__main__":
    main()
