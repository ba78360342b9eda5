"""gongkai serve [--bind ADDRESS] [--workers N] [--threads N] [--timeout S] [--dry-run]

Runs the bundled production web server (gunicorn, threaded workers) in place of this process, so that a
service manager's signals reach it directly: SIGTERM stops it gracefully, SIGHUP reloads the workers. Defaults
come from GONGKAI_BIND and GONGKAI_WEB_* (docs/configuration.md); the huey worker is a separate process
(`gongkai run_huey`, or scripts/serve.sh which starts both)."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.ops.serving import ServerOptions, gunicorn_argv


class Command(BaseCommand):
    help = gettext_noop(
        "运行生产用 Web 服务器（gunicorn）；参数默认取自 GONGKAI_BIND 和 GONGKAI_WEB_* 环境变量。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help=_("监听地址，如 127.0.0.1:8000 或 unix:/run/gongkai/web.sock"))
        parser.add_argument("--workers", type=int, help=_("工作进程数"))
        parser.add_argument("--threads", type=int, help=_("每个工作进程的线程数"))
        parser.add_argument("--timeout", type=int, help=_("单个请求的最长秒数，超时则重启该工作进程"))
        parser.add_argument("--dry-run", action="store_true", help=_("只打印将要执行的命令"))

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = {k: options[k] for k in ("bind", "workers", "threads", "timeout") if options[k] is not None}
        server = dataclasses.replace(ServerOptions.from_settings(), **chosen)
        if min(server.workers, server.threads, server.timeout) < 1:
            raise CommandError(_("--workers、--threads 和 --timeout 必须是正整数"))
        argv = gunicorn_argv(server)
        if options["dry_run"]:
            self.stdout.write(" ".join(argv))
            return
        self.stdout.write(_("gongkai 在 %(bind)s 上运行（gunicorn）") % {"bind": server.bind})
        self.stdout.flush()
        connections.close_all()  # the server opens its own; none leaks into it
        os.execv(argv[0], argv)  # noqa: S606  # our own interpreter and arguments, no shell
