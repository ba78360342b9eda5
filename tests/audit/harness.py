"""Test-harness support for the audit log's triggers (gongkai.audit.triggers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.core.management.commands import flush

from gongkai.audit.triggers import maintenance


@contextmanager
def flush_under_maintenance() -> Iterator[None]:
    """Django's ``flush`` (run by transactional and live-server tests between tests) empties every table; the
    audit triggers refuse that unless the maintenance switch is on, so turn it on for the flush alone."""
    real = flush.Command.handle

    def handle(self: flush.Command, **options: Any) -> None:
        with maintenance(options.get("database") or "default"):
            real(self, **options)

    with mock.patch.object(flush.Command, "handle", handle):
        yield
