"""Benchmark: the 2014 report's roll-up over a province-sized tree, registry (aggregate SQL) vs a baseline
that loads the records and counts them in Python — printed side by side in the same run; then the registry
counting the records live vs reading the per-body aggregates (gongkai.figures), for one report and for every
body's report (own and subtree) of the year.

    .venv/bin/python benchmarks/report_rollup.py [--bodies 6000] [--items 300000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/report_rollup.py

It builds its own throwaway database (a temporary SQLite file unless DATABASE_URL is set; a PostgreSQL
database named in DATABASE_URL is created and dropped by Django's test-database machinery).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import setup


def build_tree(n_bodies: int) -> list[int]:
    from gongkai.organisations.codes import make_org_code
    from gongkai.organisations.models import Organisation, OrgKind

    province = Organisation.objects.create(
        name="某省人民政府",
        org_code=make_org_code("B0000000"),
        kind=OrgKind.GOVERNMENT,
        valid_from=dt.date(2000, 1, 1),
        path="",
    )
    province.path = f"{province.pk:06d}."
    province.save()
    rows = []
    cities = max(1, n_bodies // 330)
    for i in range(1, n_bodies):
        rows.append(
            Organisation(
                name=f"机关{i}",
                org_code=make_org_code(f"B{i:07d}"),
                kind=OrgKind.DEPARTMENT,
                valid_from=dt.date(2000, 1, 1),
                path="",
                parent=province if i <= cities else None,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=2000)
    created = list(Organisation.objects.exclude(pk=province.pk).order_by("pk"))
    city_nodes = created[:cities]
    for n, org in enumerate(created):
        if n < cities:
            org.parent, org.path, org.depth = province, f"{province.path}{org.pk:06d}.", 1
        else:
            city = city_nodes[n % cities]
            org.parent, org.path, org.depth = city, f"{city.path}{org.pk:06d}.", 2
    Organisation.objects.bulk_update(created, ["parent", "path", "depth"], batch_size=2000)
    return [province.pk, city_nodes[0].pk] + [o.pk for o in created]


def build_records(body_ids: list[int], n_items: int) -> None:
    from gongkai.catalog.models import Channel, ChannelKind, Publication, PublicationChannel

    rng = random.Random(1)
    kinds = {k.code: k for k in ChannelKind.objects.all()}
    channels = Channel.objects.bulk_create(
        [Channel(name=f"渠道{k}", kind=kinds[k], owner_id=body_ids[0]) for k in ("website", "weibo", "other")]
    )
    start = dt.date(2014, 1, 1)
    pubs = [
        Publication(
            body_id=rng.choice(body_ids[2:]),
            index_code="B",
            index_year=2014,
            index_serial=i,
            title="t",
            made_on=start,
            published_on=start + dt.timedelta(days=rng.randint(0, 364)),
        )
        for i in range(n_items)
    ]
    Publication.objects.bulk_create(pubs, batch_size=5000)
    PublicationChannel.objects.bulk_create(
        [
            PublicationChannel(publication=p, channel=rng.choice(channels), published_on=p.published_on)
            for p in pubs
        ],
        batch_size=5000,
    )


def registry_report(org_pk: int) -> dict[str, object]:
    from gongkai.organisations.models import Organisation
    from gongkai.reports.build import build_report

    return build_report(Organisation.objects.get(pk=org_pk), 2014, "2014").values()  # type: ignore[return-value]


def report_values(org_pk: int, live: bool, scope: str = "subtree") -> dict[str, object]:
    """Every 2014 statistic of one report: counted from the records (live) or summed from the aggregates."""
    from gongkai.organisations.models import Organisation
    from gongkai.reports.registry import Context, Scope, statistics_for_format

    ctx = Context(org=Organisation.objects.get(pk=org_pk), year=2014, scope=Scope(scope), live=live)
    return {s.key: ctx.value(s.key) for s in statistics_for_format("2014")}


def aggregates_table(ids: list[int], repeat: int) -> None:
    """Live registry vs per-body aggregates: one report, then every body's report of the year."""
    from gongkai import figures

    start = time.perf_counter()
    figures.rebuild(years=[2014])
    print(f"\nper-body aggregates of 2014 rebuilt for every body in {time.perf_counter() - start:.1f}s")
    print(f"{'report (2014, all cells)':<28}{'live':>10}{'aggregates':>12}{'speed-up':>10}")
    for label, pk in (("province subtree", ids[0]), ("one city subtree", ids[1]), ("one body own", ids[-1])):
        scope = "own" if label.endswith("own") else "subtree"
        live_time, live = timed(report_values, pk, True, scope, repeat=repeat)
        agg_time, agg = timed(report_values, pk, False, scope, repeat=repeat)
        assert live == agg, label
        print(f"{label:<28}{live_time * 1000:>8.0f}ms{agg_time * 1000:>10.0f}ms{live_time / agg_time:>9.1f}x")
    sample = ids[2 : 2 + 20]
    start = time.perf_counter()
    for pk in sample:
        report_values(pk, True, "own")
        report_values(pk, True, "subtree")
    per_report = (time.perf_counter() - start) / (2 * len(sample))
    all_time, everything = timed(figures.rollup_all, 2014, "2014", repeat=repeat)
    for pk in sample[:5]:
        for scope in ("own", "subtree"):
            got = everything[(pk, scope)]  # type: ignore[index]
            expected = report_values(pk, True, scope)
            assert {k: v for k, v in expected.items() if k in got} == {
                k: got[k] for k in expected if k in got
            }
    n = 2 * len(ids)
    estimate = per_report * n
    print(
        f"{'every body, own + subtree':<28}{estimate:>9.1f}s{all_time:>11.2f}s{estimate / all_time:>9.0f}x"
        f"   ({n} reports; live = {per_report * 1000:.0f}ms/report measured on {2 * len(sample)} × {n})"
    )


