"""Reports read submitted figures through ``gongkai.reports.submitted``, never by importing the submissions app
(no import circle between the two apps); the submissions app registers its roll-up when Django starts, and a
report refuses to count without it rather than count submitting bodies from their records."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.reports import submitted
from gongkai.reports.registry import Context, Scope
from gongkai.submissions import rollup
from tests.conftest import Tree

REPORTS = Path(__file__).resolve().parents[2] / "gongkai" / "reports"


def _imported(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_reports_import_nothing_of_the_submissions_app() -> None:
    files = [p for p in REPORTS.rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 10
    found = {
        f"{p.relative_to(REPORTS)}: {name}"
        for p in files
        for name in _imported(p)
        if name == "gongkai.submissions" or name.startswith("gongkai.submissions.")
    }
    assert found == set()


def test_the_submissions_app_registers_its_roll_up() -> None:
    assert submitted._registered == [rollup]


@pytest.mark.django_db
def test_a_report_refuses_to_count_without_submitted_figures(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(submitted, "_registered", [])
    with pytest.raises(ImproperlyConfigured):
        Context(org=tree.county, year=2025, scope=Scope.SUBTREE).body_ids()
