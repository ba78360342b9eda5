"""gongkai demo — load the demo city 许昌市 (idempotent: a loaded demo is left as it is)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.demo.generate import DEMO_PASSWORD, is_loaded, load


class Command(BaseCommand):
    help = "Load the demo city 许昌市 with 2014 records that add up to the seed annual report."

    def handle(self, *args: Any, **options: Any) -> None:
        if is_loaded():
            self.stdout.write("demo city already loaded")
            return
        started = time.monotonic()
        counts = load(progress=lambda msg: self.stdout.write(f"  {msg}"))
        self.stdout.write(
            f"demo city loaded in {time.monotonic() - started:.1f}s: "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
        )
        self.stdout.write(
            f"staff log-ins (password {DEMO_PASSWORD}): admin, city-clerk, city-office, city-supervisor, "
            "edu-clerk, edu-head, weidu-office"
        )
