"""DATABASE_REPLICA_URL in the settings (docs/configuration.md): unset changes nothing; set, it adds the replica
alias (a mirror of the primary in tests), the router and the middleware; it needs PostgreSQL on both sides."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.scaling.processes import REPO

SHOW = """
import json
from gongkai import settings as s
print(json.dumps({"databases": s.DATABASES, "routers": getattr(s, "DATABASE_ROUTERS", []),
                  "middleware": s.MIDDLEWARE}, default=str))
"""


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=REPO,
        env={**clean, "GONGKAI_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_without_a_replica_nothing_changes(tmp_path: Path) -> None:
    found = loaded(settings_with(tmp_path, DATABASE_URL="postgres://gk@db:5432/gk"))
    assert list(found["databases"]) == ["default"]
    assert found["routers"] == []
    assert "gongkai.dbrouting.ReadYourWritesMiddleware" not in found["middleware"]


def test_a_replica_adds_its_alias_router_and_middleware(tmp_path: Path) -> None:
    found = loaded(
        settings_with(
            tmp_path,
            DATABASE_URL="postgres://gk@db:5432/gk",
            DATABASE_REPLICA_URL="postgres://gk@replica:5433/gk",
        )
    )
    replica = found["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replica", 5433, "gk")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert found["routers"] == ["gongkai.dbrouting.ReplicaRouter"]
    middleware = found["middleware"]
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[auth + 1] == "gongkai.dbrouting.ReadYourWritesMiddleware"


def test_a_replica_needs_postgresql(tmp_path: Path) -> None:
    done = settings_with(tmp_path, DATABASE_REPLICA_URL="postgres://gk@replica:5433/gk")  # SQLite primary
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL 需要 PostgreSQL" in done.stderr
