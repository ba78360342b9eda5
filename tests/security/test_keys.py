"""Keys (issue #10, defect 8): production refuses to start without its own keys; elsewhere random keys are made
once and kept in the data directory; the field key is independent of the secret key and rotatable."""

from __future__ import annotations

import base64
import hashlib
import math
import multiprocessing
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from gongkai import crypto
from gongkai.audit.models import AuditEntry
from gongkai.cases.applicants import create_applicant, find_by_id_number
from gongkai.cases.models import Applicant
from gongkai.env import field_keys, kept_key, secret_key
from gongkai.notifications.models import Notification, NotificationTemplate
from gongkai.ops.keys import ACTION, unrotated

OLD_DEFAULT = "insecure-development-key-change-me"  # the key printed in the repository before issue #10
GOOD_SECRET = secrets.token_urlsafe(50)


def _gongkai(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- production refuses to start without its keys ---------------------------------------------------------------


def test_production_without_keys_refuses_to_start_and_says_how_to_make_them(tmp_path: Path) -> None:
    base = {"GONGKAI_ENV": "production", "GONGKAI_DATA_DIR": str(tmp_path)}
    done = _gongkai(base, "check")
    assert done.returncode == 2
    assert "GONGKAI_SECRET_KEY" in done.stderr and "secrets.token_urlsafe(50)" in done.stderr
    assert "Traceback" not in done.stderr
    done = _gongkai({**base, "GONGKAI_SECRET_KEY": GOOD_SECRET}, "check")
    assert done.returncode == 2
    assert "GONGKAI_FIELD_KEY" in done.stderr and "Fernet.generate_key()" in done.stderr
    assert not (tmp_path / "keys").exists()  # production never makes keys of its own
    done = _gongkai(
        {**base, "GONGKAI_SECRET_KEY": GOOD_SECRET, "GONGKAI_FIELD_KEY": Fernet.generate_key().decode()},
        "check",
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("", "未设置"),
        (OLD_DEFAULT, "公开过的示例值"),
        ("django-insecure-" + "x" * 50, "公开过的示例值"),
        ("k3Yq-8vPz_Lw2Rn5Tb7Xs9Dm4Hc6Jf1", "太短"),
        ("ab" * 30, "太短"),  # long enough, but two different characters
    ],
)
def test_production_refuses_a_missing_default_or_short_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, why: str
) -> None:
    monkeypatch.setenv("GONGKAI_SECRET_KEY", value)
    with pytest.raises(ImproperlyConfigured, match=why):
        secret_key(True, tmp_path)
    assert secret_key(False, tmp_path) == (value or (tmp_path / "keys" / "secret_key").read_text().strip())


def test_production_refuses_a_malformed_or_public_field_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = Fernet.generate_key().decode()
    monkeypatch.setenv("GONGKAI_FIELD_KEY", f"{good},not-a-key")
    with pytest.raises(ImproperlyConfigured, match="第 2 个密钥"):
        field_keys(True, tmp_path)
    legacy = base64.urlsafe_b64encode(hashlib.sha256(b"gongkai-field-key:" + OLD_DEFAULT.encode()).digest())
    monkeypatch.setenv("GONGKAI_FIELD_KEY", legacy.decode())
    with pytest.raises(ImproperlyConfigured, match="公开过的示例值"):
        field_keys(True, tmp_path)
    monkeypatch.setenv("GONGKAI_FIELD_KEY", f" {good} , {Fernet.generate_key().decode()} ")
    assert field_keys(True, tmp_path)[0] == good


def test_production_refuses_debug(tmp_path: Path) -> None:
    env = {
        "GONGKAI_ENV": "production",
        "GONGKAI_DEBUG": "true",
        "GONGKAI_DATA_DIR": str(tmp_path),
        "GONGKAI_SECRET_KEY": GOOD_SECRET,
        "GONGKAI_FIELD_KEY": Fernet.generate_key().decode(),
    }
    done = _gongkai(env, "check")
    assert done.returncode == 2 and "GONGKAI_DEBUG" in done.stderr


# --- development, demo and tests keep random keys of their own ----------------------------------------------------


def test_demo_keys_are_made_once_kept_private_and_reused(tmp_path: Path) -> None:
    """Two runs of a fresh embedded site read the same random keys from <data dir>/keys."""
    show = (
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY, settings.GONGKAI_FIELD_KEYS)",
    )
    first = _gongkai({"GONGKAI_DATA_DIR": str(tmp_path)}, *show)
    second = _gongkai({"GONGKAI_DATA_DIR": str(tmp_path)}, *show)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and OLD_DEFAULT not in first.stdout
    keys = tmp_path / "keys"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert sorted(p.name for p in keys.iterdir()) == ["field_key", "secret_key"]
    for path in keys.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = (keys / "secret_key").read_text().strip()
    field = (keys / "field_key").read_text().strip()
    assert len(secret) >= 50 and first.stdout.strip().splitlines()[-1].split()[0] == secret
    assert len(base64.urlsafe_b64decode(field)) == 32
    # Independent: not the old derivation from the secret key, and another data directory gets other keys.
    assert field.encode() != base64.urlsafe_b64encode(
        hashlib.sha256(b"gongkai-field-key:" + secret.encode()).digest()
    )
    assert secret_key(False, tmp_path / "other") != secret
    assert field_keys(False, tmp_path / "other") != [field]


