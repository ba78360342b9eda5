"""Relevance mode (issue 11): unquoted text is segmented into words that must all occur anywhere, "quoted"
text is an exact phrase, few hits bring related searches; the set and the total are exact on every backend."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.search import EXACT, RELEVANCE, Filters, search
from gongkai.search.query import parse_relevance, words_of
from tests.search.conftest import Corpus, Oracle

pytestmark = pytest.mark.django_db


def relevance_ids(query: str, filters: Filters | None = None) -> list[int]:
    results = search(query, filters, limit=1000, mode=RELEVANCE)
    assert results.total == len(results.hits)
    return [h.publication_id for h in results.hits]


def test_words_of_a_query() -> None:
    assert words_of("保障房") == ["保障", "房"]
    assert words_of("住房保障") == ["住房", "保障"]
    assert words_of("covid-19防控") == ["covid-19", "防控"]
    assert parse_relevance('"保障性住房" 分配') == (["分配"], ["保障性住房"], ["分配"])
    assert parse_relevance("「財政資金」") == ([], ["财政资金"], [])


@pytest.mark.parametrize("query", ["保障房", "住房保障", "财政 安全", "審批行政", "低保农村"])
def test_relevance_finds_every_item_holding_every_word(corpus: Corpus, oracle: Oracle, query: str) -> None:
    words, phrases, _rest = parse_relevance(query)
    expected = set(oracle(" ".join([*words, *phrases])))
    assert expected, query  # the corpus has them (保障性住房, 行政审批 …)
    assert set(relevance_ids(query)) == expected
    assert search(query, mode=RELEVANCE, limit=5).total == len(expected)


def test_a_query_that_exact_mode_misses_is_found_by_words(corpus: Corpus, oracle: Oracle) -> None:
    assert oracle("保障房") == [] and search("保障房").total == 0
    exact = search("保障房", mode=EXACT)
    assert [(s.query, s.mode) for s in exact.suggestions][:1] == [("保障房", RELEVANCE)]
    assert exact.suggestions[0].total == search("保障房", mode=RELEVANCE).total > 0


def test_quoted_text_is_an_exact_phrase(corpus: Corpus, oracle: Oracle) -> None:
    assert set(relevance_ids('"保障性住房"')) == set(oracle("保障性住房"))
    assert set(relevance_ids('"保障性住房" 通知')) == set(oracle("保障性住房 通知"))
    assert relevance_ids('"保障房"') == []


def test_relevance_ranks_items_holding_the_words_together_first(
    corpus: Corpus, oracle: Oracle, search_backend: str
) -> None:
    """On the index, items with 文件通知 written together (规范性文件 + 通知) come first (the database's own
    backend keeps the exact-mode order); both find the same set."""
    together = set(oracle("文件通知"))
    order = relevance_ids("文件通知")
    assert together and set(order) == set(oracle("文件 通知")) > together
    if search_backend == "tantivy":
        assert order[0] in together
        rank = {pk: i for i, pk in enumerate(order)}
        inside = sum(rank[pk] for pk in together) / len(together)
        apart = sum(rank[pk] for pk in set(order) - together) / len(set(order) - together)
        assert inside < apart


def test_relevance_respects_filters_and_highlights_each_word(corpus: Corpus, oracle: Oracle) -> None:
    filters = Filters(body_ids=[corpus.tree.county.pk, corpus.tree.county_police.pk], year=2024)
    assert set(relevance_ids("住房保障", filters)) == set(oracle("住房 保障", filters))
    hit = search("住房保障", mode=RELEVANCE).hits[0]
    assert "<mark>" in hit.title_html + hit.snippet_html


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        search("住房", mode="fuzzy")


def test_the_portal_searches_by_words_and_keeps_exact_on_request(
    corpus: Corpus, oracle: Oracle, client: Client
) -> None:
    expected = len(oracle("保障 房"))
    page = client.get(reverse("portal:search"), {"q": "保障房"}).content.decode()
    assert f"找到 {expected} 条" in page and "“保障性住房”" in page  # the note on exact phrases
    exact = client.get(reverse("portal:search"), {"q": "保障房", "mode": "exact"}).content.decode()
    assert "找到 0 条" in exact and "相关搜索" in exact and f"（{expected}）" in exact
    quoted = client.get(reverse("portal:search"), {"q": '"保障性住房"'}).content.decode()
    assert f"找到 {len(oracle('保障性住房'))} 条" in quoted
