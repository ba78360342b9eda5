"""A progress bar on stderr: redrawn in place on a terminal, plain lines (every 10 %) otherwise. Each shows the
mean rate so far and the rate since the previous line (``now``), so a load that slows down shows it."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self._last_decile = -1
        self._mark = (self.started, 0)  # (time, done) of the previous plain line

    def advance(self, n: int) -> None:
        self.done = min(self.total, self.done + n)
        share = self.done / self.total
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        if self.tty:
            bar = "#" * int(share * 30)
            self.stream.write(
                f"\r{self.label:<12} [{bar:<30}] {share:4.0%} {self.done}/{self.total} {rate:,.0f}/s"
            )
            if self.done >= self.total:
                self.stream.write("\n")
        elif int(share * 10) > self._last_decile:
            self._last_decile = int(share * 10)
            now = time.perf_counter()
            recent = (self.done - self._mark[1]) / max(now - self._mark[0], 1e-9)
            self._mark = (now, self.done)
            self.stream.write(
                f"{self.label}: {self.done}/{self.total} ({share:.0%}, {rate:,.0f}/s, now {recent:,.0f}/s)\n"
            )
        self.stream.flush()
