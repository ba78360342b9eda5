"""Deployment (issue #10, defect 9): deploy/example.env lists every variable and passes `check --deploy`; the
bundled server (`gongkai serve`, scripts/serve.sh) serves the app and its static files and stops cleanly."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "example.env"
KEYS = ("GONGKAI_SECRET_KEY", "GONGKAI_FIELD_KEY")


def read_env_file(path: Path) -> tuple[dict[str, str], set[str]]:
    """The assignments of an EnvironmentFile, and the names of those shown commented out ("# NAME=...")."""
    active: dict[str, str] = {}
    commented: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            active[match[1]] = match[2].strip().strip('"')
        elif match := re.match(r"# ([A-Z][A-Z0-9_]*)=", line):
            commented.add(match[1])
    return active, commented


def settings_variables() -> set[str]:
    """Every environment variable that gongkai's settings read."""
    source = (ROOT / "gongkai" / "settings.py").read_text() + (ROOT / "gongkai" / "env.py").read_text()
    calls = re.findall(r"(?:env_[a-z]+|_rate|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\"", source)
    return set(calls)


def clean_environment(**extra: str) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest (tests/browser) in the same process.
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") and k not in dropped}
    return {**env, **extra}


def production_env(tmp_path: Path) -> dict[str, str]:
    active, _ = read_env_file(EXAMPLE)
    return clean_environment(
        **{
            **active,
            "GONGKAI_SECRET_KEY": secrets.token_urlsafe(50),
            "GONGKAI_FIELD_KEY": Fernet.generate_key().decode(),
            "GONGKAI_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        }
    )


def run_gongkai(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gongkai", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=False)


def test_example_env_lists_every_variable_the_settings_read() -> None:
    active, commented = read_env_file(EXAMPLE)
    missing = settings_variables() - set(active) - commented
    assert not missing, f"deploy/example.env lacks {sorted(missing)}"
    assert active["GONGKAI_ENV"] == "production"
    assert all(active[name] == "" for name in KEYS)  # never a usable key in the repository


def test_every_variable_of_example_env_is_documented() -> None:
    active, commented = read_env_file(EXAMPLE)
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = {name for name in set(active) | commented if f"`{name}`" not in documented}
    assert not missing, f"docs/configuration.md lacks {sorted(missing)}"


def test_check_deploy_with_example_env_reports_no_issues(tmp_path: Path) -> None:
    """Defect 9: with production settings the deployment check warned W004, W008, W012 and W016."""
    done = run_gongkai(production_env(tmp_path), "check", "--deploy")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_example_env_without_its_keys_does_not_start(tmp_path: Path) -> None:
    active, _ = read_env_file(EXAMPLE)
    env = clean_environment(**{**active, "GONGKAI_DATA_DIR": str(tmp_path)})
    done = run_gongkai(env, "check", "--deploy")
    assert done.returncode == 2 and "GONGKAI_SECRET_KEY" in done.stderr


def test_https_settings_come_from_the_environment(tmp_path: Path) -> None:
    show = (
        "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.CSRF_TRUSTED_ORIGINS)"
    )
    done = run_gongkai(production_env(tmp_path), "shell", "-c", show)
    assert done.stdout.strip().splitlines()[-1] == (
        "('HTTP_X_FORWARDED_PROTO', 'https') True 31536000 True True ['https://gongkai.example.gov.cn']"
    )
    env = production_env(tmp_path)
    env.update(GONGKAI_SECURE_SSL_REDIRECT="false", GONGKAI_HSTS_SECONDS="0", GONGKAI_CSRF_TRUSTED_ORIGINS="")
    done = run_gongkai(env, "shell", "-c", show)
    assert done.stdout.strip().splitlines()[-1] == (
        "('HTTP_X_FORWARDED_PROTO', 'https') False 0 True True []"
    )


def test_the_systemd_units_run_existing_commands_with_the_environment_file() -> None:
    commands = get_commands()
    for unit in ("gongkai-web.service", "gongkai-worker.service"):
        text = (ROOT / "deploy" / "systemd" / unit).read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/gongkai/gongkai.env" in text
        start = re.search(r"^ExecStart=\S+/gongkai (\S+)", text, re.MULTILINE)
        assert start is not None and start[1] in commands


def test_nginx_accepts_the_largest_upload_the_app_accepts() -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size (\d+)m;", text)
    assert size is not None and int(size[1]) > settings.GONGKAI_ATTACHMENT_MAX_MB
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "alias /var/lib/gongkai/static/;" in text and "/media" not in text.split("# No location")[0]


def test_serve_builds_the_gunicorn_command_from_the_environment(tmp_path: Path) -> None:
    env = clean_environment(
        GONGKAI_DATA_DIR=str(tmp_path),
        GONGKAI_BIND="unix:/run/gongkai/web.sock",
        GONGKAI_WEB_WORKERS="3",
        GONGKAI_WEB_THREADS="8",
        GONGKAI_WEB_TIMEOUT="90",
    )
    done = run_gongkai(env, "serve", "--dry-run", "--workers", "5")
    argv = done.stdout.split()
    assert argv[1:4] == ["-m", "gunicorn", "gongkai.wsgi:application"]
    pairs = dict(zip(argv[4::2], argv[5::2], strict=False))
    assert pairs["--bind"] == "unix:/run/gongkai/web.sock"
    assert (pairs["--workers"], pairs["--threads"], pairs["--timeout"]) == ("5", "8", "90")
    assert pairs["--worker-class"] == "gthread"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  # a loopback URL of ours
                return response.status, dict(response.headers), response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.parametrize("launcher", ["serve", "serve.sh"])
def test_the_bundled_server_serves_pages_and_static_files_then_stops(tmp_path: Path, launcher: str) -> None:
    port = _free_port()
    env = clean_environment(GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_BIND=f"127.0.0.1:{port}")
    command = (
        [sys.executable, "-m", "gongkai", "serve", "--workers", "1"]
        if launcher == "serve"
        else ["bash", str(ROOT / "scripts" / "serve.sh"), "--workers", "1"]
    )
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        status, headers, body = _get(f"{base}/static/gongkai/site.css", time.monotonic() + 90)
        assert status == 200 and body == (ROOT / "gongkai" / "static" / "gongkai" / "site.css").read_bytes()
        status, headers, body = _get(f"{base}/api/v1/docs", time.monotonic() + 10)
        assert status == 200 and headers["Server"] == "gunicorn"
        assert "Content-Security-Policy" in headers and b"/static/ninja/swagger-ui-bundle.js" in body
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=60)
    assert server.returncode in (0, 143), stderr.decode()
    if launcher == "serve.sh":
        assert (tmp_path / "huey.log").exists()  # the worker ran beside the server
    time.sleep(1)
    assert _processes_with(f"GONGKAI_DATA_DIR={tmp_path}".encode()) == []  # server and worker are gone


def _processes_with(variable: bytes) -> list[int]:
    """The processes whose environment holds ``variable`` (NAME=value): ours, started by the test."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if variable in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found
