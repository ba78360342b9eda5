"""Portal pages under load on the production server (issue 11, deliverable 5: ≥ 500 req/s, p99 ≤ 100 ms).

Starts ``gongkai serve`` (gunicorn) on a loopback port against an existing data directory (the demo city:
``GONGKAI_DATA_DIR=DIR GONGKAI_DEMO_NO_SERVER=1 scripts/demo.sh``, or ``gongkai synth``), then drives each page
with ``wrk`` (Debian: ``apt-get install -y wrk``) twice — as fast as the server answers (saturation: req/s) and
paced at ``--rate`` requests per second (default 500, the budget: p99 at that load, where a saturated run's p99
is mostly queueing) — and prints req/s, p50 and p99 per page beside ``/healthz``, a view that touches no
database, in the same server and run. Also prints one cold (first) request per page.
The pages are found in the database the server runs against (``discover``: the newest published document, the
busiest body's catalog, search words that find items), so the same run works on the demo city and on a
synthesised province; a page that does not answer 200 stops the run, naming it. The server inherits the
environment: with ``REDIS_URL`` (and ``DATABASE_URL``) set it runs the production configuration (Redis page
cache); without, the page cache is files in the data directory.

    .venv/bin/python benchmarks/portal_pages.py --data-dir /tmp/demo [--workers 4 --threads 4]
        [--seconds 10 --connections 20] [--no-cache] [--pages document,search]
    .venv/bin/python benchmarks/portal_pages.py --data-dir /tmp/demo --staff-report /staff/reports/100000016/2014/

``--no-cache`` runs the server with ``GONGKAI_PAGE_CACHE=0`` (every request renders). The search throttle is
turned off for the run (``GONGKAI_THROTTLE_SEARCH=off``): one client address would otherwise get 429s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
GONGKAI = str(ROOT / ".venv" / "bin" / "gongkai")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def discover() -> list[tuple[str, str]]:
    """(label, path) of the pages to drive, found in the database this process runs against (the demo city or a
    synthesised province): the newest published document, the body with the most items (its catalog), the whole
    catalog filtered to the first root's subtree, busiest year and genre, and search queries that find items."""
    from django.db.models import Sum
    from django.urls import reverse

    from gongkai.catalog.models import Genre, Publication, PublicationStatus
    from gongkai.catalogstats.models import PublishedCount
    from gongkai.organisations.models import Organisation

    pub = (
        Publication.objects.public()
        .filter(status=PublicationStatus.PUBLISHED)
        .select_related("genre")
        .order_by("-published_on", "-id")
        .first()
    )
    if pub is None:
        raise SystemExit("no published document in this database: load the demo city or run gongkai synth")
    per_body = PublishedCount.objects.values("body_id").annotate(total=Sum("n")).order_by("-total", "body_id")
    busiest = Organisation.objects.get(pk=per_body[0]["body_id"]) if per_body else pub.body
    root = Organisation.objects.filter(parent__isnull=True).order_by("sort_order", "id").first() or busiest
    counted = PublishedCount.objects.filter(body__path__startswith=root.path)
    year = _largest(counted.exclude(year=0), "year") or pub.index_year
    genre = Genre.objects.filter(pk=_largest(counted.filter(year=year, genre_pk__gt=0), "genre_pk")).first()
    query = urlencode(
        {"year": year, "genre": genre.code if genre else "", "body": root.org_code, "subtree": 1}
    )
    total = PublishedCount.objects.aggregate(total=Sum("n"))["total"] or 0
    found = [
        ("trivial /healthz", "/healthz"),
        ("home /", reverse("portal:home")),
        ("catalog /catalog/", reverse("portal:catalog")),
        ("catalog filtered", f"{reverse('portal:catalog')}?{query}"),
        ("body catalog", reverse("portal:body_catalog", args=[busiest.org_code])),
        ("document", reverse("portal:document", args=[pub.index_code, pub.index_year, pub.index_serial])),
        ("bodies /bodies/", reverse("portal:bodies")),
    ]
    if total > 50 * 20:
        found.insert(4, ("catalog page 50", f"{reverse('portal:catalog')}?page=50"))
    for chars in (2, 4):
        words = _query_with_hits(chars)
        if words:
            found.append((f"search {chars} chars", f"{reverse('portal:search')}?{urlencode({'q': words})}"))
    return found


