"""An embedded inverted index (tantivy) behind ``gongkai.search.SearchBackend``: exact substring search whose
cost follows the posting lists, not the number of hits (issue 11, deliverable 3; docs/search.md).

Per searched field (title, document number, index number, body) two indexed fields:

* ``b_<field>``: the field's overlapping bigrams as whitespace-separated tokens, **with positions**; a pair
  holding a space or a line break becomes the filler token ``|`` so that positions stay character positions.
  A term of two or more characters is the phrase of bigrams at its even offsets (plus the last one), which
  holds exactly where the term is a substring: no re-check is needed.
* ``u_<field>``: the field's characters (no positions); a one-character term is one term query.

Filters are indexed integer fields (``body``, ``topic`` with the topic's parent, ``genre``, ``area``, ``year``,
``public``, ``normative``). ``rank`` is a fast field ``date ordinal × 2^33 + id``: ordering by it is the
documented tie-break (newest, then highest id) and gives the id back without reading a stored document.

The documented score (10 × title holds every term + number of fields holding a term) takes eight values; the
page is read level by level, each level a boolean query ordered by ``rank`` with its exact count.

Writes: one writer at a time (tantivy's lock file); ``index`` waits for the lock, commits, and every reader
(``Index`` with the ``commit`` reload policy) sees the new segment. The database rows of the SQL backend are
kept too, and serve every query while the index directory is missing (``gongkai search-index rebuild``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.db import connection

from gongkai.catalog.models import NormativeKind, Publication, PublicationStatus, Topic
from gongkai.search.backends import PostgresBackend, SqlBackend, SqliteBackend
from gongkai.search.indexing import Row, all_rows, bigram_texts, rows_for, template_resolver
from gongkai.search.service import Filters, SearchBackend

log = logging.getLogger(__name__)
FIELDS = ("title", "document_number", "index_number", "body")
FILLER = "|"
SHORT_FIELDS = ("document_number", "index_number")  # low-entropy strings: also indexed as 3- to 6-grams
MAX_GRAM = 6
ID_BITS = 33
ID_MASK = (1 << ID_BITS) - 1
WRITER_HEAP = 64_000_000
LOCK_WAIT = 30.0  # seconds a writer waits for another process's writer
_indexes: dict[str, tantivy.Index] = {}
_lock = threading.Lock()


def index_dir() -> Path:
    """Where the index lives: ``GONGKAI_SEARCH_INDEX_DIR``, else ``<data dir>/search-index/<db name>`` (keyed
    by the database, so two databases never share an index)."""
    configured = getattr(settings, "GONGKAI_SEARCH_INDEX_DIR", "")
    if configured:
        return Path(configured)
    db_name = Path(str(connection.settings_dict["NAME"])).name or "default"
    return Path(settings.DATA_DIR) / "search-index" / db_name


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", indexed=True, stored=True)
    sb.add_integer_field("rank", fast=True)
    for name in ("body", "topic", "genre", "area", "year", "public", "normative"):
        sb.add_integer_field(name, indexed=True)
    for field in FIELDS:
        sb.add_text_field(f"b_{field}", tokenizer_name="whitespace", index_option="position")
        sb.add_text_field(f"u_{field}", tokenizer_name="whitespace", index_option="freq")
    for field in SHORT_FIELDS:
        for k in range(3, MAX_GRAM + 1):
            sb.add_text_field(f"g{k}_{field}", tokenizer_name="whitespace", index_option="position")
    return sb.build()


def open_index(create: bool = False) -> tantivy.Index | None:
    """The index of this database, opened once per process (readers reload on every commit); None when it
    does not exist and ``create`` is False."""
    path = index_dir()
    key = str(path)
    with _lock:
        if key in _indexes and (path / "meta.json").exists():
            return _indexes[key]
        _indexes.pop(key, None)
        if not (path / "meta.json").exists():
            if not create:
                return None
            path.mkdir(parents=True, exist_ok=True)
            idx = tantivy.Index(schema(), path=key)
        else:
            idx = tantivy.Index.open(key)
        idx.config_reader(reload_policy="commit")
        _indexes[key] = idx
        return idx


def forget_open_indexes() -> None:
    """Drop the per-process cache of open indexes (tests switching directories)."""
    with _lock:
        _indexes.clear()


# ----- documents ----------------------------------------------------------------------------------------------
def gram_tokens(text: str, k: int) -> str:
    """The ``k``-grams of a short field, one per start position; the filler where one holds a space."""
    return " ".join(
        FILLER if " " in gram or "\n" in gram else gram
        for gram in (text[i : i + k] for i in range(len(text) - k + 1))
    )


def unigram_tokens(text: str) -> str:
    return " ".join(ch for ch in text if ch not in " \n")


def rank_key(day: dt.date | None, pk: int) -> int:
    return ((day.toordinal() if day else 0) << ID_BITS) | pk


def _meta(ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    parents = dict(Topic.objects.values_list("id", "parent_id"))
    out: dict[int, tuple[Any, ...]] = {}
    for pk, body, topic, genre, area, kind, status, published_on in Publication.objects.filter(
        pk__in=ids
    ).values_list(
        "id", "body_id", "topic_id", "genre_id", "key_area_id", "normative_kind", "status", "published_on"
    ):
        public = status == PublicationStatus.PUBLISHED or (
            status == PublicationStatus.DRAFT and published_on is not None
        )
        topics = [t for t in (topic, parents.get(topic)) if t is not None]
        out[pk] = (body, topics, genre, area, kind != NormativeKind.NONE, public, published_on)
    return out


def documents(rows: Sequence[Row]) -> Iterator[tantivy.Document]:
    meta = _meta([r.publication_id for r in rows])
    cut = bigram_texts([text for row in rows for text in row.fields()], filler=FILLER)
    n = len(FIELDS)
    bigrams = {row.publication_id: cut[i * n : (i + 1) * n] for i, row in enumerate(rows)}
    for row in rows:
        if row.publication_id not in meta:
            continue
        body, topics, genre, area, normative, public, day = meta[row.publication_id]
        doc = tantivy.Document()
        doc.add_integer("id", row.publication_id)
        doc.add_integer("rank", rank_key(day, row.publication_id))
        doc.add_integer("body", body)
        for topic in topics:
            doc.add_integer("topic", topic)
        doc.add_integer("genre", genre or 0)
        doc.add_integer("area", area or 0)
        doc.add_integer("year", day.year if day else 0)
        doc.add_integer("public", int(public))
        doc.add_integer("normative", int(normative))
        for field, text, grams in zip(FIELDS, row.fields(), bigrams[row.publication_id], strict=True):
            doc.add_text(f"b_{field}", grams)
            doc.add_text(f"u_{field}", unigram_tokens(text))
            if field in SHORT_FIELDS:
                for k in range(3, MAX_GRAM + 1):
                    doc.add_text(f"g{k}_{field}", gram_tokens(text, k))
        yield doc


def _writer(idx: tantivy.Index) -> tantivy.IndexWriter:
    """The one writer, waiting up to ``LOCK_WAIT`` seconds while another process holds it."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return idx.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def writing(idx: tantivy.Index) -> Iterator[tantivy.IndexWriter]:
    """The index's one writer for a block of changes: committed (and merged, and every reader reloaded) when
    the block ends, rolled back when it raises."""
    writer = _writer(idx)
    try:
        yield writer
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    idx.reload()


