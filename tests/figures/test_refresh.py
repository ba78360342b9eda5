"""Refreshing marked aggregates (gongkai.figures.store): a change committed while a refresh computes is never
lost (the marks' version counter), and a change recomputes only the statistics reading the tables it wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q

from gongkai.cases import transitions as t
from gongkai.figures import store
from gongkai.figures.compute import compute_year
from gongkai.figures.models import BodyFigure, FigureState
from gongkai.reports.registry import Context, Scope
from tests.conftest import Personas, Tree, publish_normative

pytestmark = pytest.mark.django_db
YEAR = 2024
KEY = "t3.new.6"  # Table 3 本年新收·总计


def _register(personas: Personas, tree: Tree) -> None:
    with transaction.atomic():
        t.register(
            personas.clerk,
            tree.education,
            received=dt.date(YEAR, 3, 3),
            channel="online",
            applicant_kind="natural",
            subject="申请",
        )


def _stored(tree: Tree) -> Decimal | None:
    row = BodyFigure.objects.filter(org=tree.education, year=YEAR, key=KEY).first()
    return row.value if row is not None else None


def _state(tree: Tree) -> FigureState:
    return FigureState.objects.get(org=tree.education, year=YEAR)


def _both(tree: Tree) -> tuple[object, object]:
    aggregated = Context(org=tree.education, year=YEAR, scope=Scope.OWN).value(KEY)
    live = Context(org=tree.education, year=YEAR, scope=Scope.OWN, live=True).value(KEY)
    return aggregated, live


Compute = Callable[[int, Iterable[int] | None, Collection[str] | None], dict[tuple[int, str], Decimal]]


def _during_compute(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> None:
    """Run ``meanwhile`` once, after the next computation read the records and before it stores its values."""
    real: Compute = compute_year
    done: list[bool] = []

    def compute(year: int, ids: Iterable[int] | None, keys: Collection[str] | None = None) -> Any:
        values = real(year, ids, keys)
        if not done:
            done.append(True)
            meanwhile()
        return values

    monkeypatch.setattr(store, "compute_year", compute)


def _only_education(tree: Tree) -> Q:
    return Q(org_id=tree.education.pk)


def test_two_interleaved_refreshes_keep_the_later_figures(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(personas, tree)
    store.refresh_dirty(YEAR)  # every other body clean: the refreshes below are the education bureau's

    _register(personas, tree)  # second request: the first refresh will count 2

    def second_write_and_refresh() -> None:
        _register(personas, tree)  # third request, committed while the first refresh computes
        assert store.refresh_dirty(YEAR, _only_education(tree)) == 1  # it counts 3 and stores them

    _during_compute(monkeypatch, second_write_and_refresh)
    assert store.refresh_dirty(YEAR, _only_education(tree)) == 0  # its 2 are stale: nothing stored
    monkeypatch.undo()
    assert _stored(tree) == 3
    assert not _state(tree).dirty
    assert _both(tree) == (3, 3)


def test_a_change_during_a_refresh_leaves_the_body_dirty(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(personas, tree)
    store.refresh_dirty(YEAR)
    _register(personas, tree)
    version = _state(tree).version
    _during_compute(monkeypatch, lambda: _register(personas, tree))
    store.refresh_dirty(YEAR, _only_education(tree))
    monkeypatch.undo()
    state = _state(tree)
    assert state.dirty and state.version > version  # the write counted its marks
    assert _stored(tree) == 1  # the figures of before both marks: neither stale count was stored
    assert _both(tree) == (3, 3)  # the next read recomputes
    assert not _state(tree).dirty


def test_a_publication_recomputes_the_publication_statistics_only(
    tree: Tree, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(personas, tree)
    store.refresh_dirty(YEAR)
    publish_normative(tree, YEAR)
    assert set(_state(tree).tables.split(",")) == {"catalog_publication", "catalog_publicationchannel"}
    asked: list[Collection[str] | None] = []
    real: Compute = compute_year

    def spy(year: int, ids: Iterable[int] | None, keys: Collection[str] | None = None) -> Any:
        asked.append(keys)
        return real(year, ids, keys)

    monkeypatch.setattr(store, "compute_year", spy)
    scope = Context(org=tree.education, year=YEAR, scope=Scope.OWN)
    live = Context(org=tree.education, year=YEAR, scope=Scope.OWN, live=True)
    normative = [k for k in ("t2.normative.issued", "t2.normative.in_force") if k in scope._stored()]
    assert len(asked) == 1 and asked[0] is not None
    assert KEY not in asked[0] and normative and set(normative) <= set(asked[0])
    assert all(scope.value(k) == live.value(k) for k in [*normative, KEY])
    state = _state(tree)
    assert not state.dirty and state.tables == ""
    assert BodyFigure.objects.filter(org=tree.education, year=YEAR, key=KEY).get().value == 1  # kept