def _largest(counted: Any, field: str) -> Any:
    """The value of ``field`` with the most items in the count rows ``counted`` (``None`` when there are none)."""
    from django.db.models import Sum

    top = counted.values(field).annotate(total=Sum("n")).order_by("-total", field).first()
    return top[field] if top else None


def _query_with_hits(chars: int) -> str:
    """A run of ``chars`` Chinese characters from a recent published title that the portal's search (relevance
    mode, as the search page asks) finds in more than one item; "" when none of the first candidates does."""
    from gongkai import search as fulltext
    from gongkai.catalog.models import Publication, PublicationStatus

    titles = (
        Publication.objects.filter(status=PublicationStatus.PUBLISHED)
        .order_by("-published_on", "-id")
        .values_list("title", flat=True)[:20]
    )
    tried: set[str] = set()
    for title in titles:
        run: str
        for run in re.findall(r"[\u4e00-\u9fff]+", title):
            for start in range(0, len(run) - chars + 1):
                words = run[start : start + chars]
                if words in tried or len(tried) >= 40:
                    continue
                tried.add(words)
                if fulltext.search(words, mode=fulltext.RELEVANCE, limit=1).total > 1:
                    return words
    return ""


def pages(env: dict[str, str]) -> list[tuple[str, str]]:
    """``discover()`` run in a ``gongkai shell`` with the server's environment (its database)."""
    code = (
        f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.portal_pages import discover; "
    )
    code += "print(json.dumps(discover()))"
    done = subprocess.run(
        [GONGKAI, "shell", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"finding the pages failed: {done.stderr.strip()[-500:]}")
    last = done.stdout.strip().splitlines()[-1]
    return [(label, path) for label, path in json.loads(last)]


def wait_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("the server stopped; run it by hand to see why")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()  # loopback
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within 60 s")


def cold(base: str, label: str, path: str) -> float:
    """Seconds of the first request of a page; stops the run when the page does not answer 200."""
    start = time.perf_counter()
    try:
        urllib.request.urlopen(base + path, timeout=120).read()  # loopback
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{label}: {path} answered {exc.code}, not 200") from exc
    return time.perf_counter() - start


def _ms(found: re.Match[str] | None) -> float:
    """A wrk latency ("870.00us", "12.5ms", "1.20s", "1.00m") in ms; NaN when wrk printed none."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", found.group(1)) if found else None
    if match is None:
        return float("nan")
    return float(match[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match[2]]


def drive(url: str, seconds: int, connections: int, rate: int = 0) -> tuple[float, float, float, int]:
    """wrk's req/s, p50 and p99 (ms), and the number of non-2xx/3xx answers. ``rate``: paced to about this
    many requests per second in all (each connection waits ``connections / rate`` between its requests, a wrk
    script's ``delay``) instead of as fast as the server answers (saturation, where p99 is mostly queueing)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if rate:
            # each connection's cycle is its delay plus the answer's latency: aim 10% above to offer ``rate``
            script.write(f"function delay()\n  return {round(connections * 1000 / (rate * 1.1))}\nend\n")
            script.flush()
            cmd += ["-s", script.name]
        out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # the latency distribution's own lines ("     50%   12.48ms"), not a "+/- Stdev" column ending in 50%
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE))
    if p50 != p50:  # NaN: show what wrk printed
        print(out, file=sys.stderr)
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p50, p99, int(bad.group(1)) if bad else 0


