from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_city(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[str]:
    """Load the demo city once per module through ``gongkai demo`` (what the README's first command runs),
    inside a transaction that is rolled back afterwards; the command's output. tests/xdist_scheduling.py runs
    the module on one worker, so a test run loads the city once per database."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
