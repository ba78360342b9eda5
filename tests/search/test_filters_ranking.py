"""Filters (body, topic with its children, genre, year, unpublished), ranking (title hits first) and
pagination with an exact total."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog.models import Genre, Publication, PublicationStatus, Topic
from gongkai.search import Filters, reindex, search
from gongkai.search.indexing import rows_for
from tests.search.conftest import Corpus, Oracle, ids

pytestmark = pytest.mark.django_db


def test_filters_match_the_brute_force(corpus: Corpus, oracle: Oracle) -> None:
    tree = corpus.tree
    parent = Topic.objects.filter(parent__isnull=True, children__isnull=False).first()
    assert parent is not None
    genre = Genre.objects.get(code="tongzhi")
    cases = [
        Filters(body_ids=[tree.education.pk, tree.school_office.pk]),
        Filters(body_ids=[tree.county.pk, tree.county_police.pk], include_unpublished=True),
        Filters(body_ids=[]),
        Filters(topic_id=parent.pk),
        Filters(genre_id=genre.pk),
        Filters(year=2024),
        Filters(year=2015, body_ids=[tree.city.pk], include_unpublished=True),
    ]
    for filters in cases:
        for query in ("行政", "政", "通知", "許"):
            assert ids(query, filters) == oracle(query, filters), (query, filters)
    assert ids("政", Filters(body_ids=[])) == []


def test_topic_filter_includes_child_topics(corpus: Corpus) -> None:
    child = Topic.objects.filter(parent__isnull=False).first()
    assert child is not None and child.parent is not None
    pub = corpus.pubs[0]
    Publication.objects.filter(pk=pub.pk).update(topic=child, status=PublicationStatus.PUBLISHED)
    reindex([pub.pk])  # a raw update bypasses the catalog's write functions (the index keeps filter values)
    found = ids(pub.title, Filters(topic_id=child.parent.pk))
    assert pub.pk in found
    assert pub.pk in ids(pub.title, Filters(topic_id=child.pk))


def test_unpublished_items_are_left_out_by_default(corpus: Corpus) -> None:
    hidden = [p for p in corpus.pubs if p.status != PublicationStatus.PUBLISHED]
    assert hidden
    for pub in hidden[:5]:
        assert pub.pk not in ids(pub.title)
        assert pub.pk in ids(pub.title, Filters(include_unpublished=True))


def test_title_hits_come_first(corpus: Corpus) -> None:
    results = search("财政", limit=1000)
    titles = [
        "财政" in rows_for([h.publication_id])[0].title for h in results.hits
    ]  # normalised: Traditional titles count too
    assert any(titles) and not all(titles)
    first_miss = titles.index(False)
    assert all(titles[:first_miss]) and not any(titles[first_miss:])
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_newer_items_rank_first_among_equals(corpus: Corpus) -> None:
    hits = search("政", limit=1000).hits
    by_score: dict[float, list[int]] = {}
    for hit in hits:
        by_score.setdefault(hit.score, []).append(hit.publication_id)
    published = dict(Publication.objects.values_list("pk", "published_on"))
    for group in by_score.values():
        days = [published[pk] or dt.date.min for pk in group]
        assert days == sorted(days, reverse=True)


def test_pages_cover_the_results_once_with_an_exact_total(corpus: Corpus, oracle: Oracle) -> None:
    expected = oracle("政")
    assert len(expected) > 45
    seen: list[int] = []
    for offset in range(0, len(expected) + 20, 20):
        page = search("政", limit=20, offset=offset)
        assert page.total == len(expected)
        seen += [h.publication_id for h in page.hits]
    assert seen == expected
    assert search("政", limit=0).hits == []
    assert search("政", limit=0).total == len(expected)
    assert search("政", offset=10_000).hits == []
