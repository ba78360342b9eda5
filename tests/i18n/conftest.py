"""The compiled catalogues for these tests: the set-up (scripts/setup.sh) compiles them; a run of pytest alone
compiles them here when a .po is newer than its .mo, before Django reads any."""

from __future__ import annotations

import pytest
from django.utils.translation import trans_real

from gongkai.ops import catalogues


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    stale = [
        po
        for po in catalogues.LOCALE_DIR.glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        catalogues.compile_catalogues()
        trans_real._translations = {}
        trans_real._default = None
