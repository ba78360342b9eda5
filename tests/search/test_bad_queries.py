"""Queries of any content never error: empty, one character, FTS and SQL syntax, 10,000 characters,
control characters, emoji, lone surrogates."""

from __future__ import annotations

import pytest

from gongkai.search import Filters, search
from tests.search.conftest import Corpus, Oracle, ids

pytestmark = pytest.mark.django_db

NASTY = [
    '"',
    "*",
    "( )",
    ":",
    "^",
    "-",
    "AND",
    "OR",
    "NEAR",
    "NEAR(a b)",
    "%",
    "_",
    "\\",
    "'",
    "''",
    "\" * ( ) : ^ - AND OR NEAR % _ \\ '",
    "a:b",
    "政-策",
    "'; DROP TABLE search_entry; --",
    '"政府" OR "通知"',
    "政府 NOT 通知",
    "!!",
    "& |",
    "<->",
    "'a' & 'b'",
    "\x00",
    "\x00政\x01府\x7f",
    "政\u200b府",
    "🎉",
    "🎉🎉 政府",
    "\ud800",
    "政\udfff府",
    "％＿",
    "\t\n\r",
]


def test_nasty_queries_do_not_error_and_stay_exact(corpus: Corpus, oracle: Oracle) -> None:
    for query in NASTY:
        for filters in (Filters(), Filters(include_unpublished=True, year=2014)):
            assert ids(query, filters) == oracle(query, filters), repr(query)


def test_empty_and_blank_queries_find_nothing(corpus: Corpus) -> None:
    for query in ("", " ", "　", "\t\n", "\x00\x01"):
        results = search(query)
        assert (results.hits, results.total) == ([], 0)


def test_a_10000_character_query_does_not_error(corpus: Corpus, oracle: Oracle) -> None:
    long_text = corpus.pubs[0].text * (10_000 // max(len(corpus.pubs[0].text), 1) + 1)
    for query in (long_text[:10_000], "政" * 10_000, ("政 " * 5_000)[:10_000], "x" * 10_000):
        assert ids(query) == oracle(query)


def test_a_query_of_thousands_of_terms_does_not_error(corpus: Corpus) -> None:
    query = " ".join(chr(0x4E00 + i) for i in range(3_000))
    assert search(query).total == 0


def test_odd_limits_and_offsets_do_not_error(corpus: Corpus) -> None:
    assert search("政", limit=-5).hits == []
    assert search("政", offset=-5).hits == search("政").hits
    assert len(search("政", limit=10**9).hits) == search("政").total
