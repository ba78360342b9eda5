"""Search finds exactly what a brute-force substring scan finds (issue 4, "Done when"): 1-, 2- and 4-character
queries cut from the corpus, in Simplified and in Traditional, plus queries with no hits, on whichever database
the suite runs on (run it on SQLite and on PostgreSQL)."""

from __future__ import annotations

import random

import opencc
import pytest

from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Publication
from gongkai.search import Filters
from gongkai.search.normalise import normalise
from tests.search.conftest import Corpus, Oracle, ids, sample_substrings, unpublished_too

pytestmark = pytest.mark.django_db
S2T = opencc.OpenCC("s2t")


def _corpus_texts() -> list[str]:
    texts: list[str] = []
    for pub in Publication.objects.all():
        texts += [pub.title, pub.text, pub.document_number, index_number(pub), pub.description, pub.keywords]
    return [normalise(t) for t in texts if t]


def test_search_equals_brute_force_for_1_2_and_4_character_queries(corpus: Corpus, oracle: Oracle) -> None:
    rng = random.Random(44)  # noqa: S311 - test data
    texts = _corpus_texts()
    queries: list[str] = []
    for length, k in ((1, 12), (2, 20), (4, 20)):
        simplified = sample_substrings(texts, length, k, rng)
        queries += simplified
        queries += [S2T.convert(q) for q in simplified]  # the same query in Traditional script
    queries += ["龘", "龘龘", "没有此词", "沒有此詞", "zzzz", "〔2099〕"]
    with_hits = 0
    for query in queries:
        for filters in (Filters(), unpublished_too()):
            expected = oracle(query, filters)
            assert ids(query, filters) == expected, query
            with_hits += bool(expected)
    assert with_hits > len(queries)  # most queries find something: the comparison is not vacuous


def test_traditional_and_simplified_queries_find_the_same_items(corpus: Corpus, oracle: Oracle) -> None:
    for simplified in ("行政审批", "财政", "规范性文件", "许政办", "报"):
        traditional = S2T.convert(simplified)
        assert traditional != simplified or len(simplified) == 1
        assert ids(traditional) == ids(simplified) == oracle(simplified)
        assert ids(simplified)


def test_document_and_index_numbers_are_searched(corpus: Corpus, oracle: Oracle) -> None:
    numbered = next(p for p in corpus.pubs if p.document_number and p.status == "published")
    assert numbered.pk in ids(numbered.document_number)
    county_item = next(p for p in corpus.pubs if p.body_id == corpus.tree.county_police.pk)
    rendered = index_number(county_item)
    assert rendered.startswith("XC-")  # the county's template, inherited by its police bureau
    assert ids(rendered, unpublished_too()) == [county_item.pk]
    assert ids(rendered.lower(), unpublished_too()) == [county_item.pk]  # case folded


def test_several_terms_must_all_occur(corpus: Corpus, oracle: Oracle) -> None:
    for query in ("行政 审批", "财政　资金 通知", "報告 许", "行政审批 行政", "环境 zzzz"):
        assert ids(query, unpublished_too()) == oracle(query, unpublished_too()), query
    assert ids("环境 zzzz") == []


def test_many_terms_beyond_the_sql_limit_stay_exact(corpus: Corpus, oracle: Oracle) -> None:
    rng = random.Random(7)  # noqa: S311 - test data
    target = next(p for p in corpus.pubs if len(normalise(p.text)) > 60)
    text = normalise(target.text)
    terms = {text[i] for i in rng.sample(range(len(text)), 40) if not text[i].isspace()}
    query = " ".join(sorted(terms))
    assert len(terms) > 16
    assert target.pk in ids(query, unpublished_too())
    assert ids(query, unpublished_too()) == oracle(query, unpublished_too())


def test_full_width_and_case_are_folded(corpus: Corpus, oracle: Oracle) -> None:
    assert ids("abc全角") == oracle("ABC全角") == ids("ＡＢＣ全角")
    assert ids("abc全角")
    assert ids("COVID-19") == ids("covid-19") == oracle("Covid-19")
    assert ids("１２３号") == ids("123号") == oracle("123号")
