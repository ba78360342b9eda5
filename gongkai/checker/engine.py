"""The report checker end to end (report-checker issue, Deliver 1; docs/checker.md): read → tables → narrative
→ rules, into one :class:`~gongkai.checker.types.Result` (what ``gongkai check-report --json`` prints).

``check_document(doc, previous)`` checks a read report (``previous``: last year's report of the body, for the
cross-year rules); ``check_bytes`` and ``check_path`` read the file first (:mod:`gongkai.checker.reading`, which
raises ``UnreadableReport`` with one clear line for a file that cannot be read).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from gongkai.checker import tables
from gongkai.checker.types import Finding, NarrativeFigure, Result


def _module(name: str) -> ModuleType | None:
    """The narrative and rules modules (written by another helper): the engine works without them."""
    try:
        return __import__(f"gongkai.checker.{name}", fromlist=[name])
    except ImportError:  # pragma: no cover - both are part of the checker
        return None


def extract(doc: Any) -> Result:
    """Format, body, year, cells and narrative figures of ``doc``, with the tables' own findings (ambiguous
    cells) but no rule findings."""
    extraction = tables.extract(doc)
    result = Result(extraction.format, extraction.body, extraction.year, list(extraction.cells))
    narrative = _module("narrative")
    if narrative is not None:
        figures: list[NarrativeFigure] = list(narrative.extract(doc, extraction))
        result.narrative = figures
    result.findings = list(extraction.findings)
    return result


def check_document(doc: Any, previous: Any | None = None) -> Result:
    """Every cell, narrative figure and finding of ``doc``; ``previous`` (a Document of last year's report)
    adds the cross-year rules."""
    result = extract(doc)
    last_year = extract(previous) if previous is not None else None
    rules = _module("rules")
    if rules is not None:
        found: list[Finding] = list(rules.check(result, doc, last_year))
        result.findings += found
    return result


def check_bytes(data: bytes, filename: str, previous: tuple[bytes, str] | None = None) -> Result:
    from gongkai.checker import reading

    doc = reading.read_bytes(data, filename)
    before = reading.read_bytes(*previous) if previous is not None else None
    return check_document(doc, before)


def check_path(path: str | Path, previous_path: str | Path | None = None) -> Result:
    from gongkai.checker import reading

    doc = reading.read_path(path)
    before = reading.read_path(previous_path) if previous_path is not None else None
    return check_document(doc, before)
