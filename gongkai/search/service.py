"""The search interface every caller uses (the portal, the import command, the demo): ``search``,
``reindex_on_commit`` and ``rebuild``. The work is done by a backend chosen by the ``GONGKAI_SEARCH_BACKEND``
setting (``gongkai.search.backends``); this module imports no models at import time so that
``gongkai.search`` can be imported while Django's app registry is still loading.

Semantics (issue 4, deliverable 4; statutory-reference §6): a query is normalised the same way as the
documents (``gongkai.search.normalise``), split on whitespace into terms, and finds exactly the publications in
which every term is a substring of at least one searched field (title, document number, rendered index number,
description, keywords, text).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from gongkai.search.normalise import normalise


@dataclass(frozen=True)
class Filters:
    """Restrictions of a search (the portal's facets). ``body_ids``: the publishing body is one of these (the
    caller expands subtrees); ``topic_id``: this topic or one of its children; ``year``: the year of
    ``published_on``; ``include_unpublished``: False keeps published items only (the public portal);
    ``key_area_id``: the item's key area (重点领域); ``normative_only``: rules and normative documents only."""

    body_ids: Sequence[int] | None = None
    topic_id: int | None = None
    genre_id: int | None = None
    year: int | None = None
    include_unpublished: bool = False
    key_area_id: int | None = None
    normative_only: bool = False


@dataclass(frozen=True)
class Hit:
    """One matching publication. ``title_html`` and ``snippet_html`` are escaped HTML (``SafeString``) with
    every match wrapped in ``<mark>``; ``snippet_html`` is "" when the text has no match."""

    publication_id: int
    score: float
    title_html: str
    snippet_html: str


@dataclass(frozen=True)
class Suggestion:
    """A related search (相关搜索) offered when a query finds few items: its text, mode and exact total."""

    query: str
    mode: str
    total: int


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    suggestions: list[Suggestion] = field(default_factory=list)


EXACT = "exact"  # every whitespace-separated term is an exact substring (the documented semantics)
RELEVANCE = "relevance"  # words of the query anywhere, "quoted" parts exact, best first by relevance
MODES = (EXACT, RELEVANCE)


class SearchBackend(ABC):
    """What an engine implements to serve ``search()``: SQLite FTS5 and PostgreSQL tsvector here
    (``gongkai.search.backends``), an external engine such as OpenSearch elsewhere (named by its dotted path in
    ``GONGKAI_SEARCH_BACKEND``). Highlighting and snippets are done once, above the backends."""

    name: str = ""

    @abstractmethod
    def search_ids(
        self, terms: Sequence[str], filters: Filters, *, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The page ``[offset, offset + limit)`` of (publication id, score), best first, and the exact total.
        ``terms`` are normalised, distinct, non-empty and free of whitespace; a publication matches when every
        term is a substring of one of its normalised fields."""

    def search_relevance(
        self, words: Sequence[str], phrases: Sequence[str], filters: Filters, *, limit: int, offset: int
    ) -> tuple[list[tuple[int, float]], int]:
        """Relevance mode: publications holding every word and every phrase (each a substring of some field),
        best first. ``words`` come from segmenting unquoted query text, ``phrases`` from its quoted parts.
        The set (and so the total) is exact; this default orders it by the documented exact-mode score, an
        engine with term statistics (tantivy: BM25 plus the unsegmented terms as phrases) does better."""
        return self.search_ids(list(dict.fromkeys([*phrases, *words])), filters, limit=limit, offset=offset)

    @abstractmethod
    def index(self, publication_ids: Iterable[int]) -> int:
        """Re-index these publications now (those that no longer exist leave the index); returns rows written."""

    @abstractmethod
    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Replace the whole index; returns the number of publications indexed."""


def get_backend() -> SearchBackend:
    """The configured backend (``settings.GONGKAI_SEARCH_BACKEND``)."""
    from gongkai.search.backends import configured_backend

    return configured_backend()


def search(
    query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0, mode: str = EXACT
) -> Results:
    """``mode="exact"`` (the default): publications matching every whitespace-separated term of ``query`` as a
    substring (after normalisation), best first: title hits first, then by the number of fields matched, then
    the newest. ``mode="relevance"``: unquoted text is segmented into words (保障房 → 保障 + 房) that must all
    occur anywhere, "quoted" text is an exact phrase; best first by relevance. Either mode fills
    ``suggestions`` (相关搜索) on the first page when few items are found. Never raises on the query's
    content; an empty query finds nothing."""
    from gongkai.search.query import run_search

    return run_search(query, filters or Filters(), limit=limit, offset=offset, mode=mode)


def reindex(publication_ids: Iterable[int]) -> int:
    """Bring the index rows of these publications up to date now (deleted publications leave the index)."""
    return get_backend().index(publication_ids)


def reindex_on_commit(publication_ids: Iterable[int]) -> None:
    """Re-index these publications once the current transaction commits (at once outside a transaction).
    Every write path of the catalog calls this; bulk loaders call it with the ids they wrote, or ``rebuild``."""
    ids = sorted({int(pk) for pk in publication_ids if pk is not None})
    if ids:
        transaction.on_commit(lambda: reindex(ids))


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the catalog; returns the number of publications indexed. ``progress`` is
    called with (done, total) after each batch."""
    return get_backend().rebuild(progress)


__all__ = [
    "EXACT",
    "MODES",
    "RELEVANCE",
    "Filters",
    "Hit",
    "Results",
    "SearchBackend",
    "Suggestion",
    "get_backend",
    "normalise",
    "rebuild",
    "reindex",
    "reindex_on_commit",
    "search",
]
