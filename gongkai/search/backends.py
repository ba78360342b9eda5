"""The two embedded backends behind ``gongkai.search.SearchBackend`` (issue 4, deliverable 4).

Both keep one ``search_entry`` row per publication with its normalised fields, find *candidates* through a
bigram index, and re-check every candidate by substring on the stored normalised text, so results are exact:
a bigram index can only say that a document may contain a term.

* ``SqliteBackend``: a contentless FTS5 table ``search_fts`` (``detail=none``) whose rows are the bigrams of
  each publication, space-separated, read by the ``ascii`` tokenizer with every ASCII punctuation mark as a token
  character (so a token is exactly a bigram; rowid = publication id). Candidates come from ``MATCH`` on the
  query's bigrams as quoted FTS5 strings, the re-check is ``instr()``.
* ``PostgresBackend``: a ``bigrams`` tsvector column on ``search_entry`` built with ``array_to_tsvector`` (no
  parser, no positions, so the position limits do not apply) and a GIN index; candidates come from ``@@`` on a
  tsquery of the query's bigrams as quoted lexemes, the re-check is ``strpos()``. A publication with too many
  distinct bigrams for a tsvector (the 1 MB limit) gets NULL there and is always a candidate.

Terms of one character have no bigram: they are found by the re-check alone (a scan of the stored text).
Query text reaches MATCH and tsquery only inside quoted strings (escaped), and every value is a bound
parameter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gongkai.audit.log import SYSTEM, record
from gongkai.catalog.models import NormativeKind, Publication, PublicationStatus
from gongkai.search.indexing import (
    BATCH,
    Row,
    all_rows,
    bigram_texts,
    bigrams_of_term,
    rows_for,
    template_resolver,
)
from gongkai.search.models import SearchEntry
from gongkai.search.service import Filters, SearchBackend

FIELDS = ("title", "document_number", "index_number", "body")
TITLE_BONUS = 10.0
MAX_SQL_TERMS = 16  # more terms than this: the rest are checked in Python over the SQL matches
MAX_BIGRAMS_PER_TERM = 12  # a subset of a term's bigrams is still a necessary condition
BULK = 10_000  # re-indexing this many rows at once (an import) ends like a rebuild (merge, statistics)
COMMON_SHARE = 0.5  # SQLite: bigrams in more than this share of documents are not worth a MATCH
PG_MAX_TOKENS = 60_000  # distinct bigrams; at most ~14 bytes a lexeme: under the 1 MB tsvector limit

Params = dict[str, Any]


def term_bigrams(term: str) -> list[str]:
    """Up to ``MAX_BIGRAMS_PER_TERM`` distinct bigrams of a term, spread over it (first and last kept)."""
    grams = bigrams_of_term(term)
    if len(grams) <= MAX_BIGRAMS_PER_TERM:
        return grams
    step = (len(grams) - 1) / (MAX_BIGRAMS_PER_TERM - 1)
    return list(dict.fromkeys(grams[round(i * step)] for i in range(MAX_BIGRAMS_PER_TERM)))


def fts5_string(token: str) -> str:
    """An FTS5 string literal: inside double quotes everything is literal, a double quote is doubled."""
    return '"' + token.replace('"', '""') + '"'


def tsquery_lexeme(token: str) -> str:
    """A quoted tsquery lexeme: backslashes and single quotes doubled."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def python_score(fields: Sequence[str], terms: Sequence[str]) -> float:
    """The score the SQL computes: ``TITLE_BONUS`` when the title holds every term, plus one per field
    (title, document number, index number, body) holding at least one term."""
    title_all = all(t in fields[0] for t in terms)
    return (TITLE_BONUS if title_all else 0.0) + sum(any(t in f for t in terms) for f in fields)


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


