"""The tantivy index (docs/search.md, "The inverted index"): phrases of bigrams never match across a space, a
line break or two fields; a missing index falls back to the database; a second writer waits for the first;
a reader sees a commit made by another writer without reopening."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import threading
import time
from typing import Any

import pytest

from gongkai.catalog.models import Publication
from gongkai.search import Filters, reindex, search
from gongkai.search.inverted import TantivyBackend, _writer, forget_open_indexes, index_dir, open_index
from tests.conftest import Tree
from tests.search.conftest import Corpus, Oracle, ids, make_publication

pytestmark = pytest.mark.django_db
ALL = Filters(include_unpublished=True)


@pytest.fixture
def only_tantivy(search_backend: str) -> None:
    if search_backend != "tantivy":
        pytest.skip("the index itself")


def _item(tree: Tree, title: str, text: str = "", serial: int = 1) -> Publication:
    return make_publication(tree.city, serial, title, text, day=dt.date(2025, 1, 2), index_year=2030)


def test_no_match_across_a_space_a_line_or_two_fields(tree: Tree) -> None:
    a = _item(tree, "甲乙 丙丁", "", 1)
    b = _item(tree, "戊己", "庚辛", 2)
    c = _item(tree, "壬癸", "子丑\n寅卯", 3)
    reindex([a.pk, b.pk, c.pk])
    assert ids("乙丙") == [] and ids("己庚") == [] and ids("丑寅") == []
    assert ids("甲乙") == [a.pk] and ids("丙丁") == [a.pk] and ids("庚辛") == [b.pk] and ids("寅卯") == [c.pk]
    assert ids("乙 丙") == [a.pk] and ids("己 庚") == [b.pk]
    assert ids("甲乙甲") == [] and ids("乙") == [a.pk]


def test_a_missing_index_falls_back_to_the_database(
    corpus: Corpus, oracle: Oracle, only_tantivy: None
) -> None:
    assert ids("行政") == oracle("行政")
    shutil.rmtree(index_dir())
    forget_open_indexes()
    assert open_index() is None
    assert ids("行政") == oracle("行政") and ids("許", ALL) == oracle("許", ALL)


def test_a_second_writer_waits_for_the_first(tree: Tree, only_tantivy: None) -> None:
    """One writer at a time (tantivy's lock file): ``index`` waits for the writer another process holds."""
    pub = _item(tree, "等待写入的公告")
    TantivyBackend().rebuild()
    idx = open_index()
    assert idx is not None
    holder = idx.writer(heap_size=15_000_000, num_threads=1)
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(_writer(idx)))
    waiter.start()
    time.sleep(0.5)
    assert waiter.is_alive() and not got  # blocked on the lock
    holder.rollback()
    del holder
    gc.collect()
    waiter.join(timeout=20)
    assert len(got) == 1
    del got[:]
    gc.collect()
    Publication.objects.filter(pk=pub.pk).update(title="写入完成的公告")
    reindex([pub.pk])  # the lock is free again
    assert ids("写入完成") == [pub.pk] and ids("等待写入") == []


def test_a_reader_sees_another_writers_commit(tree: Tree, only_tantivy: None) -> None:
    """A web process keeps its ``Index`` open; a commit by another process's writer reaches it without
    reopening (the ``commit`` reload policy watches the index's meta file)."""
    pub = _item(tree, "读者看到的公告")
    TantivyBackend().rebuild()
    reader = open_index()
    assert reader is not None and reader.searcher().num_docs == 1
    other = _item(tree, "另一进程写入的读者公告", serial=2)
    forget_open_indexes()  # the writing process has its own Index object
    reindex([other.pk])
    deadline = time.monotonic() + 10
    while reader.searcher().num_docs < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader.searcher().num_docs == 2
    assert {h.publication_id for h in search("读者").hits} == {pub.pk, other.pk}


def test_the_worker_writes_the_index_when_asked(tree: Tree, only_tantivy: None, settings: Any) -> None:
    """``GONGKAI_SEARCH_INDEX_WRITER=worker``: the commit hook writes the database rows and enqueues the index
    write (run here by an immediate huey)."""
    from huey.contrib.djhuey import HUEY

    TantivyBackend().rebuild()
    pub = _item(tree, "由工作进程写入的公告")
    settings.GONGKAI_SEARCH_INDEX_WRITER = "worker"
    HUEY.immediate = False
    before = len(HUEY)
    reindex([pub.pk])
    assert len(HUEY) == before + 1  # queued, not yet in the index
    assert open_index().searcher().num_docs == 0  # type: ignore[union-attr]
    HUEY.flush()
    HUEY.immediate = True
    try:
        reindex([pub.pk])
    finally:
        HUEY.immediate = False
    assert ids("工作进程") == [pub.pk]


def test_a_deleted_publication_leaves_the_index_on_commit(
    corpus: Corpus, oracle: Oracle, django_capture_on_commit_callbacks: Any
) -> None:
    gone = corpus.pubs[1]
    assert gone.pk in ids(gone.title, ALL)
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    assert ids(gone.title, ALL) == Oracle()(gone.title, ALL)
    assert search(gone.title, ALL).total == len(Oracle()(gone.title, ALL))


def test_rebuilding_only_the_index_leaves_the_database_rows_and_finds_the_same(
    corpus: Corpus, oracle: Oracle, only_tantivy: None
) -> None:
    """``gongkai search-index rebuild --index-only``: a lost index directory comes back from one pass over the
    catalog, and the database's search rows are not rewritten."""
    from io import StringIO

    from django.core.management import call_command

    from gongkai.search.models import SearchEntry

    before = SearchEntry.objects.order_by("pk").values_list("pk", flat=True)[:5]
    first = list(before)
    shutil.rmtree(index_dir())
    forget_open_indexes()
    out, err = StringIO(), StringIO()
    call_command("search-index", "rebuild", "--index-only", stdout=out, stderr=err)
    assert f"indexed {len(corpus.pubs)}/{len(corpus.pubs)}" in err.getvalue()
    assert open_index() is not None
    assert list(SearchEntry.objects.order_by("pk").values_list("pk", flat=True)[:5]) == first  # not rewritten
    assert ids("行政") == oracle("行政") and ids("許", ALL) == oracle("許", ALL)


def test_index_only_is_refused_where_there_is_no_separate_index(search_backend: str) -> None:
    from django.core.management import CommandError, call_command

    if search_backend == "tantivy":
        pytest.skip("the database's own search")
    with pytest.raises(CommandError, match="--index-only"):
        call_command("search-index", "rebuild", "--index-only")
