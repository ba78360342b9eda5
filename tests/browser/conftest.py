"""Browser tests drive Debian's chromium through Playwright (no browser download); skipped without it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls are synchronous set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(
            reason="Debian's chromium is not installed (scripts/test.sh installs it as root)"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Any:
    """Saves full-page screenshots as artefacts: ``$GONGKAI_ARTEFACTS`` (default ``artefacts/browser/`` in the
    repository, git-ignored), one directory per test, a file per step (``shots(page, "receipt")``)."""
    from tests.browser.support import ARTEFACTS, Shots, slug

    return Shots(ARTEFACTS / slug(request.node.name))
