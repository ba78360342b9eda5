"""gongkai search-index rebuild [--index-only]

Rebuilds the full-text search index from the whole catalog (docs/search.md), printing progress."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.search import get_backend, rebuild


class Command(BaseCommand):
    help = "Maintain the full-text search index: `rebuild` replaces it from the whole catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"], help="rebuild: re-index every publication")
        parser.add_argument(
            "--index-only",
            action="store_true",
            help="tantivy: rebuild only the inverted index, leaving the database's search rows as they are",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        backend = get_backend()
        tty = self.stderr.isatty()

        def progress(done: int, total: int) -> None:
            line = f"indexed {done}/{total} ({100 * done // max(total, 1)}%)"
            if tty:
                self.stderr.write("\r" + line, ending="")
            else:
                self.stderr.write(line)

        if options["index_only"]:
            if not hasattr(backend, "rebuild_index"):
                raise CommandError(f"--index-only: the {backend.name} search backend has no separate index")
            n = backend.rebuild_index(progress)
        else:
            n = rebuild(progress)
        if tty:
            self.stderr.write("")
        self.stdout.write(
            f"search index ({backend.name}) rebuilt: {n} publications in {time.monotonic() - started:.1f}s"
        )
