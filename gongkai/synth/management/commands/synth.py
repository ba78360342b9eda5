"""``gongkai synth``: a realistic synthetic province for benchmarks and load tests (docs/synth.md)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.synth.build import Spec, SynthError, check, synthesise


def years(text: str) -> tuple[int, int]:
    try:
        first, _, last = text.partition("-")
        return int(first), int(last or first)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("years look like 2014-2025") from exc


class Command(BaseCommand):
    help = "Write a synthetic province (bodies, publications, cases, hotline tickets) into an empty database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bodies", type=int, default=600)
        parser.add_argument("--publications", type=int, default=100_000)
        parser.add_argument("--cases", type=int, default=6_000)
        parser.add_argument("--tickets", type=int, default=20_000)
        parser.add_argument("--years", type=years, default=(2014, 2025))
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument(
            "--code-prefix", default="S", help="first letter of the synthetic organisation codes"
        )
        parser.add_argument("--append", action="store_true", help="add to a database that already has data")
        parser.add_argument("--force", action="store_true", help="allow GONGKAI_ENV=production")

    def handle(self, *args: Any, **opts: Any) -> None:
        prefix = str(opts["code_prefix"]).upper()
        if len(prefix) != 1 or not prefix.isalpha():
            raise CommandError("--code-prefix is one letter")
        spec = Spec(
            opts["bodies"],
            opts["publications"],
            opts["cases"],
            opts["tickets"],
            opts["years"],
            opts["seed"],
            max(1000, opts["batch_size"]),
            prefix,
        )
        try:
            check(spec, append=opts["append"], force=opts["force"])
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        timings = synthesise(spec, say=lambda line: self.stdout.write(line))
        self.stdout.write(f"done in {timings['total_s']:.1f}s (records {timings['records_s']:.1f}s)")
