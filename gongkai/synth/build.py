"""``synthesise``: a whole synthetic province, deterministic for a seed (``random.Random(seed)`` drives every
choice; ids depend only on the database being empty first)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog.models import Publication
from gongkai.organisations.models import Organisation
from gongkai.synth import records, table2
from gongkai.synth.progress import Progress
from gongkai.synth.tree import plan_tree, write_tree


class SynthError(ValueError):
    """Arguments or database state that make synthesis impossible; the message says which."""


@dataclass(frozen=True)
class Spec:
    bodies: int
    publications: int
    cases: int
    tickets: int
    years: tuple[int, int]
    seed: int = 1
    batch: int = 20_000
    code_prefix: str = "S"


def check(spec: Spec, *, append: bool, force: bool) -> None:
    if spec.bodies < 10:
        raise SynthError(_("--bodies 至少为 10（省政府及其部门、一个市）"))
    if min(spec.publications, spec.cases, spec.tickets) < 0:
        raise SynthError(_("记录数不能为负数"))
    first, last = spec.years
    if not (2008 <= first <= last <= timezone.localdate().year):
        raise SynthError(_("--years 须在 2008 年至今年之间，且起始年不晚于结束年，例如 2014-2025"))
    if settings.PRODUCTION and not force:
        raise SynthError(_("生产环境（GONGKAI_ENV=production）中不生成合成数据；确需生成请加 --force"))
    if not append and (Organisation.objects.exists() or Publication.objects.exists()):
        raise SynthError(_("数据库中已有数据：合成数据应写入空数据库（或加 --append 追加，编码前缀须不同）"))
    if append and Organisation.objects.filter(org_code__startswith=spec.code_prefix).exists():
        raise SynthError(
            _("编码前缀 %(p)s 已被使用：追加时请用 --code-prefix 指定另一个字母") % {"p": spec.code_prefix}
        )


def synthesise(spec: Spec, say: Callable[[str], None] = print) -> dict[str, float]:
    rng = random.Random(spec.seed)
    records.finish()  # forget id counters of an earlier run in this process
    started = time.perf_counter()
    plan = plan_tree(rng, spec.bodies, spec.years)
    orgs = write_tree(plan, spec.code_prefix)
    say(f"bodies: {len(orgs)}")
    s = records.Synth(rng, orgs, spec.years, spec.batch)
    timings: dict[str, float] = {"bodies": float(len(orgs))}
    for name, step, n in (
        ("publications", records.publications, spec.publications),
        ("cases", records.requests, spec.cases),
        ("tickets", records.hotline, spec.tickets),
    ):
        t0 = time.perf_counter()
        step(s, n)
        timings[f"{name}_s"] = time.perf_counter() - t0
        say(f"{name}: {n} in {timings[f'{name}_s']:.1f}s ({n / max(timings[f'{name}_s'], 1e-9):,.0f}/s)")
    records.concern_and_figures(s)
    table2.proactive_figures(s)
    records.finish()
    timings["records_s"] = time.perf_counter() - started
    derived(say)
    timings["total_s"] = time.perf_counter() - started
    return timings


# Derived data rebuilt after a load, where the app is installed: (app, module, function).
DERIVED = (
    ("gongkai.figures", "gongkai.figures", "rebuild"),
    ("gongkai.catalogstats", "gongkai.catalogstats.counts", "rebuild_counts"),
)


def derived(say: Callable[[str], None]) -> None:
    """Derived data the loaders keep: the search index, and the aggregates where they exist."""
    t0 = time.perf_counter()
    from gongkai.search import rebuild

    rebuild(bar("search index"))
    say(f"search index rebuilt in {time.perf_counter() - t0:.1f}s")
    for app, module, function in DERIVED:
        if not apps.is_installed(app):  # an app being written but not yet installed is skipped
            continue
        target = getattr(__import__(module, fromlist=[function]), function)
        t0 = time.perf_counter()
        if module == "gongkai.figures":
            target(progress=bar("figures"))  # bodies × years, with a progress bar
        else:
            target()
        say(f"{module}.{function} in {time.perf_counter() - t0:.1f}s")


def bar(label: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback drawing a ``Progress`` bar (created on the first call)."""
    shown: list[Progress] = []

    def report(done: int, total: int) -> None:
        if not shown:
            shown.append(Progress(label, total))
        shown[0].advance(done - shown[0].done)

    return report