def write_documents(ids: Sequence[int]) -> int:
    """Replace these publications' documents in the index (those no longer in the catalog leave it) and
    commit; nothing when the index does not exist (``gongkai search-index rebuild`` creates it)."""
    idx = open_index()
    if idx is None:
        return 0
    added = 0
    resolve = template_resolver()
    with writing(idx) as writer:
        for start in range(0, len(ids), 2000):
            chunk = list(ids[start : start + 2000])
            writer.delete_documents_by_query(Q.term_set_query(idx.schema, "id", chunk))
            for doc in documents(rows_for(chunk, resolve)):
                writer.add_document(doc)
                added += 1
    return added


# ----- queries ------------------------------------------------------------------------------------------------
Q = tantivy.Query
MUST, SHOULD, NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _count(result: tantivy.SearchResult) -> int:
    """The exact number of matching documents (the Count collector; missing from tantivy's type stubs)."""
    return int(result.count)  # type: ignore[attr-defined]


def _ranks(searcher: tantivy.Searcher, addrs: Sequence[tantivy.DocAddress]) -> list[int]:
    """The ``rank`` of these documents, read from the fast field (no stored document is opened)."""
    out: list[int] = []
    for value in searcher.fast_field_values("rank", list(addrs)):
        assert isinstance(value, int), value  # every document is written with a rank
        out.append(value)
    return out


