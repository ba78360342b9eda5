from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from gongkai.demo.generate import load


@pytest.fixture(scope="module")
def demo_city(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """Load the demo city once per module inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        counts = load()
        yield counts
        transaction.set_rollback(True)
