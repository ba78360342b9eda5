"""A throw-away PostgreSQL streaming replica of the running primary, for tests and benchmarks:
``pg_basebackup -R`` into a temporary directory, started with ``pg_ctl`` on a free port (as the ``postgres``
account when running as root: PostgreSQL refuses root), stopped and deleted by :meth:`Replica.stop`.

Needs the server binaries (``GONGKAI_PG_BIN``, default /usr/lib/postgresql/15/bin) and a primary that accepts
replication connections from 127.0.0.1 (.ci/run adds the pg_hba.conf line)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

PG_BIN = Path(os.environ.get("GONGKAI_PG_BIN", "/usr/lib/postgresql/15/bin"))
# A standby needs at least the primary's value of each of these, or it refuses to start.
MATCH_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


# Seconds to wait for the standby to open for reads (see _wait_accepting).
READY_WITHIN = float(os.environ.get("GONGKAI_REPLICA_READY_WITHIN", "600"))


class ReplicaUnavailable(RuntimeError):
    """The replica could not be made or started; the message says why."""


@dataclass
class Replica:
    root: Path
    port: int
    as_postgres: list[str]

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def dsn(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def stop(self) -> None:
        """Stop the server (immediately: it is a copy) and delete its files; safe to call twice."""
        if (self.datadir / "postmaster.pid").exists():
            pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"]
            subprocess.run(self.as_postgres + pg_ctl, capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(argv: list[str], what: str, timeout: int = 300) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReplicaUnavailable(f"{what}: {exc}") from exc
    if done.returncode != 0:
        raise ReplicaUnavailable(f"{what} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")


def _primary_settings(primary: dict[str, Any]) -> dict[str, str]:
    with psycopg.connect(**primary, dbname="postgres", connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [[*MATCH_PRIMARY, "wal_level"]]
        ).fetchall()
    found = {name: str(value) for name, value in rows}
    if found.get("wal_level") == "minimal":
        raise ReplicaUnavailable(
            "the primary runs with wal_level=minimal: set wal_level=replica and restart it"
        )
    return found


def _write_config(replica: Replica, settings: dict[str, str]) -> None:
    """The Debian primary keeps postgresql.conf and pg_hba.conf in /etc, so the copy has none: write both."""
    conf = [f"{name} = {settings[name]}" for name in MATCH_PRIMARY if name in settings]
    conf += ["hot_standby = on", "fsync = off", "shared_buffers = 32MB", "wal_receiver_status_interval = 1s"]
    (replica.datadir / "postgresql.conf").write_text("\n".join(conf) + "\n")
    (replica.datadir / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
    )
    (replica.datadir / "pg_ident.conf").write_text("")
    if replica.as_postgres:
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(replica.datadir / name, "postgres", "postgres")


def _wait(
    replica: Replica, seconds: float, probe: Callable[[psycopg.Connection[Any]], str], why: str
) -> None:
    """Poll the replica until ``probe`` (run on a fresh connection) answers "" (ready) or ``seconds`` pass; the
    failure names ``why`` and the last answer or error. A server that stopped is reported at once: the
    postmaster writes its pid file within moments of starting and removes it when it stops."""
    started = time.monotonic()
    last = "no answer"
    while time.monotonic() < started + seconds:
        try:
            with psycopg.connect(replica.dsn("postgres"), connect_timeout=2) as conn:
                last = probe(conn)
                if not last:
                    return
        except psycopg.Error as exc:
            last = str(exc).strip()
        if time.monotonic() - started > 10 and not (replica.datadir / "postmaster.pid").exists():
            raise ReplicaUnavailable(f"the replica stopped while starting (last: {last})")
        time.sleep(0.3)
    raise ReplicaUnavailable(f"the replica {why} within {seconds:.0f}s (last: {last})")


def _accepting(conn: psycopg.Connection[Any]) -> str:
    conn.execute("SELECT 1")
    return ""


def _streaming(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT status FROM pg_stat_wal_receiver").fetchone()
    status = str(row[0]) if row else "no WAL receiver yet"
    return "" if status == "streaming" else status


def _wait_accepting(replica: Replica, seconds: float = READY_WITHIN) -> None:
    """Wait until the standby accepts read-only connections. It does once it has a snapshot of the primary's
    running transactions, and a snapshot is incomplete ("overflowed") while a transaction with over 64
    subtransactions runs there: then the standby waits until every transaction running at the backup has ended.
    On a test server another worker may be inside a module-long transaction (a module's world, the demo city) for
    minutes, hence the generous bound."""
    why = (
        "did not accept connections (a transaction with many subtransactions running on the primary that long "
        "keeps a standby from opening)"
    )
    _wait(replica, seconds, _accepting, why)


def _wait_streaming(replica: Replica, seconds: float = 60) -> None:
    _wait(replica, seconds, _streaming, "did not start streaming")


def start_replica(primary: dict[str, Any]) -> Replica:
    """A streaming replica of the primary at ``primary`` (psycopg keyword arguments: host, port, user)."""
    if not (PG_BIN / "pg_basebackup").exists():
        raise ReplicaUnavailable(f"no PostgreSQL server binaries in {PG_BIN} (set GONGKAI_PG_BIN)")
    settings = _primary_settings(primary)
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # As root, in /tmp: the postgres account must reach the directory (a TMPDIR under /root would not do).
    where = "/tmp" if as_postgres else None  # noqa: S108
    replica = Replica(Path(tempfile.mkdtemp(prefix="gongkai-replica-", dir=where)), free_port(), as_postgres)
    try:
        if as_postgres:
            shutil.chown(replica.root, "postgres", "postgres")
        host, port, user = primary["host"], str(primary["port"]), primary["user"]
        backup = [str(PG_BIN / "pg_basebackup"), "-h", host, "-p", port, "-U", user]
        backup += ["-D", str(replica.datadir), "-R", "-X", "stream", "-c", "fast", "--no-sync"]
        _run(as_postgres + backup, "pg_basebackup from the primary")
        _write_config(replica, settings)
        options = f"-p {replica.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={replica.root}"
        start = [str(PG_BIN / "pg_ctl"), "-D", str(replica.datadir), "-l", str(replica.root / "log")]
        # -W: pg_ctl would give up after its timeout while the standby is still correctly waiting (see
        # _wait_accepting); the wait is ours.
        _run([*as_postgres, *start, "-W", "-o", options, "start"], "pg_ctl start", timeout=90)
        _wait_accepting(replica)
        _wait_streaming(replica)
    except BaseException as exc:
        log = replica.root / "log"
        tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
        replica.stop()
        if isinstance(exc, ReplicaUnavailable) and tail:
            raise ReplicaUnavailable(f"{exc}\nreplica log:\n{tail}") from exc
        raise
    return replica
