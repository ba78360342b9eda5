from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def fast_passwords_and_media(settings: LazySettings, tmp_path: Path) -> Path:
    """Personas are created per test: hash their passwords quickly; uploaded files go to a temporary dir."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
