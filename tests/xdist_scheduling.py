"""Which test modules run on one xdist worker, and the scheduler that keeps them there.

A module whose fixture builds a costly world once per module (the demo city takes 75–110 s; a studio's exports,
the permission matrix's tree) builds it on every worker that runs one of its tests. `--dist loadgroup` (what
scripts/test.sh uses) runs each module named in ONE_WORKER as one unit on one worker, and every other test on
its own, as `--dist load` would. xdist's own loadgroup groups by `xdist_group` marks, renaming items through
``_nodeid``, which pytest 9.2 no longer reads: grouping by the module's path needs no mark.

Order: xdist puts larger units first (its `--loadscope-reorder`, on by default), so these modules start at once
on both workers, and the single tests follow in pytest-django's order: ordinary tests before transactional ones,
which empty the tables (data migrations' rows included). A module named here therefore must not hold a
transactional test, or it would run first and empty the tables under later tests: the workers check that when
they collect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ONE_WORKER = frozenset(
    {
        "tests/demo/test_demo_city.py",
        "tests/checker/test_roundtrip.py",
        "tests/reports/test_exports.py",
        "tests/security/test_permission_matrix.py",
        "tests/backups/test_backup_restore.py",
    }
)


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _scheduling_class() -> type:
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """LoadScopeScheduling whose scope is the module for ONE_WORKER modules and the test otherwise."""

        def _split_scope(self, nodeid: str) -> str:
            module = module_of(nodeid)
            return module if module in ONE_WORKER else nodeid

    return ModuleGroupScheduling


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist", None) != "loadgroup":
        return None
    return _scheduling_class()(config, log)


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "django_db_serialized_rollback"})


def check_grouped_modules(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A stale ONE_WORKER name would group nothing, and a transactional test in a grouped module would run early:
    both stop the run with the reason."""
    root = Path(str(config.rootpath))
    missing = sorted(name for name in ONE_WORKER if not (root / name).is_file())
    if missing:
        raise pytest.UsageError(f"tests/xdist_scheduling.py names modules that do not exist: {missing}")
    wrong = sorted(i.nodeid for i in items if module_of(i.nodeid) in ONE_WORKER and is_transactional(i))
    if wrong:
        raise pytest.UsageError(
            "a module run on one worker (tests/xdist_scheduling.py ONE_WORKER) holds transactional tests, which "
            f"would run before ordinary ones and empty their tables: {wrong[:5]}"
        )


def restores_data(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    serialized = marker is not None and bool(marker.kwargs.get("serialized_rollback"))
    return serialized or "django_db_serialized_rollback" in getattr(item, "fixturenames", ())


def check_transactional_tests_restore_data(items: list[pytest.Item]) -> None:
    """Every transactional test restores the data migrations' rows (``serialized_rollback=True``). One that does
    not empties the tables at its end and lets ``post_migrate`` create the content types again, numbered anew;
    a serialized test after it on the same worker then fails to load its rows ("UNIQUE constraint failed:
    django_content_type"), depending on where the scheduler put the two. Stop the run with the names."""
    wrong = sorted(i.nodeid for i in items if is_transactional(i) and not restores_data(i))
    if wrong:
        raise pytest.UsageError(
            "transactional tests without serialized_rollback=True (see tests/xdist_scheduling.py): "
            f"{wrong[:5]}"
        )
