"""Rebuilding is idempotent and audited once; re-indexing follows deletions and template changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from gongkai.audit.models import AuditEntry
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import IndexNumberTemplate, Publication
from gongkai.search import Filters, get_backend, rebuild, reindex, search
from gongkai.search.models import SearchEntry
from tests.search.conftest import Corpus, Oracle, ids

pytestmark = pytest.mark.django_db
ALL = Filters(include_unpublished=True)


def _entries() -> list[tuple[int, str, str, str, str]]:
    return list(
        SearchEntry.objects.order_by("pk").values_list(
            "publication_id", "title", "document_number", "index_number", "body"
        )
    )


def _fts_rows() -> int | None:
    """Distinct rowids in the SQLite FTS index (None on other databases)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, 'row')"
        )
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
        cursor.execute("SELECT count(*) FROM search_vocab")
        return int(cursor.fetchone()[0])


def test_rebuild_is_idempotent(corpus: Corpus, oracle: Oracle) -> None:
    before = _entries()
    vocab = _fts_rows()
    queries = ["政", "行政", "許政辦", "通知 财政"]
    results = [ids(q, ALL) for q in queries]
    assert rebuild() == len(corpus.pubs) == len(before)
    assert rebuild() == len(corpus.pubs)
    assert _entries() == before
    assert _fts_rows() == vocab
    assert [ids(q, ALL) for q in queries] == results == [oracle(q, ALL) for q in queries]
    entries = AuditEntry.objects.filter(action="search.rebuild")
    assert entries.count() == 3  # the fixture's rebuild and these two, one entry each
    assert {e.batch_size for e in entries} == {len(corpus.pubs)}


def test_rebuild_reports_progress(corpus: Corpus) -> None:
    calls: list[tuple[int, int]] = []
    rebuild(lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(corpus.pubs), len(corpus.pubs))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_reindex_of_changed_rows_replaces_their_tokens(corpus: Corpus) -> None:
    pub = corpus.pubs[0]
    Publication.objects.filter(pk=pub.pk).update(title="全新的标题文字", status="published")
    assert ids("全新的标题", ALL) == []  # a direct update is not seen until re-indexed
    assert reindex([pub.pk]) == 1
    assert ids("全新的标题", ALL) == [pub.pk]
    assert pub.pk not in ids(pub.title, ALL)
    if connection.vendor == "sqlite":
        _fts_rows()  # the FTS5 index is still consistent after the delete-and-insert


def test_deleted_publications_leave_the_index(corpus: Corpus) -> None:
    gone, also_gone = corpus.pubs[1], corpus.pubs[2]
    gone_pk, title = gone.pk, gone.title
    assert ids(title, ALL).count(gone_pk) == 1
    gone.delete()  # cascades to the index row (and, on SQLite, its FTS tokens)
    Publication.objects.filter(pk=also_gone.pk).delete()
    assert reindex([gone_pk, also_gone.pk]) == 0
    assert not SearchEntry.objects.filter(pk__in=[gone_pk, also_gone.pk]).exists()
    assert gone_pk not in ids(title, ALL)
    if connection.vendor == "sqlite":
        _fts_rows()


def test_a_changed_template_re_indexes_the_subtree_on_commit(
    corpus: Corpus, django_capture_on_commit_callbacks: Any
) -> None:
    tree = corpus.tree
    item = next(p for p in corpus.pubs if p.body_id == tree.school_office.pk)  # below education
    other = next(p for p in corpus.pubs if p.body_id == tree.city.pk)
    new_number = f"jy{item.index_year}#{item.index_serial:06d}"
    with django_capture_on_commit_callbacks(execute=True):
        template = IndexNumberTemplate.objects.create(body=tree.education, template="JY{year}#{serial:06d}")
    assert ids(new_number, ALL) == [item.pk]
    assert ids(f"jy{other.index_year}#{other.index_serial:06d}", ALL) == []
    with django_capture_on_commit_callbacks(execute=True):
        template.delete()
    assert ids(new_number, ALL) == []
    assert item.pk in ids(index_number(item), ALL)


def test_the_backend_follows_the_database(settings: object, search_backend: str) -> None:
    expected = {"sqlite": "sqlite", "postgresql": "postgres"}[connection.vendor]
    assert get_backend().name == ("tantivy" if search_backend == "tantivy" else expected)


def test_a_one_character_title_is_found(corpus: Corpus) -> None:
    pub = Publication.objects.create(
        body=corpus.tree.city,
        index_code=corpus.tree.city.org_code,
        index_year=2030,
        index_serial=1,
        title="龘",
        made_on=dt.date(2025, 1, 1),
        status="draft",
    )
    reindex([pub.pk])
    assert ids("龘", ALL) == [pub.pk]
    assert search("龘").total == 0
