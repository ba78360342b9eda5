"""What the benchmark scripts share: Django set up against a throwaway database (a SQLite file in ``tmp``, or a
test database beside ``DATABASE_URL``'s), or against the configured one as it is (``fresh_db=False``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup(tmp: str, *, fresh_db: bool = True) -> None:
    os.environ.setdefault("GONGKAI_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    if not fresh_db:
        return
    from django.db import connection

    from gongkai.settings import DATABASES

    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