def staff_report(data_dir: str, path: str, username: str) -> None:
    """The staff report page in process (Django's test client, signed in): built (first GET, and every GET with
    ``GONGKAI_REPORT_CACHE=0``) and served from the cache (second GET)."""
    os.environ["GONGKAI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    print(f"staff report page {path} as {username}")
    for cached in (False, True):
        settings.GONGKAI_REPORT_CACHE = cached
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            timings.append(time.perf_counter() - start)
        label = "report cache on " if cached else "report cache off"
        print(f"  {label}: " + ", ".join(f"{t * 1000:.0f} ms" for t in timings))


# Untimed load before each page's timed run: the first requests of each worker import code and open connections
# (reported as "cold s"); without it that start-up lands in the first page's tail, i.e. in the baseline's p99.
WARM_UP_SECONDS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    # deploy/example.env's production values (GONGKAI_WEB_WORKERS=4 on 2 cores, 4 threads; docs/scaling.md)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument(
        "--rate", type=int, default=500, help="the paced run's requests per second (issue 11's budget: 500)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="requests a worker serves before it is replaced (GONGKAI_WEB_MAX_REQUESTS; 0: never)",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="drive only the pages whose label starts with one of these (comma-separated; the trivial view is "
        "always driven first), e.g. --pages document,search",
    )
    parser.add_argument(
        "--staff-report",
        metavar="PATH",
        help="also time this staff report page, e.g. /staff/reports/100000016/2014/ (in process)",
    )
    parser.add_argument("--staff-user", default="city-office")
    args = parser.parse_args()
    if args.staff_report:
        staff_report(args.data_dir, args.staff_report, args.staff_user)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    env = os.environ | {
        "GONGKAI_DATA_DIR": args.data_dir,
        "GONGKAI_THROTTLE_SEARCH": "off",
        "GONGKAI_PAGE_CACHE": "0" if args.no_cache else "1",
    }
    if args.max_requests is not None:
        env["GONGKAI_WEB_MAX_REQUESTS"] = str(args.max_requests)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [GONGKAI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    cmd += ["--threads", str(args.threads), "--timeout", "300"]
    # gunicorn's error log ("Booting worker" per worker started), closed with the server below
    log = tempfile.NamedTemporaryFile("w+", suffix=".log")  # noqa: SIM115
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_up(base, server)
        chosen = pages(env)
        if args.pages:
            wanted = tuple(p.strip() for p in args.pages.split(",") if p.strip())
            chosen = chosen[:1] + [(label, path) for label, path in chosen[1:] if label.startswith(wanted)]
        mode = "page cache off" if args.no_cache else "page cache on"
        print(
            f"portal pages, {mode}: gunicorn {args.workers}×{args.threads}, max requests "
            f"{env.get('GONGKAI_WEB_MAX_REQUESTS', 'default')}, wrk {args.connections} connections, "
            f"page cache {'Redis' if env.get('REDIS_URL') else 'files'}"
        )
        paced = f"p99@{args.rate}"
        print(
            f"{'page':<22}{'cold s':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'÷trivial':>10}"
            f"{'req/s':>9}{paced:>9}{'boots':>7}"
        )
        baseline = 0.0
        for label, path in chosen:
            booted = worker_boots(log.name)
            first = cold(base, label, path)
            drive(
                base + path, WARM_UP_SECONDS, args.connections
            )  # every worker and thread has served it once
            rps, p50, p99, bad = drive(base + path, args.seconds, args.connections)
            baseline = baseline or rps
            at_rate, _p50, p99_at_rate, bad_at_rate = drive(
                base + path, args.seconds, args.connections, args.rate
            )
            print(
                f"{label:<22}{first:>8.3f}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{bad + bad_at_rate:>8}"
                f"{rps / baseline:>10.2f}{at_rate:>9.0f}{p99_at_rate:>9.1f}{worker_boots(log.name) - booted:>7}"
            )
            sys.stdout.flush()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def worker_boots(log: str) -> int:
    """How many workers gunicorn has started so far (a replaced worker's successor counts one)."""
    return Path(log).read_text(errors="replace").count("Booting worker")


if __name__ == "__main__":
    main()
