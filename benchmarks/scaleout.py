"""Benchmark: the scale-out path on one machine (docs/scaling.md), each figure beside its baseline in the same run.

- web: requests/s and p50/p99 of a portal page (``/bodies/``) from a loopback load generator against
  ``gongkai serve`` with 1 worker (the baseline) and with ``--web-workers`` workers;
- outbox: time for 1 huey consumer (the baseline) and for 2 consumers on one Redis queue to send
  ``--messages`` notifications, and the check that each was sent exactly once;
- replica (``--replica``): the same page with its reads on a streaming replica (pg_basebackup, as in
  tests/scaling/test_replica.py) beside the primary alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/scaleout.py \
        [--web-workers 4] [--seconds 10] [--clients 16] [--messages 400] [--replica]

PostgreSQL and Redis (REDIS_URL, default redis://127.0.0.1:6379/0) are required: the processes share them.
Django's test-database machinery creates and drops the database (``test_<name>``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import setup


def build_world(bodies: int) -> str:
    """The small test city and ``bodies`` more departments; returns the path of the page to load."""
    from tests.conftest import build_tree, make_org

    tree = build_tree()
    for i in range(bodies):
        make_org(f"测试市第{i + 1}局", "department", tree.city)
    return "/bodies/"


def load(port: int, path: str, seconds: float, clients: int) -> dict[str, float]:
    """``clients`` keep-alive connections asking for ``path`` for ``seconds``: requests/s, p50 and p99 (ms)."""
    latencies: list[float] = []
    errors = Counter[int]()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors[response.status] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"non-200 answers from {path}: {dict(errors)}")
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / seconds, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000}


def wait_http(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bodies/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the web server on port {port} did not answer within {seconds:.0f}s")


@contextmanager
def web(env: dict[str, str], workers: int) -> Iterator[int]:
    from tests.scaling import processes
    from tests.scaling.pgreplica import free_port

    port = free_port()
    server = processes.start_web(env, f"127.0.0.1:{port}", workers)
    try:
        wait_http(port)
        yield port
    finally:
        processes.stop([server])


def web_rows(env: dict[str, str], path: str, args: argparse.Namespace) -> list[tuple[str, dict[str, float]]]:
    rows = []
    for workers in (1, args.web_workers):
        with web(env, workers) as port:
            load(port, path, 1, args.clients)  # warm-up: every worker has its connection and templates
            rows.append((f"{path}, {workers} web worker(s)", load(port, path, args.seconds, args.clients)))
    return rows


def drain(env: dict[str, str], consumers: int, messages: int) -> tuple[float, float]:
    """Seconds for ``consumers`` consumers to send ``messages`` due notifications, from the first send to the last
    and from enqueueing to the last; checks that each was sent exactly once."""
    from gongkai.cases.tasks import deliver_notifications
    from gongkai.notifications.models import Notification, NotificationTemplate
    from tests.scaling import processes
    from tests.scaling.test_workers import due_messages

    Notification.objects.all().delete()
    NotificationTemplate.objects.filter(code="scaleout").delete()
    sends = Path(env["GONGKAI_DATA_DIR"]) / "sends.jsonl"
    sends.unlink(missing_ok=True)
    queue = env["GONGKAI_HUEY_NAME"]
    started_procs = processes.start_consumers(env, count=consumers, threads=2)
    try:
        ids = {m.pk for m in due_messages(messages)}
        started = time.perf_counter()
        processes.enqueue(queue, deliver_notifications, 4 * consumers)
        while Notification.objects.filter(sent_at__isnull=True).exists():
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        processes.stop(started_procs)
        processes.drop_queue(queue)
    lines = [json.loads(line) for line in sends.read_text().splitlines()]
    per_message = Counter(line["id"] for line in lines)
    if set(per_message) != ids or set(per_message.values()) != {1}:
        raise SystemExit("outbox: a message was sent twice or not at all")
    # From the first send to the last: the consumers' start-up (slow on a busy machine) is not counted.
    return max(line["at"] for line in lines) - min(line["at"] for line in lines), elapsed


def replica_rows(
    env: dict[str, str], path: str, args: argparse.Namespace
) -> list[tuple[str, dict[str, float]]]:
    from django.db import connection

    from tests.scaling.pgreplica import start_replica

    db = connection.settings_dict
    replica = start_replica(
        {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    )
    try:
        url = f"postgres://{db['USER']}@127.0.0.1:{replica.port}/{db['NAME']}"
        with web({**env, "DATABASE_REPLICA_URL": url}, args.web_workers) as port:
            load(port, path, 1, args.clients)
            figures = load(port, path, args.seconds, args.clients)
        return [(f"{path}, {args.web_workers} web workers, reads on the replica", figures)]
    finally:
        replica.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--bodies", type=int, default=60)
    parser.add_argument("--replica", action="store_true")
    parser.add_argument("--no-web", action="store_true", help="only the outbox figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-scaleout-") as tmp:
        run(args, Path(tmp))


def run(args: argparse.Namespace, tmp: Path) -> None:
    setup(str(tmp))
    from django.db import connection

    from tests.scaling import processes

    if connection.vendor != "postgresql" or processes.redis_problem():
        raise SystemExit("needs DATABASE_URL=postgres://… and Redis: " + processes.redis_problem())
    path = build_world(args.bodies)
    queue = f"gongkai-bench-{uuid.uuid4().hex[:8]}"
    env = processes.gongkai_env(
        tmp, connection.settings_dict, queue, GONGKAI_EMAIL_GATEWAY="tests.scaling.gateways.RecordingGateway"
    )
    try:
        rows = [] if args.no_web else web_rows(env, path, args)
        if args.replica and not args.no_web:
            rows += replica_rows(env, path, args)
        one, two = drain(env, 1, args.messages), drain(env, 2, args.messages)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    report(rows, args.messages, one, two)


def report(
    rows: list[tuple[str, dict[str, float]]],
    messages: int,
    one: tuple[float, float],
    two: tuple[float, float],
) -> None:
    if rows:
        base = rows[0][1]["rps"]
        print(f"{'work':<58} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× baseline':>10}")
        for name, fig in rows:
            ratio = fig["rps"] / base
            print(f"{name:<58} {fig['rps']:>8.1f} {fig['p50']:>8.1f} {fig['p99']:>8.1f} {ratio:>10.2f}")
    print(
        f"{'outbox, ' + str(messages) + ' messages, each sent once':<44} {'1 consumer':>12} {'2 consumers':>12}"
    )
    print(f"{'seconds from first send to last':<44} {one[0]:>12.2f} {two[0]:>12.2f}   ×{one[0] / two[0]:.2f}")
    print(
        f"{'seconds from enqueueing to last send':<44} {one[1]:>12.2f} {two[1]:>12.2f}   ×{one[1] / two[1]:.2f}"
    )


if __name__ == "__main__":
    main()
