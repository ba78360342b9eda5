"""The bundled production web server: gunicorn with threaded workers, configured from the settings
(``GONGKAI_BIND``, ``GONGKAI_WEB_*``; docs/deploy.md). The huey worker runs beside it as its own process
(``gongkai run_huey``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int
    timeout: int
    graceful_timeout: int
    max_requests: int
    forwarded_allow_ips: str

    @classmethod
    def from_settings(cls) -> ServerOptions:
        return cls(
            bind=settings.GONGKAI_BIND,
            workers=settings.GONGKAI_WEB_WORKERS,
            threads=settings.GONGKAI_WEB_THREADS,
            timeout=settings.GONGKAI_WEB_TIMEOUT,
            graceful_timeout=settings.GONGKAI_WEB_GRACEFUL_TIMEOUT,
            max_requests=settings.GONGKAI_WEB_MAX_REQUESTS,
            forwarded_allow_ips=settings.GONGKAI_FORWARDED_ALLOW_IPS,
        )


def gunicorn_argv(options: ServerOptions) -> list[str]:
    """The command line that runs gunicorn for gongkai's WSGI application with these options."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "gongkai.wsgi:application",
        "--bind",
        options.bind,
        "--worker-class",
        "gthread",
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--timeout",
        str(options.timeout),
        "--graceful-timeout",
        str(options.graceful_timeout),
        "--max-requests",
        str(options.max_requests),
        "--max-requests-jitter",
        str(max(options.max_requests // 10, 0)),
        "--forwarded-allow-ips",
        options.forwarded_allow_ips,
        "--access-logfile",
        "-",
        "--no-control-socket",  # no socket in the service account's home; stop with SIGTERM, reload with SIGHUP
    ]


def warm_up() -> None:
    """Pay at a worker's start what its first requests would otherwise pay while others queue behind them: the
    URLconf with every view module it imports, and each language's translation catalogs. A replaced worker
    then serves at full speed from its first request (docs/scaling.md, "Web processes")."""
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 — imports every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("政府信息公开")
