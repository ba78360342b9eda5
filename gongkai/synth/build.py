"""``synthesise``: a whole synthetic province, deterministic for a seed (``random.Random(seed)`` drives every
choice; ids depend only on the database being empty first)."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalog.models import Publication
from gongkai.organisations.models import Organisation
from gongkai.synth import indexes, loadmode, records, table2
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


# The tables the loader fills in bulk: their secondary indexes are dropped during a fresh load (indexes.py).
def bulk_models() -> list[type[models.Model]]:
    from gongkai.audit.models import AuditEntry
    from gongkai.cases.models import (
        AdministrativeReview,
        Applicant,
        FeeCollected,
        InformationRequest,
        Lawsuit,
    )
    from gongkai.catalog.models import PublicationChannel
    from gongkai.hotline.models import Ticket
    from gongkai.mailbox.models import Letter as MailboxLetter

    return [
        Publication,
        PublicationChannel,
        Applicant,
        InformationRequest,
        AdministrativeReview,
        Lawsuit,
        FeeCollected,
        Ticket,
        MailboxLetter,
        AuditEntry,
    ]


def synthesise(
    spec: Spec, say: Callable[[str], None] = print, *, drop_indexes: bool = True
) -> dict[str, float]:
    """Write the province, then its derived data. With ``drop_indexes`` (a fresh load) the big tables'
    secondary indexes are dropped for the load and recreated after it, in a ``finally``: an exception leaves
    them in place, a killed process leaves their definitions for ``indexes.restore``. Returns timings."""
    rng = random.Random(spec.seed)
    records.finish()  # forget id counters of an earlier run in this process
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with loadmode.bulk_settings():
        repair(say)  # indexes an interrupted earlier load left dropped come back first
        dropped = indexes.drop(bulk_models()) if drop_indexes else []
        if dropped:
            say(_("索引：加载期间暂时删除 %(n)d 个二级索引，加载后按原定义重建") % {"n": len(dropped)})
        try:
            _records(spec, rng, say, timings)
        finally:
            if dropped:
                _rebuild_indexes(say, timings)
        timings["records_s"] = time.perf_counter() - started
        timings.update(derived(say))
        with timed(timings, "analyze"):  # every table written, derived ones too: the planner needs them all
            indexes.analyze(connection.introspection.table_names())
        say(_("统计信息：已更新全部数据表，用时 %(s).1f 秒") % {"s": timings["analyze_s"]})
    timings["total_s"] = time.perf_counter() - started
    say(summary(timings))
    return timings


def _records(spec: Spec, rng: random.Random, say: Callable[[str], None], timings: dict[str, float]) -> None:
    plan = plan_tree(rng, spec.bodies, spec.years)
    orgs = write_tree(plan, spec.code_prefix)
    say(f"bodies: {len(orgs)}")
    timings["bodies"] = float(len(orgs))
    s = records.Synth(rng, orgs, spec.years, spec.batch)
    for name, step, n in (
        ("publications", records.publications, spec.publications),
        ("cases", records.requests, spec.cases),
        ("tickets", records.hotline, spec.tickets),
    ):
        with timed(timings, name):
            step(s, n)
        wall, cpu = timings[f"{name}_s"], timings[f"{name}_cpu_s"]
        say(
            f"{name}: {n} in {wall:.1f}s ({n / max(wall, 1e-9):,.0f}/s; CPU {cpu:.1f}s, {n / max(cpu, 1e-9):,.0f}/s)"
        )
    with timed(timings, "yearly"):
        records.concern_and_figures(s)
        table2.proactive_figures(s)
        records.finish()


@contextlib.contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """``<name>_s`` (wall) and ``<name>_cpu_s`` (this process's CPU: on SQLite that includes the database
    engine, on PostgreSQL it does not) of the block. On a shared machine the CPU time is the fairer figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        timings[f"{name}_s"] = time.perf_counter() - wall
        timings[f"{name}_cpu_s"] = time.process_time() - cpu


def _rebuild_indexes(say: Callable[[str], None], timings: dict[str, float]) -> None:
    say(_("索引：重建中……"))
    with timed(timings, "indexes"):
        tables = {index.table for index in indexes.restore(say)}
        indexes.analyze(tables)
    say(_("索引：重建并更新统计信息，用时 %(s).1f 秒") % {"s": timings["indexes_s"]})


def repair(say: Callable[[str], None] = print) -> int:
    """Recreate the indexes an interrupted load left dropped; returns how many."""
    done = indexes.restore(say)
    if done:
        indexes.analyze({index.table for index in done})
    return len(done)


# Derived data rebuilt after a load, where the app is installed: (app, module, function).
DERIVED = (
    ("gongkai.figures", "gongkai.figures", "rebuild"),
    ("gongkai.catalogstats", "gongkai.catalogstats.counts", "rebuild_counts"),
)


def derived(say: Callable[[str], None]) -> dict[str, float]:
    """Derived data the loaders keep: the search index, and the aggregates where they exist. Returns the
    seconds of each step (``search_s``, ``figures_s``, ``counts_s``)."""
    timings: dict[str, float] = {}
    from gongkai.search import rebuild

    with timed(timings, "search"):
        rebuild(bar("search index"))
    say(f"search index ({settings.GONGKAI_SEARCH_BACKEND}) rebuilt in {timings['search_s']:.1f}s")
    for app, module, function in DERIVED:
        if not apps.is_installed(app):  # an app being written but not yet installed is skipped
            continue
        target = getattr(__import__(module, fromlist=[function]), function)
        key = "figures" if module == "gongkai.figures" else "counts"
        with timed(timings, key):
            if key == "figures":
                target(progress=bar("figures"))  # bodies × years, with a progress bar
            else:
                target()
        say(f"{module}.{function} in {timings[f'{key}_s']:.1f}s")
    return timings


STEPS = (
    ("publications", "publications"),
    ("cases", "cases"),
    ("tickets", "tickets"),
    ("yearly", "yearly figures"),
    ("indexes", "indexes"),
    ("search", "search index"),
    ("figures", "figures"),
    ("counts", "counts"),
    ("analyze", "planner statistics"),
)


def summary(timings: dict[str, float]) -> str:
    """One line: the wall and CPU seconds of each step that ran, and the total."""
    parts = [
        f"{label} {timings[f'{key}_s']:.1f}s (CPU {timings.get(f'{key}_cpu_s', 0.0):.1f}s)"
        for key, label in STEPS
        if f"{key}_s" in timings
    ]
    return _("各步用时：%(steps)s；合计 %(total).1f 秒") % {
        "steps": ", ".join(parts),
        "total": timings.get("total_s", 0.0),
    }


def bar(label: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback drawing a ``Progress`` bar (created on the first call)."""
    shown: list[Progress] = []

    def report(done: int, total: int) -> None:
        if not shown:
            shown.append(Progress(label, total))
        shown[0].advance(done - shown[0].done)

    return report
