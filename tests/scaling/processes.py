"""Processes of a scaled-out deployment on one machine, for tests and benchmarks: huey consumers on Redis and
gunicorn web workers, each a real ``python -m gongkai`` process against the same database and queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import redis

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_problem(url: str = REDIS_URL) -> str:
    """Why Redis at ``url`` cannot be used, or "" when it answers."""
    try:
        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {url} does not answer: {exc}"
    return ""


def database_url(db: dict[str, Any]) -> str:
    """A DATABASE_URL for a Django PostgreSQL settings dict (the test database, for instance)."""
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{quote(str(db['USER']), safe='')}{password}@{host}:{port}/{db['NAME']}"


def gongkai_env(data_dir: Path, db: dict[str, Any], queue: str, **extra: str) -> dict[str, str]:
    """The environment of a process of this deployment: one database, one Redis queue named ``queue``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "PYTEST_XDIST_WORKER")}
    env.update(
        DATABASE_URL=database_url(db),
        REDIS_URL=REDIS_URL,
        GONGKAI_HUEY_NAME=queue,
        GONGKAI_HUEY_IMMEDIATE="false",
        GONGKAI_DATA_DIR=str(data_dir),
        GONGKAI_DB_CONN_MAX_AGE="0",
        PYTHONPATH=str(REPO),
    )
    env.update(extra)
    return env


def start_consumers(
    env: dict[str, str], count: int = 2, threads: int = 2, seconds: float = 60
) -> list[subprocess.Popen[bytes]]:
    """``count`` huey consumers (``gongkai run_huey``), ``threads`` worker threads each, no periodic jobs; returns
    once each has said it started (its log, ``<data dir>/consumer-N.log``), so that all compete from the start."""
    logs = [Path(env["GONGKAI_DATA_DIR"]) / f"consumer-{i}.log" for i in range(count)]
    argv = [sys.executable, "-m", "gongkai", "run_huey", "-w", str(threads), "-k", "thread", "-n"]
    started = [
        subprocess.Popen([*argv, "-l", str(log)], cwd=REPO, env=env, stdout=subprocess.DEVNULL)
        for log in logs
    ]
    deadline = time.monotonic() + seconds
    while not all(log.exists() and "consumer started" in log.read_text() for log in logs):
        if time.monotonic() > deadline or any(proc.poll() is not None for proc in started):
            stop(started)
            raise RuntimeError(f"the huey consumers did not start within {seconds:.0f}s (logs: {logs})")
        time.sleep(0.1)
    return started


def start_web(env: dict[str, str], bind: str, workers: int) -> subprocess.Popen[bytes]:
    """``gongkai serve`` (gunicorn) with ``workers`` processes on ``bind``, access log off."""
    argv = [sys.executable, "-m", "gongkai", "serve", "--bind", bind, "--workers", str(workers)]
    return subprocess.Popen(
        argv, cwd=REPO, env={**env, "GONGKAI_THROTTLE_ENABLED": "false"}, stdout=subprocess.DEVNULL
    )


def enqueue(queue: str, task: Any, times: int = 1) -> None:
    """Put ``times`` calls of the huey task ``task`` (a ``@db_task``/``@db_periodic_task`` of gongkai) on the Redis
    queue ``queue``, as a web process configured with that queue would: the message is the one this process's
    huey makes, written to that queue."""
    from huey import RedisHuey
    from huey.contrib.djhuey import HUEY

    target = RedisHuey(queue, url=REDIS_URL)
    for _ in range(times):
        call = task.s()
        target.storage.enqueue(HUEY.serialize_task(call), call.priority)


def run_in_django(env: dict[str, str], code: str) -> str:
    """Run ``code`` in a new Django process of this deployment (``gongkai shell -c``); its output."""
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"gongkai shell failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def stop(processes: list[subprocess.Popen[bytes]], timeout: float = 15) -> None:
    """SIGINT (huey and gunicorn finish what they run), then SIGKILL after ``timeout``."""
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in processes:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def drop_queue(queue: str, url: str = REDIS_URL) -> None:
    """Delete the Redis keys of the huey queue ``queue``."""
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"huey.*{queue}*"))
    if keys:
        client.delete(*keys)
