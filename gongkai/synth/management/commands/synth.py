"""``gongkai synth``: a realistic synthetic province for benchmarks and load tests (docs/synth.md)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.synth.build import Spec, SynthError, check, repair, synthesise


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
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="keep the big tables' secondary indexes during a fresh load (dropped and rebuilt by default)",
        )
        parser.add_argument(
            "--repair",
            action="store_true",
            help="only recreate the indexes an interrupted load left dropped, then stop",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        say = self.stdout.write
        restored = repair(say)  # an interrupted earlier load: its indexes first, whatever is asked
        if restored or opts["repair"]:
            say(_("索引：已按记录的定义重建 %(n)d 个被中断的加载删除的索引") % {"n": restored})
        if opts["repair"]:
            return
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
        # a fresh load drops the secondary indexes and rebuilds them after; an append (into a database that
        # may be in use, with tables much larger than the addition) keeps them
        drop = not opts["append"] and not opts["keep_indexes"]
        timings = synthesise(spec, say=say, drop_indexes=drop)
        self.stdout.write(f"done in {timings['total_s']:.1f}s (records {timings['records_s']:.1f}s)")
