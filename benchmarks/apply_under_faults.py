"""Fault test (issue #10, item 8): online applications to the production server while it is killed.

    .venv/bin/python benchmarks/apply_under_faults.py                 # SQLite, SQLite-backed worker
    .venv/bin/python benchmarks/apply_under_faults.py --postgres      # PostgreSQL and Redis-backed worker

It makes a fresh data directory (keys, SQLite files, outbox), migrates, creates a government and a department,
then starts `gongkai serve` (gunicorn) and `gongkai run_huey` on a free port of 127.0.0.1. Client threads file
the applications as a browser user would: GET /apply/ (CSRF token and idempotency key), POST; on a connection
error or a 5xx they press submit again with the same form (same key), a bounded number of times. An application
is acknowledged once its client has read a receipt page with a tracking code (查询编号). About midway the whole
gunicorn process group gets SIGKILL and the server is started again. When the clients are done the script waits
(bounded) for the worker to drain the notification outbox, then compares what the clients saw with the database
and the gateway's log (<data dir>/outbox/*.jsonl) and prints:

* attempted / acknowledged / stored / lost (acknowledged, no case) / duplicated (more than one case for one
  application; each application has a unique subject) / stored without acknowledgement (the client gave up);
* HTTP 5xx answers actually received (server errors), apart from connection errors (the kill);
* registration notices per stored case (e-mail and SMS): exactly one of each queued and sent, missing, doubled
  (two queued, or one sent twice by the gateway), still pending or failed.

Exit status 0 when the target holds (0 lost, 0 duplicated, 0 server errors, every stored case notified exactly
once), 1 otherwise, 2 on a setup error or the overall timeout. Everything is bounded (--timeout) and everything
it started is stopped on exit. ``--postgres`` drops and recreates the database of --database-url and flushes the
Redis database of --redis-url (both must be on 127.0.0.1: never point them at data you want to keep).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"  # loopback only
PG_URL = "postgres://postgres@127.0.0.1:5432/h_fault"
REDIS_URL = "redis://127.0.0.1:6379/7"
SUBJECT = "申请公开故障测试{tag}第{n:04d}号文件"
SUBJECT_RE = re.compile(r"故障测试(?P<tag>[0-9a-f]+)第(?P<n>\d{4})号")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(r'name="idempotency_key" value="([A-Za-z0-9_-]{43})"')
CODE_RE = re.compile(r"查询编号</th><td><strong>([^<]+)</strong>")
CHANNELS = ("email", "sms")


class Timeout(Exception):
    """The overall time limit passed."""


# --- stages run inside Django (a subprocess each, so the orchestrator holds no database connection) -----------


def stage_setup() -> dict[str, Any]:
    """A government and one of its departments; returns their primary keys."""
    import datetime as dt

    from django.db import transaction

    from gongkai.organisations.actions import save_organisation
    from gongkai.organisations.codes import make_credit_code, make_org_code
    from gongkai.organisations.models import Organisation, OrgKind

    def org(name: str, kind: str, serial: int, parent: Organisation | None = None) -> Organisation:
        code = make_org_code(f"8{serial:07d}")
        new = Organisation(
            name=name,
            kind=kind,
            parent=parent,
            org_code=code,
            credit_code=make_credit_code("11", "419900", code),
            valid_from=dt.date(2000, 1, 1),
        )
        return save_organisation("benchmark", new)

    with transaction.atomic():
        city = org("故障测试市人民政府", OrgKind.GOVERNMENT, 1)
        dept = org("故障测试市教育局", OrgKind.DEPARTMENT, 2, city)
    return {"bodies": [city.pk, dept.pk]}


def stage_count(tag: str) -> dict[str, Any]:
    """The cases of this run (by the number in their subject) and their registration notices."""
    from gongkai.cases.models import InformationRequest
    from gongkai.notifications.models import Notification

    cases: dict[str, list[list[Any]]] = {}
    for pk, subject, code in InformationRequest.objects.filter(
        subject__contains=f"故障测试{tag}"
    ).values_list("pk", "subject", "tracking_code"):
        match = SUBJECT_RE.search(subject)
        if match is not None and match["tag"] == tag:
            cases.setdefault(str(int(match["n"])), []).append([pk, code])
    pks = [pk for rows in cases.values() for pk, _ in rows]
    notices = Notification.objects.filter(case_id__in=pks, key__startswith="case_registered:")
    rows = notices.values_list("pk", "case_id", "channel", "sent_at", "failed_at")
    return {
        "cases": cases,
        "notices": [
            [pk, case, ch, sent is not None, failed is not None] for pk, case, ch, sent, failed in rows
        ],
    }


def run_stage(name: str, tag: str) -> None:
    from benchmarks.common import setup

    setup(os.environ["GONGKAI_DATA_DIR"], fresh_db=False)
    result = stage_setup() if name == "setup" else stage_count(tag)
    print("RESULT " + json.dumps(result))


# --- processes -------------------------------------------------------------------------------------------------


def gongkai_command() -> str:
    local = ROOT / ".venv" / "bin" / "gongkai"
    found = str(local) if local.exists() else shutil.which("gongkai")
    if not found:
        raise SystemExit("no gongkai command: install the project (pip install -e .)")
    return found


@dataclass
class Run:
    """What the orchestrator holds: the environment, the deadline, the processes it started."""

    env: dict[str, str]
    data_dir: Path
    port: int
    workers: int
    deadline: float
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    logs: list[Any] = field(default_factory=list)

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Timeout
        return left

    def log(self, name: str) -> Any:
        handle = (self.data_dir / name).open("ab")
        self.logs.append(handle)
        return handle

    def call(self, *argv: str) -> str:
        done = subprocess.run(
            argv,
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=self.remaining(),
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv[:3])}… failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def stage(self, name: str, tag: str = "") -> dict[str, Any]:
        out = self.call(sys.executable, str(Path(__file__).resolve()), "--stage", name, "--tag", tag or "-")
        line = next(line for line in out.splitlines() if line.startswith("RESULT "))
        result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
        return result

    def start_server(self) -> None:
        argv = [gongkai_command(), "serve", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers)]
        log = self.log("server.log")
        # A session of its own: the gunicorn master (``serve`` execs it) leads a process group with its workers.
        self.server = subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )
        wait_for_port(self.port, self)

    def kill_server(self, sig: int = signal.SIGKILL) -> None:
        if self.server is not None:
            stop_group(self.server, sig)
            self.server = None

    def start_worker(self) -> None:
        log = self.log("huey.log")
        argv = [gongkai_command(), "run_huey"]
        self.worker = subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )

    def stop_all(self) -> None:
        if self.server is not None:
            stop_group(self.server, signal.SIGTERM)
            self.server = None
        if self.worker is not None:
            stop_group(self.worker, signal.SIGINT)
            self.worker = None
        for handle in self.logs:
            handle.close()


def stop_group(proc: subprocess.Popen[bytes], sig: int, grace: float = 15.0) -> None:
    """Send ``sig`` to the process group ``proc`` leads; SIGKILL it if it has not ended after ``grace`` seconds."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace if sig != signal.SIGKILL else 5)
    with suppress(
        ProcessLookupError
    ):  # stragglers of the group (workers whose master is gone), whatever the signal
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, run: Run) -> None:
    while True:
        run.remaining()
        if run.server is not None and run.server.poll() is not None:
            raise SystemExit(
                f"the server exited with {run.server.returncode}: see {run.data_dir / 'server.log'}"
            )
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)


