"""Portal pages under load on the production server (issue 11, deliverable 5: ≥ 500 req/s, p99 ≤ 100 ms).

Starts ``gongkai serve`` (gunicorn) on a loopback port against an existing data directory (the demo city:
``GONGKAI_DATA_DIR=DIR GONGKAI_DEMO_NO_SERVER=1 scripts/demo.sh``, or ``gongkai synth``), then drives each page
with ``wrk`` (Debian: ``apt-get install -y wrk``) and prints req/s, p50 and p99 per page beside ``/healthz``, a
view that touches no database, in the same server and run. Also prints one cold (first) request per page.

    .venv/bin/python benchmarks/portal_pages.py --data-dir /tmp/demo [--workers 2 --threads 4]
        [--seconds 10 --connections 20] [--no-cache]
    .venv/bin/python benchmarks/portal_pages.py --data-dir /tmp/demo --staff-report /staff/reports/100000016/2014/

``--no-cache`` runs the server with ``GONGKAI_PAGE_CACHE=0`` (every request renders). The search throttle is
turned off for the run (``GONGKAI_THROTTLE_SEARCH=off``): one client address would otherwise get 429s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GONGKAI = str(ROOT / ".venv" / "bin" / "gongkai")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pages(env: dict[str, str]) -> list[tuple[str, str]]:
    """(label, path) of the pages to drive, chosen from the data (a document, a body, a year, a genre)."""
    code = (
        "from gongkai.catalog.models import Publication as P\n"
        "from gongkai.organisations.models import Organisation as O\n"
        "p = P.objects.public().order_by('-id').first()\n"
        "root = O.objects.filter(parent__isnull=True).order_by('id').first()\n"
        "print(p.index_code, p.index_year, p.index_serial, p.published_on.year, p.genre.code if p.genre else '',"
        " root.org_code)\n"
    )
    out = subprocess.run(
        [GONGKAI, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    index_code, index_year, serial, year, genre, root = out[-6:]
    return [
        ("trivial /healthz", "/healthz"),
        ("home /", "/"),
        ("catalog /catalog/", "/catalog/"),
        ("catalog filtered", f"/catalog/?year={year}&genre={genre}&body={root}&subtree=1"),
        ("catalog page 50", "/catalog/?page=50"),
        ("document", f"/documents/{index_code}/{index_year}/{serial}/"),
        ("bodies /bodies/", "/bodies/"),
        ("search 2 chars", "/search/?q=%E6%95%99%E8%82%B2"),
    ]


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


def cold(base: str, path: str) -> float:
    start = time.perf_counter()
    urllib.request.urlopen(base + path, timeout=120).read()  # loopback
    return time.perf_counter() - start


def _ms(found: re.Match[str] | None) -> float:
    """A wrk latency ("870.00us", "12.5ms", "1.20s", "1.00m") in ms; NaN when wrk printed none."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", found.group(1)) if found else None
    if match is None:
        return float("nan")
    return float(match[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[match[2]]


def drive(url: str, seconds: int, connections: int) -> tuple[float, float, float, int]:
    """wrk's req/s, p50 and p99 (ms), and the number of non-2xx/3xx answers."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+(\S+)", out))
    if p50 != p50:  # NaN: show what wrk printed
        print(out, file=sys.stderr)
    p99 = _ms(re.search(r"99%\s+(\S+)", out))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--no-cache", action="store_true")
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
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [GONGKAI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    cmd += ["--threads", str(args.threads), "--timeout", "300"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(base, server)
        chosen = pages(env)
        mode = "page cache off" if args.no_cache else "page cache on"
        print(
            f"portal pages, {mode}: gunicorn {args.workers}×{args.threads}, wrk {args.connections} connections"
        )
        print(f"{'page':<22}{'cold s':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'÷trivial':>10}")
        baseline = 0.0
        for label, path in chosen:
            first = cold(base, path)
            rps, p50, p99, bad = drive(base + path, args.seconds, args.connections)
            baseline = baseline or rps
            print(f"{label:<22}{first:>8.3f}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{bad:>8}{rps / baseline:>10.2f}")
            sys.stdout.flush()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