def grams(term: str, field: str) -> tuple[str, list[tuple[int, str]]]:
    """The indexed field and the (position, token) pairs that find ``term`` as a substring of ``field``: the
    character itself for one character; else the term's ``k``-grams (bigrams; 3- to 6-grams in the short
    fields) at every ``k``-th offset plus the last, a phrase that holds exactly where the term does."""
    if len(term) == 1:
        return f"u_{field}", [(0, term)]
    k = min(len(term), MAX_GRAM) if field in SHORT_FIELDS else 2
    name = f"g{k}_{field}" if k > 2 else f"b_{field}"
    starts = sorted({*range(0, len(term) - k + 1, k), len(term) - k})
    return name, [(i, term[i : i + k]) for i in starts]


def term_in(sch: tantivy.Schema, term: str, field: str) -> tantivy.Query:
    """Exactly the documents whose ``field`` holds ``term`` as a substring."""
    name, parts = grams(term, field)
    if len(parts) == 1:
        return Q.term_query(sch, name, parts[0][1])
    words: list[str | tuple[int, str]] = [*parts]
    return Q.phrase_query(sch, name, words)


def may_hold(searcher: tantivy.Searcher, term: str, field: str) -> bool:
    """False when a token the term needs in ``field`` is in no document, so that no document's field holds the
    term (an exact no, from the term dictionary); True says nothing more (deleted documents count too)."""
    name, parts = grams(term, field)
    return all(searcher.doc_freq(name, token) > 0 for _i, token in parts)


def all_of(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(MUST, q) for q in queries])


def any_of(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(SHOULD, q) for q in queries])


Clause = tuple[tantivy.Occur, tantivy.Query]


def filter_clauses(sch: tantivy.Schema, filters: Filters) -> list[Clause] | None:
    """The filters as boolean clauses; None when they exclude everything. "Published only" excludes the
    documents that are not public rather than intersecting with those that are: nearly every document is, and
    skipping the few is an order of magnitude cheaper than a leapfrog over them all (的 on 100,000 items:
    1 ms instead of 10 ms). Every document holds ``public`` 0 or 1, so both say the same."""
    out: list[Clause] = []
    if not filters.include_unpublished:
        out.append((NOT, Q.term_query(sch, "public", 0)))
    if filters.body_ids is not None:
        if not filters.body_ids:
            return None
        out.append((MUST, Q.term_set_query(sch, "body", [int(b) for b in filters.body_ids])))
    for name, value in (
        ("topic", filters.topic_id),
        ("genre", filters.genre_id),
        ("area", filters.key_area_id),
        ("year", filters.year),
    ):
        if value is not None:
            out.append((MUST, Q.term_query(sch, name, int(value))))
    if filters.normative_only:
        out.append((MUST, Q.term_query(sch, "normative", 1)))
    return out


