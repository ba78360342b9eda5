"""A fresh load drops the big tables' secondary indexes and recreates them with the same definitions; an
exception or a killed process never leaves the database without them silently."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.catalog.models import Publication
from gongkai.synth import indexes, loadmode, records
from gongkai.synth.build import Spec, bulk_models, synthesise

pytestmark = pytest.mark.django_db
SMALL = Spec(bodies=40, publications=600, cases=80, tickets=120, years=(2016, 2022), seed=3, batch=250)
PUBLICATIONS = str(Publication._meta.db_table)


def _tables() -> list[str]:
    return [str(m._meta.db_table) for m in bulk_models()]


def test_the_set_comes_from_the_catalog_and_leaves_unique_and_primary_keys() -> None:
    found = indexes.secondary(_tables())
    names = {i.name for i in found}
    assert {"pub_body_published", "pub_normative_issued", "posting_channel_day", "req_body_receipt"} <= names
    every = {(t, n): sql for t, n, sql in indexes.schema()}
    for index in found:
        assert every[(index.table, index.name)] == index.sql  # the catalog's own SQL, byte for byte
        assert "UNIQUE" not in index.sql.upper()
    # the unique index number (statutory-reference §5) stays enforced during a load
    assert not any("index_serial" in i.sql for i in found)


def test_a_synth_leaves_the_schema_exactly_as_the_migrations_made_it(monkeypatch: Any) -> None:
    before = indexes.schema()
    during: list[list[indexes.Index]] = []
    original = records.publications

    def spy(s: records.Synth, n: int) -> int:
        during.append(indexes.secondary([PUBLICATIONS]))
        return original(s, n)

    monkeypatch.setattr(records, "publications", spy)
    lines: list[str] = []
    timings = synthesise(SMALL, say=lines.append)
    assert during == [[]]  # the load ran without them
    assert indexes.schema() == before  # same names, same SQL, nothing left over
    assert indexes.pending() == []
    assert indexes.PENDING not in connection.introspection.table_names()
    assert Publication.objects.count() == SMALL.publications
    for key in ("publications_s", "indexes_s", "search_s", "total_s"):
        assert key in timings
    assert any(
        line.startswith("各步用时：") and "indexes" in line and "search index" in line for line in lines
    )


def test_keeping_the_indexes_keeps_them_during_the_load(monkeypatch: Any) -> None:
    during: list[int] = []
    original = records.publications

    def spy(s: records.Synth, n: int) -> int:
        during.append(len(indexes.secondary([PUBLICATIONS])))
        return original(s, n)

    monkeypatch.setattr(records, "publications", spy)
    synthesise(SMALL, say=lambda _line: None, drop_indexes=False)
    assert during[0] > 0


def test_an_exception_in_the_middle_of_a_load_recreates_the_indexes(monkeypatch: Any) -> None:
    before = indexes.schema()

    def broken(s: records.Synth, n: int) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(records, "requests", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        synthesise(SMALL, say=lambda _line: None)
    assert indexes.schema() == before
    assert indexes.pending() == []


def test_a_killed_load_leaves_its_definitions_and_repair_restores_them() -> None:
    before = indexes.schema()
    dropped = indexes.drop(bulk_models())  # the process is killed here: no finally runs
    assert dropped and indexes.schema() != before
    assert indexes.pending() == sorted(dropped, key=lambda i: (i.table, i.name))
    out = io.StringIO()
    call_command("synth", "--repair", stdout=out)
    assert indexes.schema() == before
    assert indexes.pending() == []
    assert str(len(dropped)) in out.getvalue()


def test_a_rerun_restores_them_first_and_an_index_made_again_meanwhile_is_only_struck_off() -> None:
    before = indexes.schema()
    dropped = indexes.drop(bulk_models())
    with connection.cursor() as cursor:
        cursor.execute(dropped[0].sql)  # as a migration remaking the table would
    out = io.StringIO()
    call_command(
        "synth", "--bodies", "20", "--publications", "50", "--cases", "5", "--tickets", "8", stdout=out
    )
    assert indexes.schema() == before
    assert indexes.pending() == []
    assert Publication.objects.count() == 50


def test_the_load_settings_are_put_back() -> None:
    before = loadmode.current()
    with loadmode.bulk_settings() as wanted:
        assert wanted
        now = loadmode.current()
        assert all(now[k].lower() == v.lower() or now[k] == str(_number(v)) for k, v in wanted.items())
    assert loadmode.current() == before


def _number(value: str) -> int | str:
    names = {"off": 0, "memory": 2}
    return names.get(value.lower(), value)
