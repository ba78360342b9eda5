"""The tantivy backend's shortcuts give the exact answer (docs/search.md, "The inverted index"): a field whose
term dictionary lacks a token the term needs leaves the query (``may_hold``), a score level that no document
can reach is not searched, "published only" excludes the unpublished instead of intersecting with the
published, and one-term levels drop the term's own clause. Each case is checked, page by page, against the
brute-force oracle on both backends: repeated characters (哈哈哈), overlapping bigrams, Traditional and
Simplified mixed in one word, punctuation inside a term, a term that only a number field holds, drafts."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.search import Filters, rebuild, search
from tests.conftest import Tree
from tests.search.conftest import Oracle, make_publication

pytestmark = pytest.mark.django_db
ALL = Filters(include_unpublished=True)

ITEMS = (  # title, text, document number, status, days after 2025-01-01
    ("哈哈哈通知", "哈哈哈哈", "", "published", 1),
    ("哈哈", "哈 哈哈 哈", "", "published", 2),
    ("关于哈哈的意见", "笑声哈哈哈", "许政〔2025〕3号", "published", 3),
    ("阿巴阿巴阿", "巴阿巴", "", "published", 4),
    ("巴阿", "阿巴阿巴", "", "published", 5),
    ("財政预算报告", "财政預算执行情况", "许财预〔2025〕1号", "published", 6),
    ("财政预算", "", "許財預〔2025〕12号", "published", 7),
    ("预算草案", "財政預算", "", "draft", 8),
    ("第１２３号公告", "Covid-19 防控 a&b", "许政〔2025〕123号", "published", 9),
    ("防控通知", "covid-19防控", "", "withdrawn", 10),
    ("无关标题", "无关正文", "长政文〔2025〕7号", "published", 11),
    ("无关标题", "无关正文", "长政文〔2025〕7号", "published", 11),
)
QUERIES = (
    "哈",
    "哈哈",
    "哈哈哈",
    "哈哈哈哈",
    "哈哈哈哈哈",
    "哈 哈哈",
    "阿巴阿",
    "巴阿巴",
    "阿巴阿巴阿",
    "巴阿巴阿",
    "财政预算",
    "財政預算",
    "財政预算",
    "预算 〔2025〕",
    "〔2025〕1",
    "〔2025〕12号",
    "許財預",
    "第123号",
    "covid-19",
    "a&b",
    "19 防控",
    "长政文〔2025〕7号",
    "无关 长政文",
    "政〔2025〕",
    "预算草案",
    "龘",
)


def _catalog(tree: Tree) -> None:
    for serial, (title, text, docno, status, days) in enumerate(ITEMS, start=1):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=days)
        make_publication(tree.city, serial, title, text, day=day, status=status, document_number=docno)
    rebuild()


@pytest.mark.parametrize("filters", [Filters(), ALL], ids=["published", "all"])
def test_totals_and_order_equal_the_brute_force_on_tricky_terms(tree: Tree, filters: Filters) -> None:
    _catalog(tree)
    oracle = Oracle()
    for query in QUERIES:
        want = oracle(query, filters)
        got = search(query, filters, limit=100)
        assert got.total == len(want), query
        assert [h.publication_id for h in got.hits] == want, query


def test_every_page_crosses_the_score_levels_exactly(tree: Tree) -> None:
    """Pages of two at every offset: the page is cut out of the documented order wherever the levels start."""
    _catalog(tree)
    oracle = Oracle()
    for query in ("哈", "哈哈", "财政预算", "政〔2025〕", "无关 长政文"):
        want = oracle(query, ALL)
        for offset in range(len(want) + 2):
            got = search(query, ALL, limit=2, offset=offset)
            assert got.total == len(want), (query, offset)
            assert [h.publication_id for h in got.hits] == want[offset : offset + 2], (query, offset)