def score_levels(n_terms: int) -> list[tuple[float, list[tuple[bool, tuple[int, ...]]]]]:
    """Each score, best first, with its (title holds every term, fields holding a term) combinations."""
    levels: dict[float, list[tuple[bool, tuple[int, ...]]]] = {}
    for flags in itertools.product((0, 1), repeat=len(FIELDS)):
        for title_all in (True, False):
            if title_all and not flags[0]:
                continue
            if n_terms == 1 and flags[0] and not title_all:
                continue  # one term: the title holds a term exactly when it holds every term
            score = 10.0 * title_all + sum(flags)
            if score:
                levels.setdefault(score, []).append((title_all, flags))
    return sorted(levels.items(), reverse=True)


@dataclass(frozen=True)
class Plan:
    """An exact-mode query taken apart for the score levels. ``main``: every term in some field, with the
    filters; ``in_field[f]``: some term in field ``f``; ``title_all``: every term in the title. A part no
    document can hold (``may_hold``) is None and leaves every query it was in, so a level never evaluates a
    field's phrases for nothing (the document and index numbers rarely hold a word of text)."""

    main: tantivy.Query
    title_all: tantivy.Query | None
    in_field: list[tantivy.Query | None]
    filters: list[Clause]
    n_terms: int


def plan(
    sch: tantivy.Schema, searcher: tantivy.Searcher, terms: Sequence[str], filters: list[Clause]
) -> Plan | None:
    """The parts of the query; None when some term is in no field of any document (nothing matches)."""
    has = {f: [term_in(sch, t, f) if may_hold(searcher, t, f) else None for t in terms] for f in FIELDS}
    per_term = [[q for f in FIELDS if (q := has[f][i]) is not None] for i in range(len(terms))]
    if not all(per_term):
        return None
    main = Q.boolean_query([(MUST, any_of(qs)) for qs in per_term] + filters)
    titles = [q for q in has["title"] if q is not None]
    title_all = all_of(titles) if len(titles) == len(terms) else None
    in_field = [any_of(qs) if (qs := [q for q in has[f] if q is not None]) else None for f in FIELDS]
    return Plan(main, title_all, in_field, filters, len(terms))


def combo_query(p: Plan, combo: tuple[bool, tuple[int, ...]]) -> tantivy.Query | None:
    """The documents with exactly this combination (title holds every term, fields holding a term); None
    when no document can have it."""
    want_all, flags = combo
    clauses: list[Clause] = []
    for flag, q in zip(flags, p.in_field, strict=True):
        if q is None and flag:
            return None
        if q is not None:
            clauses.append((MUST if flag else NOT, q))
    if flags[0] and p.n_terms > 1:  # one term: "every term in the title" is "a term in the title"
        if p.title_all is None and want_all:
            return None
        if p.title_all is not None:
            clauses.append((MUST if want_all else NOT, p.title_all))
    if all(occ == NOT for occ, _q in clauses):
        clauses.append((MUST, Q.all_query()))
    return Q.boolean_query(clauses)


def level_query(p: Plan, combos: Sequence[tuple[bool, tuple[int, ...]]]) -> tantivy.Query | None:
    """The hits of one score level; None when it is certainly empty. With one term every combination of a
    level with a score puts the term in some field, so only the filters are left of ``main``."""
    parts = [q for combo in combos if (q := combo_query(p, combo)) is not None]
    if not parts:
        return None
    if p.n_terms == 1:
        return Q.boolean_query([(MUST, any_of(parts)), *p.filters])
    return all_of([p.main, any_of(parts)])