# --- the clients -----------------------------------------------------------------------------------------------


class ConnectionFailed(Exception):
    """No HTTP answer: refused, reset, closed or timed out (the server being killed)."""


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    connection_errors: int = 0
    server_errors: Counter[int] = field(default_factory=Counter)
    acknowledged: dict[int, str] = field(default_factory=dict)  # application number -> tracking code
    refused: dict[int, int] = field(default_factory=dict)  # application number -> 4xx status
    gave_up: list[int] = field(default_factory=list)
    done: int = 0
    retries: int = 0

    def saw(self, what: str, answer: Answer | None) -> None:
        with self.lock:
            if answer is None:
                self.connection_errors += 1
                return
            replay = any(k.lower() == "idempotent-replay" for k, _ in answer.headers)
            self.statuses[f"{what} {answer.status}{' (replay)' if replay else ''}"] += 1
            if answer.status >= 500:
                self.server_errors[answer.status] += 1


def request(port: int, method: str, path: str, cookies: dict[str, str], data: str = "") -> Answer:
    """One HTTP request on a fresh connection (what a browser retry does after the server went away)."""
    headers = {"Host": f"{HOST}:{port}", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if data:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=data.encode() if data else None, headers=headers)
        response = conn.getresponse()
        answer = Answer(response.status, response.getheaders(), response.read().decode("utf-8", "replace"))
    except (OSError, http.client.HTTPException) as exc:
        raise ConnectionFailed(str(exc)) from exc
    finally:
        conn.close()
    for name, value in answer.headers:
        if name.lower() == "set-cookie":
            cookie_name, _, rest = value.partition("=")
            cookies[cookie_name.strip()] = rest.split(";", 1)[0]
    return answer