def _make(path: str) -> str:
    return kept_key(Path(path), lambda: secrets.token_urlsafe(50))


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "secret_key"
    with multiprocessing.get_context("fork").Pool(8) as pool:
        made = pool.map(_make, [str(path)] * 32)
    assert len(set(made)) == 1 and path.read_text().strip() == made[0]
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_an_emptied_key_file_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "field_key"
    path.parent.mkdir()
    path.write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="为空"):
        field_keys(False, tmp_path)


# --- rotation ----------------------------------------------------------------------------------------------------

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
NUMBERS = [f"E{n:08d}" for n in range(1, 6)]


def _applicants() -> list[Applicant]:
    return [
        create_applicant(
            "t",
            kind="natural",
            name=f"申请人{n}",
            id_document="passport",
            id_number=number,
            phone=f"1380000000{n}",
        )
        for n, number in enumerate(NUMBERS)
    ]


def _sms(applicant: Applicant) -> Notification:
    template = NotificationTemplate.objects.get_or_create(
        code="rotation-test", channel="sms", defaults={"audience": "applicant", "body": "x"}
    )[0]
    return Notification.objects.create(
        template=template,
        channel="sms",
        recipient=applicant.phone_encrypted,
        recipient_display=applicant.phone_masked,
        body="x",
        key=f"rotation-test:{applicant.pk}",
        send_after="2026-01-01T00:00:00+08:00",
    )


@pytest.mark.django_db
def test_rotation_makes_every_row_readable_with_the_new_key_alone(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [OLD]
    people = _applicants()
    messages = [_sms(p) for p in people[:3]]
    staff_mail = Notification.objects.create(  # not encrypted: an address in clear, left alone
        template=NotificationTemplate.objects.create(
            code="staff-test", channel="email", audience="staff", body="x"
        ),
        channel="email",
        recipient="clerk@example.invalid",
        recipient_display="clerk",
        body="x",
        key="staff-test",
        send_after="2026-01-01T00:00:00+08:00",
    )
    settings.GONGKAI_FIELD_KEYS = [NEW, OLD]
    assert unrotated()["cases.Applicant.id_number_encrypted"] == len(people)
    with pytest.raises(CommandError):
        call_command("rotate-field-key", "--check")
    before = AuditEntry.objects.count()
    call_command("rotate-field-key", "--batch-size", "2")

    settings.GONGKAI_FIELD_KEYS = [NEW]
    call_command("rotate-field-key", "--check")
    for person, number in zip(people, NUMBERS, strict=True):
        person.refresh_from_db()
        assert crypto.decrypt(person.id_number_encrypted) == number
        assert crypto.decrypt(person.phone_encrypted).startswith("1380000000")
        assert find_by_id_number(number) == [person]  # the digest now comes from the new key
    for message in messages:
        message.refresh_from_db()
        assert crypto.decrypt(message.recipient).startswith("1380000000")
    staff_mail.refresh_from_db()
    assert staff_mail.recipient == "clerk@example.invalid"
    old = Fernet(OLD)
    with pytest.raises(InvalidToken):
        old.decrypt(Applicant.objects.first().id_number_encrypted.encode())  # type: ignore[union-attr]

    entries = AuditEntry.objects.filter(action=ACTION).order_by("pk")
    assert AuditEntry.objects.count() - before == entries.count()
    assert [(e.object_type, e.batch_size) for e in entries] == [
        ("cases.applicant", 2),
        ("cases.applicant", 2),
        ("cases.applicant", 1),
        ("notifications.notification", 2),
        ("notifications.notification", 1),
    ]
    assert entries.count() == math.ceil(len(people) / 2) + math.ceil(len(messages) / 2)
    assert all(number not in str(e.summary) + str(e.after) for e in entries for number in NUMBERS)


@pytest.mark.django_db
def test_a_token_of_a_key_no_longer_listed_cannot_be_read(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [OLD]
    person = _applicants()[0]
    settings.GONGKAI_FIELD_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_FIELD_KEY"):
        crypto.decrypt(person.id_number_encrypted)
    with pytest.raises(ImproperlyConfigured):
        call_command("rotate-field-key")
    assert not AuditEntry.objects.filter(action=ACTION).exists()