class SqlBackend(SearchBackend):
    """The shared SQL of both embedded backends; subclasses supply the vendor-specific pieces."""

    vendor: ClassVar[str]

    # ----- vendor hooks -------------------------------------------------------------------------------------
    def contains(self, column: str, param: str) -> str:
        raise NotImplementedError

    def id_list(self, column: str, param: str, ids: Sequence[int], params: Params) -> str:
        raise NotImplementedError

    def date_param(self, day: dt.date) -> object:
        return day

    def candidates(self, terms: Sequence[str], params: Params) -> str | None:
        raise NotImplementedError

    def _insert(self, rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def _delete(self, ids: Sequence[int]) -> None:
        raise NotImplementedError

    def _clear(self) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """Housekeeping after a rebuild (merging index segments, statistics)."""

    # ----- writes -------------------------------------------------------------------------------------------
    def _check_vendor(self) -> None:
        if connection.vendor != self.vendor:
            raise ImproperlyConfigured(
                f"GONGKAI_SEARCH_BACKEND={self.name} needs a {self.vendor} database, not {connection.vendor}"
            )

    def index(self, publication_ids: Iterable[int]) -> int:
        self._check_vendor()
        ids = sorted({int(pk) for pk in publication_ids if pk is not None})
        written = 0
        with transaction.atomic():
            resolve = template_resolver()
            for chunk in _chunks(ids, BATCH):
                self._delete(chunk)
                rows = rows_for(chunk, resolve)
                self._insert(rows)
                written += len(rows)
            if written >= BULK:
                self._finish()
        return written

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """One transaction: readers see the old index until the new one is complete. Audited once, as a batch
        (the index is derived from audited catalog writes)."""
        self._check_vendor()
        total = Publication.objects.count()
        done = 0
        with transaction.atomic():
            self._clear()
            for rows in all_rows():
                self._insert(rows)
                done += len(rows)
                if progress is not None:
                    progress(done, max(total, done))
            self._finish()
            record(
                SYSTEM,
                "search.rebuild",
                object_type="search.searchentry",
                summary=_("重建全文检索索引（%(backend)s）：%(n)d 条") % {"backend": self.name, "n": done},
                batch_size=max(done, 1),
            )
        return done

    # ----- reads --------------------------------------------------------------------------------------------
    def _where(self, terms: Sequence[str], filters: Filters, params: Params) -> str:
        """Candidates and filters (not the substring re-check)."""
        clauses: list[str] = []
        cand = self.candidates(terms, params)
        if cand:
            clauses.append(cand)
        for i, term in enumerate(terms):
            params[f"t{i}"] = term
        if not filters.include_unpublished:
            # what the portal shows: published, or published and under revision (catalog.public)
            params["status"] = PublicationStatus.PUBLISHED.value
            params["draft"] = PublicationStatus.DRAFT.value
            clauses.append("(p.status = %(status)s OR (p.status = %(draft)s AND p.published_on IS NOT NULL))")
        if filters.body_ids is not None:
            clauses.append(self.id_list("p.body_id", "bodies", [int(b) for b in filters.body_ids], params))
        if filters.topic_id is not None:
            params["topic"] = int(filters.topic_id)
            clauses.append(
                "p.topic_id IN (SELECT t.id FROM catalog_topic t WHERE t.id = %(topic)s OR t.parent_id = %(topic)s)"
            )
        if filters.genre_id is not None:
            params["genre"] = int(filters.genre_id)
            clauses.append("p.genre_id = %(genre)s")
        if filters.key_area_id is not None:
            params["area"] = int(filters.key_area_id)
            clauses.append("p.key_area_id = %(area)s")
        if filters.normative_only:
            params["not_normative"] = NormativeKind.NONE.value
            clauses.append("p.normative_kind <> %(not_normative)s")
        if filters.year is not None:
            year = min(max(int(filters.year), 1), 9998)
            params["y0"] = self.date_param(dt.date(year, 1, 1))
            params["y1"] = self.date_param(dt.date(year + 1, 1, 1))
            clauses.append("p.published_on >= %(y0)s AND p.published_on < %(y1)s")
        return " AND ".join(clauses) or "1 = 1"

    def _hits_sql(self, n_terms: int, where: str) -> str:
        """CTEs ``m`` (one row per candidate with a 0/1 flag per field and term, each substring test run once)
        and ``hits`` (candidates holding every term, with their score)."""
        flags = ", ".join(
            f"CASE WHEN {self.contains(f'e.{field}', f't{i}')} THEN 1 ELSE 0 END AS f{j}_{i}"
            for i in range(n_terms)
            for j, field in enumerate(FIELDS)
        )
        every_term = " AND ".join(
            "(" + " + ".join(f"f{j}_{i}" for j in range(len(FIELDS))) + ") > 0" for i in range(n_terms)
        )
        title_all = " * ".join(f"f0_{i}" for i in range(n_terms))
        fields_matched = " + ".join(
            "(CASE WHEN " + " + ".join(f"f{j}_{i}" for i in range(n_terms)) + " > 0 THEN 1 ELSE 0 END)"
            for j in range(len(FIELDS))
        )
        return (
            f"WITH m AS MATERIALIZED (SELECT e.publication_id AS id, p.published_on AS day, {flags} "  # noqa: S608
            f"FROM search_entry e JOIN catalog_publication p ON p.id = e.publication_id WHERE {where}), "
            f"hits AS (SELECT id, day, {TITLE_BONUS} * {title_all} + {fields_matched} AS score "
            f"FROM m WHERE {every_term}) "
        )

    def search_ids(
        self, terms: Sequence[str], filters: Filters, *, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        self._check_vendor()
        ordered = sorted(terms, key=lambda t: (-len(t), t))
        sql_terms, rest = ordered[:MAX_SQL_TERMS], ordered[MAX_SQL_TERMS:]
        params: Params = {}
        hits = self._hits_sql(len(sql_terms), self._where(sql_terms, filters, params))
        with connection.cursor() as cursor:
            if rest:
                return self._search_in_python(cursor, hits, params, ordered, limit, offset)
            # One statement: the candidates are tested once and both the page and the count read ``hits``.
            params |= {"limit": max(limit, 0), "offset": offset}
            cursor.execute(
                f"{hits}SELECT id, score, (SELECT count(*) FROM hits) FROM hits "  # noqa: S608
                "ORDER BY score DESC, day DESC NULLS LAST, id DESC LIMIT %(limit)s OFFSET %(offset)s",
                params,
            )
            rows = cursor.fetchall()
            if rows:
                return [(int(pk), float(score)) for pk, score, _total in rows], int(rows[0][2])
            cursor.execute(f"{hits}SELECT count(*) FROM hits", params)  # noqa: S608 - past the last page
            return [], int(cursor.fetchone()[0])

    def _search_in_python(
        self, cursor: Any, hits: str, params: Params, terms: Sequence[str], limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """Queries with more than ``MAX_SQL_TERMS`` terms: SQL narrows by the longest terms, Python checks the
        rest and scores (the same score as the SQL)."""
        cursor.execute(
            f"{hits}SELECT e.publication_id, e.title, e.document_number, e.index_number, e.body, hits.day "  # noqa: S608
            "FROM hits JOIN search_entry e ON e.publication_id = hits.id",
            params,
        )
        scored: list[tuple[float, str, int]] = []
        for pk, *fields, published_on in cursor.fetchall():
            if all(any(t in f for f in fields) for t in terms):
                scored.append((python_score(fields, terms), str(published_on or ""), int(pk)))
        scored.sort(reverse=True)
        return [(pk, score) for score, _day, pk in scored[offset : offset + max(limit, 0)]], len(scored)


class SqliteBackend(SqlBackend):
    """SQLite: FTS5 over bigram tokens, ``instr()`` re-check."""

    name = "sqlite"
    vendor = "sqlite"

    def contains(self, column: str, param: str) -> str:
        return f"instr({column}, %({param})s) > 0"

    def id_list(self, column: str, param: str, ids: Sequence[int], params: Params) -> str:
        params[param] = json.dumps(ids)
        return f"{column} IN (SELECT value FROM json_each(%({param})s))"  # noqa: S608 - fixed names, bound values

    def date_param(self, day: dt.date) -> object:
        return day.isoformat()

    def candidates(self, terms: Sequence[str], params: Params) -> str | None:
        """MATCH on each term's bigrams except those in most documents (the index's vocabulary says how many:
        intersecting huge posting lists costs more than it saves); a bigram no document has means no result;
        a term whose every bigram is common is left to the re-check alone."""
        chosen: list[str] = []
        with connection.cursor() as cursor:
            total: int | None = None
            for term in terms:
                grams = term_bigrams(term)
                if not grams:
                    continue
                docs = {g: _doc_count(cursor, g) for g in grams}
                if min(docs.values()) == 0:
                    return "0 = 1"
                if total is None:
                    cursor.execute("SELECT count(*) FROM search_entry")
                    total = int(cursor.fetchone()[0])
                chosen += [g for g in grams if docs[g] <= total * COMMON_SHARE]
        if not chosen:
            return None
        params["fts"] = " ".join(fts5_string(tok) for tok in dict.fromkeys(chosen))
        return "e.publication_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %(fts)s)"

    def _insert(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_entry (publication_id, title, document_number, index_number, body) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(r.publication_id, *r.fields()) for r in rows],
            )
            texts = bigram_texts([r.joined() for r in rows])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, bigrams) VALUES (%s, %s)",
                [(r.publication_id, text) for r, text in zip(rows, texts, strict=True)],
            )

    def _delete(self, ids: Sequence[int]) -> None:
        """A contentless FTS5 row is deleted by giving back the tokens it was inserted with; they are
        recomputed from the stored normalised text."""
        params: Params = {}
        in_ids = self.id_list("publication_id", "ids", ids, params)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT publication_id, title, document_number, index_number, body FROM search_entry "  # noqa: S608
                f"WHERE {in_ids}",
                params,
            )
            old = cursor.fetchall()
            texts = bigram_texts(["\n".join(fields) for _pk, *fields in old])
            forget_fts(cursor, [(int(row[0]), text) for row, text in zip(old, texts, strict=True)])
            cursor.execute(f"DELETE FROM search_entry WHERE {in_ids}", params)  # noqa: S608

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry")
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")

    def _finish(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def _doc_count(cursor: Any, bigram: str) -> int:
    """How many documents hold this bigram (the FTS5 vocabulary; an upper bound after deletions)."""
    cursor.execute("SELECT doc FROM search_fts_vocab WHERE term = %s", [bigram])
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def forget_fts(cursor: Any, rows: Sequence[tuple[int, str]]) -> None:
    """Delete FTS5 rows given (rowid, the tokens it was inserted with)."""
    cursor.executemany(
        "INSERT INTO search_fts (search_fts, rowid, bigrams) VALUES ('delete', %s, %s)", list(rows)
    )


def _fits_tsvector(text: str) -> bool:
    """Whether a document's distinct bigrams fit a tsvector (1 MB); counted only for long documents."""
    return len(text) <= 3 * PG_MAX_TOKENS or len(set(text.split())) <= PG_MAX_TOKENS


class PostgresBackend(SqlBackend):
    """PostgreSQL: a bigram tsvector with a GIN index, ``strpos()`` re-check."""

    name = "postgres"
    vendor = "postgresql"

    def contains(self, column: str, param: str) -> str:
        return f"strpos({column}, %({param})s) > 0"

    def id_list(self, column: str, param: str, ids: Sequence[int], params: Params) -> str:
        params[param] = list(ids)
        return f"{column} = ANY(%({param})s::bigint[])"

    def candidates(self, terms: Sequence[str], params: Params) -> str | None:
        tokens = [tok for term in terms for tok in term_bigrams(term)]
        if not tokens:
            return None
        params["tsq"] = " & ".join(tsquery_lexeme(tok) for tok in dict.fromkeys(tokens))
        return "(e.bigrams @@ %(tsq)s::tsquery OR e.bigrams IS NULL)"

    def _insert(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        texts = [t if _fits_tsvector(t) else None for t in bigram_texts([r.joined() for r in rows])]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_entry (publication_id, title, document_number, index_number, body, bigrams) "
                "SELECT v.id, v.title, v.docno, v.idx, v.body, "
                "array_to_tsvector(array_remove(string_to_array(v.toks, ' '), '')) "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                "AS v(id, title, docno, idx, body, toks)",
                [
                    [r.publication_id for r in rows],
                    [r.title for r in rows],
                    [r.document_number for r in rows],
                    [r.index_number for r in rows],
                    [r.body for r in rows],
                    texts,
                ],
            )

    def _delete(self, ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry WHERE publication_id = ANY(%s::bigint[])", [list(ids)])

    def _clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry")

    def _finish(self) -> None:
        """Fresh statistics: without them (a bulk load not yet seen by autovacuum) the planner walks the
        publications instead of the GIN index."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")
            cursor.execute("ANALYZE catalog_publication")


_NAMED: dict[str, type[SearchBackend] | str] = {
    "sqlite": SqliteBackend,
    "postgres": PostgresBackend,
    "tantivy": "gongkai.search.inverted.TantivyBackend",
}


def configured_backend() -> SearchBackend:
    """The backend named by ``settings.GONGKAI_SEARCH_BACKEND`` ("sqlite", "postgres" or a dotted path)."""
    name = str(getattr(settings, "GONGKAI_SEARCH_BACKEND", "") or connection.vendor)
    name = {"postgresql": "postgres"}.get(name, name)
    cls = _NAMED.get(name) or name
    if isinstance(cls, str):
        cls = import_string(cls)
    backend = cls()
    if not isinstance(backend, SearchBackend):
        raise ImproperlyConfigured(f"GONGKAI_SEARCH_BACKEND={name} is not a gongkai.search.SearchBackend")
    return backend


def forget_deleted_entry(sender: type, instance: SearchEntry, **kwargs: Any) -> None:
    """An index row deleted with its publication (cascade) takes its FTS5 tokens with it (SQLite only; on
    PostgreSQL the tokens live in the row)."""
    if connection.vendor == "sqlite":
        fields = (instance.title, instance.document_number, instance.index_number, instance.body)
        with connection.cursor() as cursor:
            forget_fts(cursor, [(int(instance.pk), bigram_texts(["\n".join(fields)])[0])])