SAME_FIGURES = ("p14.items", "p14.website", "p14.weibo", "p14.other", "p14.gazette", "p14.wechat")


def registry_same_figures(org_pk: int) -> dict[str, object]:
    """The registry computing only the figures the baseline computes (a like-for-like comparison)."""
    from gongkai.organisations.models import Organisation
    from gongkai.reports.registry import Context, Scope

    ctx = Context(org=Organisation.objects.get(pk=org_pk), year=2014, scope=Scope.SUBTREE)
    return {key: ctx.value(key) for key in SAME_FIGURES}


def python_loop_baseline(org_pk: int) -> dict[str, int]:
    """What the registry replaces: every record of the subtree loaded and counted in Python."""
    from gongkai.catalog.models import PublicationChannel
    from gongkai.organisations.models import Organisation

    prefix = Organisation.objects.get(pk=org_pk).path
    paths = dict(Organisation.objects.values_list("pk", "path"))
    items: set[int] = set()
    by_category: Counter[str] = Counter()
    seen: set[tuple[int, str]] = set()
    rows = PublicationChannel.objects.values_list(
        "publication_id", "publication__body_id", "published_on", "channel__kind__category"
    )
    for pub, body, day, category in rows.iterator(chunk_size=5000):
        if day.year == 2014 and paths[body].startswith(prefix):
            items.add(pub)
            if (pub, category) not in seen:
                seen.add((pub, category))
                by_category[category] += 1
    return {"p14.items": len(items), **{f"p14.{k}": v for k, v in by_category.items()}}


def timed(fn, *args, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bodies", type=int, default=6000)
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection

        started = time.perf_counter()
        ids = build_tree(args.bodies)
        build_records(ids, args.items)
        from gongkai import figures

        figures.rebuild(years=[2014])  # bulk_create sends no signals: the loader rebuilds the aggregates
        print(
            f"database: {connection.vendor}; {args.bodies} bodies, {args.items} items "
            f"(built in {time.perf_counter() - started:.1f}s); median of {args.repeat} runs"
        )
        print("Same figures (items + 5 channel rows): registry aggregate SQL vs baseline Python loop;")
        print("whole table: all 69 cells of the 2014 table and local items through the registry.")
        print(f"{'scope':<20}{'registry':>12}{'baseline':>12}{'speed-up':>10}{'whole table':>14}")
        for label, pk in (("province subtree", ids[0]), ("one city subtree", ids[1])):
            same_time, same = timed(registry_same_figures, pk, repeat=args.repeat)
            base_time, base = timed(python_loop_baseline, pk, repeat=args.repeat)
            whole_time, _whole = timed(registry_report, pk, repeat=args.repeat)
            for key, value in base.items():  # type: ignore[attr-defined]
                assert same[key] == value, (key, same[key], value)  # type: ignore[index]
            speed_up = base_time / same_time
            items = same["p14.items"]  # type: ignore[index]
            print(
                f"{label:<20}{same_time * 1000:>10.0f}ms{base_time * 1000:>10.0f}ms{speed_up:>9.1f}x"
                f"{whole_time * 1000:>12.0f}ms   (items {items})"
            )
        aggregates_table(ids, args.repeat)
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