@dataclass
class Client:
    """One browser user filing application number ``n``."""

    port: int
    tally: Tally
    bodies: list[int]
    tag: str
    stop: threading.Event
    max_tries: int = 40
    pause: float = 0.5
    cookies: dict[str, str] = field(default_factory=dict)
    tries: int = 0

    def send(self, what: str, method: str, path: str, data: str = "") -> Answer | None:
        """One try: None for a connection error or a 5xx (the user will press again), else the answer."""
        self.tries += 1
        try:
            answer: Answer | None = request(self.port, method, path, self.cookies, data)
        except ConnectionFailed:
            answer = None
        self.tally.saw(what, answer)
        if answer is None or answer.status >= 500:
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(self.pause)
            return None
        return answer

    def open_form(self) -> tuple[str, str] | None:
        while self.tries < self.max_tries and not self.stop.is_set():
            page = self.send("GET /apply/", "GET", "/apply/")
            if page is not None:
                csrf, key = CSRF_RE.search(page.body), KEY_RE.search(page.body)
                if page.status != 200 or csrf is None or key is None:
                    raise RuntimeError(f"unexpected form page: {page.status}")
                return csrf[1], key[1]
        return None

    def form(self, n: int, csrf: str, key: str) -> str:
        fields = {
            "csrfmiddlewaretoken": csrf,
            "idempotency_key": key,
            "body": str(self.bodies[n % len(self.bodies)]),
            "kind": "natural",
            "name": f"测试申请人{n}",
            "id_document": "passport",
            "id_number": f"E{n:08d}",
            "phone": f"139{n:08d}",
            "email": f"applicant{n}@example.test",
            "subject": SUBJECT.format(tag=self.tag, n=n),
            "provision_form": "electronic",
            "delivery_method": "online",
        }
        return urllib.parse.urlencode(fields)

    def receipt(self) -> str | None:
        """The tracking code on the receipt page (a refresh after a lost answer), or None to submit again."""
        for _ in range(3):
            page = self.send("GET /apply/receipt/", "GET", "/apply/receipt/")
            if page is not None:
                code = CODE_RE.search(page.body)
                return code[1] if page.status == 200 and code is not None else None
        return None

    def apply(self, n: int) -> None:
        opened = self.open_form()
        data = self.form(n, *opened) if opened else ""
        while data and self.tries < self.max_tries and not self.stop.is_set():
            answer = self.send("POST /apply/", "POST", "/apply/", data)
            if answer is None:
                continue  # the same form, the same key: submit again
            if answer.status != 302:
                with self.tally.lock:
                    self.tally.refused[n] = answer.status
                return
            code = self.receipt()
            if code is not None:
                with self.tally.lock:
                    self.tally.acknowledged[n] = code
                return
        with self.tally.lock:
            self.tally.gave_up.append(n)


def client_thread(work: queue.Queue[int], make: Any, tally: Tally) -> None:
    while True:
        try:
            n = work.get_nowait()
        except queue.Empty:
            return
        try:
            make().apply(n)
        except Exception as exc:  # a benchmark defect: report it, keep the others going
            print(f"client error on application {n}: {exc!r}", file=sys.stderr)
            with tally.lock:
                tally.gave_up.append(n)
        with tally.lock:
            tally.done += 1


# --- the run ---------------------------------------------------------------------------------------------------


