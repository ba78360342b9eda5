"""Typed helpers that read settings from the environment and fail loudly on bad values."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser().resolve() if raw else default


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}：可选值为 {'、'.join(choices)}")
    return value


# Keys (docs/deploy.md, "Keys"). Production reads them from the environment only and refuses to start without
# them; elsewhere (the embedded demo, development, tests) a missing key is created once, at random, and kept in
# <data dir>/keys. No key is ever a constant of the repository, and the field key never derives from the secret.
GENERATE_SECRET_KEY = 'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'  # noqa: S105 (a command)
GENERATE_FIELD_KEY = (
    'python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)
# Values that were printed in the repository or in examples: refused in production whatever their length.
_KNOWN_SECRETS = frozenset({"insecure-development-key-change-me", "change-me", "changeme", "secret"})
# The field key that earlier versions derived from the repository's default secret key: public, so refused.
_LEGACY_FIELD_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"gongkai-field-key:insecure-development-key-change-me").digest()
).decode()
_MIN_SECRET_LENGTH = 50  # Django's own deployment check (security.W009): 50 characters, 5 of them different


def _refuse(name: str, why: str, how: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"{name} {why}。生产环境（GONGKAI_ENV=production）必须在环境中设置它，生成方法：{how}；"
        "写入只有运行账户能读的环境文件（如 /etc/gongkai/gongkai.env），不要放在数据目录中，并另行备份（docs/deploy.md）。"
    )


def kept_key(path: Path, generate: Callable[[], str]) -> str:
    """The key kept in ``path``, created first (mode 0600, in a 0700 directory) if there is none.

    Creation is atomic: the key is written to a temporary file and linked to ``path``, which fails if another
    process got there first; both then read the same file, so two processes starting together agree."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(generate() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    value = path.read_text(encoding="ascii").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{path} 为空：删除它即可重新生成（已加密的数据将无法再读取），或写入原有的密钥"
        )
    return value


def secret_key(production: bool, data_dir: Path) -> str:
    """Django's SECRET_KEY (signs sessions, CSRF tokens, password-reset links and letter links)."""
    value = os.environ.get("GONGKAI_SECRET_KEY", "").strip()
    if not production:
        return value or kept_key(data_dir / "keys" / "secret_key", lambda: secrets.token_urlsafe(50))
    if not value:
        raise _refuse("GONGKAI_SECRET_KEY", "未设置", GENERATE_SECRET_KEY)
    if value.lower() in _KNOWN_SECRETS or value.startswith("django-insecure-"):
        raise _refuse("GONGKAI_SECRET_KEY", "是公开过的示例值", GENERATE_SECRET_KEY)
    if len(value) < _MIN_SECRET_LENGTH or len(set(value)) < 5:
        raise _refuse(
            "GONGKAI_SECRET_KEY",
            f"太短（至少 {_MIN_SECRET_LENGTH} 个字符、5 种不同字符）",
            GENERATE_SECRET_KEY,
        )
    return value


def field_keys(production: bool, data_dir: Path) -> list[str]:
    """The keys of the personal-identifier encryption (gongkai.crypto), newest first: the first encrypts, any
    decrypts (a rotation lists the new key before the old ones until `gongkai rotate-field-key` has run)."""
    source, value = "GONGKAI_FIELD_KEY", os.environ.get("GONGKAI_FIELD_KEY", "").strip()
    if not value and production:
        raise _refuse(source, "未设置", GENERATE_FIELD_KEY)
    if not value:
        path = data_dir / "keys" / "field_key"
        source, value = str(path), kept_key(path, lambda: Fernet.generate_key().decode())
    keys = [item.strip() for item in value.split(",") if item.strip()]
    for number, key in enumerate(keys, start=1):
        try:
            valid = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
        except (ValueError, UnicodeEncodeError):
            valid = False
        if not valid:
            raise _refuse(source, f"的第 {number} 个密钥不是 32 字节的 urlsafe base64 串", GENERATE_FIELD_KEY)
        if production and key == _LEGACY_FIELD_KEY:
            raise _refuse(source, f"的第 {number} 个密钥是由公开过的示例值推导的", GENERATE_FIELD_KEY)
    return keys
