"""Bulk import of proactive-disclosure publications (主动公开) from CSV, XLSX or JSON (issue 4, deliverable 5).

    report = import_publications(actor, Path("items.csv"), skip_bad=False, dry_run=False)

The file is read whole, every row is checked with set-wise look-ups, and then the whole file is written in one
transaction (bulk inserts and updates, one audit entry per batch) — or nothing is, and ``ImportFailed`` lists
every bad row with its line and column. ``skip_bad`` writes the good rows and reports the bad ones.

Idempotent by index number (索引号, statutory-reference §5): a row whose publication exists and is unchanged
changes nothing; a changed row makes a new version (the old one kept); a row never makes a duplicate. No
publication without a passed confidentiality review (保密审查, 2019 Regulations art 17). The column mapping and
every rule are documented in docs/import-export.md."""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor
from gongkai.catalog.actions import changed_on_commit
from gongkai.catalog.importing.files import (
    COLUMNS,
    ImportFailed,
    Problem,
    Progress,
    map_headers,
    read_table,
)
from gongkai.catalog.importing.lookups import Lookups
from gongkai.catalog.importing.plan import plan
from gongkai.catalog.importing.rows import Planned, RowParser
from gongkai.catalog.importing.write import write_all

__all__ = ["COLUMNS", "ImportFailed", "ImportReport", "Problem", "Progress", "import_publications"]


@dataclass
class ImportReport:
    rows: int
    counts: Counter[str] = field(default_factory=Counter)  # create / revise / update / unchanged
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written_ids: list[int] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        c = self.counts
        return _(
            "共%(rows)d行：新增%(create)d条，新版本%(revise)d条，状态或记录更新%(update)d条，"
            "未变%(unchanged)d条，错误%(bad)d行"
        ) % {
            "rows": self.rows,
            "create": c["create"],
            "revise": c["revise"],
            "update": c["update"],
            "unchanged": c["unchanged"],
            "bad": len({p.where for p in self.problems}),
        }


def _check_rows(
    path: Path, encoding: str | None, stream: TextIO | None
) -> tuple[int, list[Planned], list[Problem], list[Problem]]:
    table = read_table(path, encoding)
    mapping = map_headers(table.headers)
    header = mapping.headers.get("reviewer")
    reviewers = {str(r.cells.get(header, "")) for r in table.rows} if header else set()
    lookups = Lookups(reviewers)
    parser = RowParser(lookups, mapping, timezone.localdate())
    progress = Progress(_("校验"), len(table.rows), stream)
    parsed: list[Planned] = []
    problems: list[Problem] = []
    for source in table.rows:
        planned, row_problems = parser.parse(source)
        problems += row_problems
        if planned is not None:
            parsed.append(planned)
        progress.advance()
    progress.close()
    good = plan(parsed, lookups, mapping, problems)
    label = mapping.label("title")
    warnings = mapping.warnings + [
        Problem(p.where, label, w) for p in good if p.action in {"create", "revise"} for w in p.warnings
    ]
    return len(table.rows), good, problems, warnings


def import_publications(
    actor: Actor,
    path: Path,
    *,
    encoding: str | None = None,
    skip_bad: bool = False,
    dry_run: bool = False,
    progress_stream: TextIO | None = None,
) -> ImportReport:
    """Validate ``path`` and write it (unless ``dry_run``); raises ``ImportFailed`` when any row is bad and
    ``skip_bad`` is not set, having written nothing."""
    with _no_cyclic_gc():
        return _import(actor, path, encoding, skip_bad, dry_run, progress_stream)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a file's rows are held: its full passes over the growing heap
    cost about a fifth of an import's time and find nothing (rows are not cyclic); reference counting still
    frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(
    actor: Actor,
    path: Path,
    encoding: str | None,
    skip_bad: bool,
    dry_run: bool,
    progress_stream: TextIO | None,
) -> ImportReport:
    rows, good, problems, warnings = _check_rows(path, encoding, progress_stream)
    if problems and not skip_bad:
        raise ImportFailed(problems, warnings)
    report = ImportReport(rows, Counter(p.action for p in good), problems, warnings, dry_run=dry_run)
    if dry_run:
        return report
    to_write = sum(1 for p in good if p.action in {"create", "revise", "update"})
    if not to_write:
        return report
    progress = Progress(_("写入"), to_write, progress_stream)
    with transaction.atomic():
        report.written_ids = write_all(actor, good, path.name, progress.advance)
        changed_on_commit(report.written_ids)
    progress.close()
    return report