def prepare_databases(args: argparse.Namespace, env: dict[str, str]) -> None:
    """PostgreSQL: a fresh database; Redis: an empty database (both on the loopback address only)."""
    if not args.postgres:
        return
    db, cache = urllib.parse.urlsplit(args.database_url), urllib.parse.urlsplit(args.redis_url)
    if db.hostname not in {"127.0.0.1", "localhost"} or cache.hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("--database-url and --redis-url must be on 127.0.0.1")
    import psycopg
    import redis

    name = db.path.lstrip("/")
    admin = urllib.parse.urlunsplit(db._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(args.redis_url).flushdb()
    env.update(DATABASE_URL=args.database_url, REDIS_URL=args.redis_url)


def environment(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(
        GONGKAI_ENV="development",
        GONGKAI_DEBUG="false",
        GONGKAI_DATA_DIR=str(data_dir),
        GONGKAI_THROTTLE_ENABLED="false",  # one address sends everything: the per-IP limits would refuse it
        GONGKAI_STAFF_QUIET_HOURS="",
        GONGKAI_WEB_THREADS=str(args.threads),
        GONGKAI_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    prepare_databases(args, env)
    return env


def load(run: Run, args: argparse.Namespace, bodies: list[int], tag: str) -> tuple[Tally, list[float]]:
    """The clients' work, with the server killed (SIGKILL to its process group) and restarted about midway."""
    tally, stop, work = Tally(), threading.Event(), queue.Queue[int]()
    for n in range(1, args.applications + 1):
        work.put(n)

    def make() -> Client:
        return Client(run.port, tally, bodies, tag, stop, max_tries=args.tries)

    threads = [threading.Thread(target=client_thread, args=(work, make, tally)) for _ in range(args.clients)]
    kills: list[float] = []
    at = [args.applications * (i + 1) // (args.kills + 1) for i in range(args.kills)]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            run.remaining()
            if at and tally.done >= at[0]:
                at.pop(0)
                kills.append(time.monotonic() - started)
                run.kill_server(signal.SIGKILL)
                time.sleep(args.down)
                run.start_server()
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    kills.append(time.monotonic() - started)  # the last entry: how long the load took
    return tally, kills


def drain(run: Run, tag: str, wait: float) -> dict[str, Any]:
    """Wait (at most ``wait`` seconds) until no registration notice of this run is waiting in the outbox."""
    until = time.monotonic() + wait
    while True:
        counted = run.stage("count", tag)
        pending = [row for row in counted["notices"] if not row[3] and not row[4]]
        if not pending or time.monotonic() > until:
            counted["drain_pending"] = len(pending)
            return counted
        time.sleep(min(5.0, max(0.0, until - time.monotonic())))


def gateway_sends(data_dir: Path) -> Counter[int]:
    """How many times the file gateway delivered each notification (by its id)."""
    sends: Counter[int] = Counter()
    for path in (data_dir / "outbox").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sends[int(json.loads(line)["id"])] += 1
    return sends


def notice_figures(counted: dict[str, Any], sends: Counter[int]) -> Counter[str]:
    """Per stored case: exactly one notice per channel, sent once — or what is wrong with it."""
    by_case: dict[int, list[list[Any]]] = {}
    for row in counted["notices"]:
        by_case.setdefault(row[1], []).append(row)
    figures: Counter[str] = Counter()
    for rows in counted["cases"].values():
        for pk, _code in rows:
            notices = by_case.get(pk, [])
            channels = Counter(row[2] for row in notices)
            if any(channels[ch] == 0 for ch in CHANNELS):
                figures["missing"] += 1
            elif any(channels[ch] > 1 for ch in CHANNELS) or any(sends[row[0]] > 1 for row in notices):
                figures["doubled"] += 1
            elif any(row[4] for row in notices):
                figures["failed"] += 1
            elif not all(row[3] and sends[row[0]] == 1 for row in notices):
                figures["pending"] += 1
            else:
                figures["exactly once"] += 1
    return figures


def server_log_errors(data_dir: Path) -> list[str]:
    text = (data_dir / "server.log").read_text(encoding="utf-8", errors="replace")
    wanted = ("Traceback", "Error:", "[ERROR]", '" 500 ', '" 503 ', '" 502 ')
    return [line for line in text.splitlines() if any(word in line for word in wanted)]


def report(
    args: argparse.Namespace, tally: Tally, counted: dict[str, Any], timing: list[float], run: Run
) -> bool:
    cases: dict[str, list[list[Any]]] = counted["cases"]
    lost = sorted(n for n in tally.acknowledged if str(n) not in cases)
    wrong_code = sorted(
        n for n, code in tally.acknowledged.items() if str(n) in cases and code != cases[str(n)][0][1]
    )
    duplicated = sorted(int(n) for n, rows in cases.items() if len(rows) > 1)
    unacknowledged = sorted(int(n) for n in cases if int(n) not in tally.acknowledged)
    notices = notice_figures(counted, gateway_sends(run.data_dir))
    server_errors = sum(tally.server_errors.values())
    database = "PostgreSQL + Redis worker" if args.postgres else "SQLite + SQLite worker"
    kills = ", ".join(f"{t:.1f} s" for t in timing[:-1])
    print(
        f"fault test: {database}; {args.clients} clients, {args.workers} gunicorn workers x {args.threads} threads"
    )
    print(f"  load took {timing[-1]:.1f} s; SIGKILL of the server group at {kills or 'never'}")
    print(f"  attempted      {args.applications}")
    print(f"  acknowledged   {len(tally.acknowledged)}")
    print(f"  stored         {len(cases)}  (cases: {sum(len(rows) for rows in cases.values())})")
    print(f"  lost           {len(lost)}  {lost[:20] if lost else ''}")
    print(f"  duplicated     {len(duplicated)}  {duplicated[:20] if duplicated else ''}")
    print(f"  server errors  {server_errors}  {dict(tally.server_errors) if server_errors else ''}")
    print(f"  connection errors (the kill) {tally.connection_errors}; resubmissions/retries {tally.retries}")
    print(
        f"  refused (4xx)  {len(tally.refused)}  {dict(Counter(tally.refused.values())) if tally.refused else ''}"
    )
    print(f"  gave up        {len(tally.gave_up)}; stored without acknowledgement {len(unacknowledged)}")
    print(f"  wrong tracking code on the receipt {len(wrong_code)}")
    print(
        f"  registration notices (e-mail + SMS) per stored case: exactly once {notices['exactly once']}, "
        f"missing {notices['missing']}, doubled {notices['doubled']}, pending {notices['pending']}, "
        f"failed {notices['failed']} (outbox rows still waiting after the drain: {counted['drain_pending']})"
    )
    print(f"  answers seen: {dict(sorted(tally.statuses.items()))}")
    errors = server_log_errors(run.data_dir)
    if errors:
        print(f"  server log: {len(errors)} error lines, first: {errors[:5]}")
    stored_cases = sum(len(rows) for rows in cases.values())
    return not (lost or duplicated or server_errors or wrong_code) and notices["exactly once"] == stored_cases


@contextmanager
def started(run: Run) -> Iterator[Run]:
    """Stop every process of the run on the way out, whatever happened (SIGTERM to the script included)."""
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        yield run
    finally:
        run.stop_all()
        signal.signal(signal.SIGTERM, previous)


def main_run(args: argparse.Namespace, data_dir: Path) -> int:
    env = environment(args, data_dir)
    run = Run(env, data_dir, free_port(), args.workers, time.monotonic() + args.timeout)
    tag = os.urandom(4).hex()
    with started(run):
        run.call(gongkai_command(), "migrate", "--noinput", "-v", "0")
        bodies = run.stage("setup")["bodies"]
        run.start_worker()
        run.start_server()
        tally, timing = load(run, args, bodies, tag)
        counted = drain(run, tag, min(args.drain, run.remaining() - 15))
        ok = report(args, tally, counted, timing, run)
    print(f"  data directory: {data_dir}" if args.keep else "", end="\n" if args.keep else "")
    print("TARGET MET" if ok else "TARGET MISSED")
    return 0 if ok else 1


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL and a Redis-backed worker")
    parser.add_argument(
        "--database-url", default=PG_URL, help=f"with --postgres (dropped and recreated; {PG_URL})"
    )
    parser.add_argument("--redis-url", default=REDIS_URL, help=f"with --postgres (flushed; {REDIS_URL})")
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (2-4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--kills", type=int, default=1, help="SIGKILLs of the server, evenly spread")
    parser.add_argument("--down", type=float, default=1.0, help="seconds the server stays down after a kill")
    parser.add_argument(
        "--tries", type=int, default=40, help="requests per application before a client gives up"
    )
    parser.add_argument("--drain", type=float, default=150.0, help="longest wait for the outbox, in seconds")
    parser.add_argument("--timeout", type=float, default=600.0, help="overall limit, in seconds")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (logs, outbox)")
    parser.add_argument("--stage", choices=["setup", "count"], help=argparse.SUPPRESS)
    parser.add_argument("--tag", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (1 <= args.applications <= 2000 and 1 <= args.clients <= 100 and 1 <= args.workers <= 8):
        parser.error("bounded: at most 2000 applications, 100 clients, 8 workers")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.stage:
        run_stage(args.stage, args.tag)
        return 0
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-fault-"))
    try:
        return main_run(args, data_dir)
    except Timeout:
        print(f"TIMEOUT after {args.timeout:.0f} s (everything started was stopped)", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