class TantivyBackend(SearchBackend):
    """tantivy for reads, the database's own backend kept beside it (fallback while the index is missing)."""

    name = "tantivy"

    def __init__(self) -> None:
        self.db: SqlBackend = PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()

    # ----- writes -----------------------------------------------------------------------------------------
    def index(self, publication_ids: Iterable[int]) -> int:
        """The database rows now; the index now (``GONGKAI_SEARCH_INDEX_WRITER=inline``, waiting for the
        writer's lock) or by the huey worker (``worker``)."""
        ids = sorted({int(pk) for pk in publication_ids if pk is not None})
        written = self.db.index(ids)
        if ids and getattr(settings, "GONGKAI_SEARCH_INDEX_WRITER", "inline") == "worker":
            from gongkai.search.tasks import write_index

            write_index(ids)
        elif ids:
            write_documents(ids)
        return written

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """The database rows (one transaction, audited by the SQL backend) and then the index, from one pass
        over the catalog's rows each."""
        done = self.db.rebuild(progress)
        self.rebuild_index()
        return done

    def rebuild_index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Only the inverted index, from one pass over the catalog's rows; the database's search rows are left
        as they are (current after ``gongkai synth`` or a database rebuild; a lost or damaged index directory
        then costs one pass, not two). Returns the publications indexed."""
        from gongkai.catalog.models import Publication

        total = Publication.objects.count()
        idx = open_index(create=True)
        assert idx is not None
        done = 0
        with writing(idx) as writer:
            writer.delete_all_documents()
            for rows in all_rows():
                for doc in documents(rows):
                    writer.add_document(doc)
                done += len(rows)
                if progress is not None:
                    progress(done, total)
        return done

    # ----- reads ------------------------------------------------------------------------------------------
    def search_ids(
        self, terms: Sequence[str], filters: Filters, *, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The exact total (one count), then the page level by level, best score first, each level ordered by
        ``rank`` with its own count (to skip ``offset`` and to stop once every hit has been seen)."""
        idx = open_index()
        if idx is None:
            log.warning(
                "search index %s missing: searching the database (gongkai search-index rebuild)", index_dir()
            )
            return self.db.search_ids(terms, filters, limit=limit, offset=offset)
        searcher = idx.searcher()
        clauses = filter_clauses(idx.schema, filters)
        p = plan(idx.schema, searcher, terms, clauses) if clauses is not None else None
        if p is None:
            return [], 0
        total = _count(searcher.search(p.main, limit=1, count=True))
        page: list[tuple[int, float]] = []
        skip, need, seen = offset, limit, 0
        for score, combos in score_levels(len(terms)):
            if need <= 0 or seen >= total:  # the page is full, or every hit has been counted in a level
                break
            level = level_query(p, combos)
            if level is None:
                continue
            res = searcher.search(level, limit=need, offset=skip, order_by_field="rank", count=True)
            page += [(int(key) & ID_MASK, score) for key, _addr in res.hits]
            need -= len(res.hits)
            seen += _count(res)
            skip = max(0, skip - _count(res))
        return page, total

    def search_relevance(
        self, words: Sequence[str], phrases: Sequence[str], filters: Filters, *, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """Every word and phrase in some field (exact set and total), ordered by BM25 over the bigram and
        character postings, boosted where the words occur together as written (保障房 as one phrase) and where
        they occur in the title; ties by rank (newest, highest id)."""
        idx = open_index()
        if idx is None:
            return self.db.search_relevance(words, phrases, filters, limit=limit, offset=offset)
        sch, searcher = idx.schema, idx.searcher()
        clauses = filter_clauses(sch, filters)
        if clauses is None:
            return [], 0
        terms = list(dict.fromkeys([*phrases, *words]))
        per_term = [[term_in(sch, t, f) for f in FIELDS if may_hold(searcher, t, f)] for t in terms]
        if not all(per_term):  # a word no field of any document holds: nothing matches
            return [], 0
        must = [any_of(qs) for qs in per_term]
        together = "".join(words)
        should = [Q.boost_query(term_in(sch, t, "title"), 2.0) for t in terms]
        if len(words) > 1:
            should += [Q.boost_query(term_in(sch, together, f), 5.0 if f == "title" else 3.0) for f in FIELDS]
        query = Q.boolean_query([(MUST, q) for q in must] + clauses + [(SHOULD, q) for q in should])
        res = searcher.search(query, limit=max(limit, 1), offset=offset, count=True)
        hits = res.hits[:limit]
        ranks = _ranks(searcher, [addr for _score, addr in hits])
        return [
            (rank & ID_MASK, round(float(score), 3)) for (score, _a), rank in zip(hits, ranks, strict=True)
        ], _count(res)
