"""A generated catalog for the search tests: a few hundred items over the small tree, in Simplified,
Traditional and mixed script, with document numbers like 许政办〔2014〕11号, rendered index numbers (one subtree
with its own template), drafts and withdrawn items, and an independent brute-force oracle."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opencc
import pytest

from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Genre, IndexNumberTemplate, Publication, PublicationStatus, Topic
from gongkai.organisations.models import Organisation
from gongkai.search import Filters, rebuild, search
from gongkai.search.normalise import normalise
from tests.conftest import Tree

S2T = opencc.OpenCC("s2t")

PHRASES = (
    "行政审批",
    "财政资金",
    "征地拆迁",
    "保障性住房",
    "食品药品安全",
    "环境保护",
    "安全生产",
    "价格收费",
    "招生考试",
    "政府信息公开",
    "规范性文件",
    "行政处罚裁量基准",
    "义务教育",
    "医疗卫生",
    "公共资源交易",
    "突发事件应对",
    "国有土地上房屋征收",
    "农村低保",
    "统计数据",
    "人事任免",
)
GLUE = (
    "关于",
    "的",
    "工作",
    "通知",
    "意见",
    "实施",
    "办法",
    "情况",
    "报告",
    "进一步",
    "加强",
    "做好",
    "和",
    "在",
)
PREFIXES = ("许政办", "许政", "许教", "许财预", "长政文")


def make_publication(
    body: Organisation,
    serial: int,
    title: str,
    text: str = "",
    *,
    day: dt.date,
    status: str = PublicationStatus.PUBLISHED,
    **extra: Any,
) -> Publication:
    """One publication of ``body``, made the day before ``day`` and published on it (a draft: unpublished)."""
    return Publication.objects.create(
        body=body,
        index_code=body.org_code,
        index_year=extra.pop("index_year", day.year),
        index_serial=serial,
        title=title,
        text=text,
        made_on=day - dt.timedelta(days=1),
        published_on=None if status == PublicationStatus.DRAFT else day,
        status=status,
        **extra,
    )


@dataclass
class Corpus:
    pubs: list[Publication]
    tree: Tree


def _sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(PHRASES) + rng.choice(GLUE) for _ in range(n))


def _script(rng: random.Random, text: str) -> str:
    """Simplified, Traditional, or half and half."""
    choice = rng.randrange(3)
    if choice == 0:
        return text
    if choice == 1:
        return str(S2T.convert(text))
    half = len(text) // 2
    return str(S2T.convert(text[:half])) + text[half:]


def build_corpus(tree: Tree, n: int = 300, seed: int = 4) -> list[Publication]:
    rng = random.Random(seed)  # noqa: S311 - test data
    IndexNumberTemplate.objects.create(body=tree.county, template="XC-{code}-{year}-{serial:04d}")
    bodies = [tree.city, tree.office, tree.education, tree.school_office, tree.county, tree.county_police]
    topics = list(Topic.objects.all())
    genres = list(Genre.objects.all())
    serials: dict[str, int] = {}
    pubs: list[Publication] = []
    for i in range(n):
        body = rng.choice(bodies)
        year = rng.choice((2014, 2015, 2024))
        serials[body.org_code] = serials.get(body.org_code, 0) + 1
        status = rng.choices(
            [PublicationStatus.PUBLISHED, PublicationStatus.DRAFT, PublicationStatus.WITHDRAWN], [8, 1, 1]
        )[0]
        made = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300))
        docno = f"{rng.choice(PREFIXES)}〔{year}〕{rng.randrange(1, 99)}号" if rng.random() < 0.6 else ""
        extra = rng.choice(("", "ＡＢＣ全角", "Covid-19 防控", "第１２３号", "<b>粗体</b> & 符号"))
        pubs.append(
            Publication(
                body=body,
                index_code=body.org_code,
                index_year=year,
                index_serial=serials[body.org_code],
                title=_script(rng, rng.choice(GLUE) + _sentence(rng, 2)),
                text=_script(rng, _sentence(rng, rng.randrange(3, 12)) + extra),
                description=_script(rng, _sentence(rng, 1)) if rng.random() < 0.3 else "",
                keywords=" ".join(rng.sample(PHRASES, 2)) if rng.random() < 0.3 else "",
                document_number=S2T.convert(docno) if rng.random() < 0.3 else docno,
                made_on=made,
                published_on=None if status == PublicationStatus.DRAFT else made + dt.timedelta(days=3),
                status=status,
                topic=rng.choice(topics) if i % 4 else None,
                genre=rng.choice(genres) if i % 5 else None,
            )
        )
    created = Publication.objects.bulk_create(pubs)
    rebuild()
    return created


@pytest.fixture
def corpus(tree: Tree) -> Corpus:
    return Corpus(pubs=build_corpus(tree), tree=tree)


@dataclass
class _Doc:
    pub: Publication
    fields: list[str]


class Oracle:
    """Brute force over every publication: each field rendered (index numbers one by one through
    ``catalog.actions.index_number``) and normalised, each whitespace-separated term looked for by ``in``.
    Ordered as documented: title holding every term first, then more fields matched, then newest, then id."""

    def __init__(self) -> None:
        self.docs = [
            _Doc(
                pub,
                [
                    normalise(pub.title),
                    normalise(pub.document_number),
                    normalise(index_number(pub)),
                    "\n".join(normalise(f) for f in (pub.description, pub.keywords, pub.text)),
                ],
            )
            for pub in Publication.objects.select_related("body", "topic").order_by("pk")
        ]

    def _passes(self, pub: Publication, filters: Filters) -> bool:
        return (
            (filters.include_unpublished or pub.status == PublicationStatus.PUBLISHED)
            and (filters.body_ids is None or pub.body_id in filters.body_ids)
            and (filters.genre_id is None or pub.genre_id == filters.genre_id)
            and (
                filters.topic_id is None
                or (pub.topic is not None and filters.topic_id in (pub.topic.pk, pub.topic.parent_id))
            )
            and (
                filters.year is None
                or (pub.published_on is not None and pub.published_on.year == filters.year)
            )
        )

    def __call__(self, query: str, filters: Filters | None = None) -> list[int]:
        filters = filters or Filters()
        terms = list(dict.fromkeys(normalise(query).split()))
        found: list[tuple[tuple[int, int, dt.date, int], int]] = []
        for doc in self.docs:
            if not terms or not self._passes(doc.pub, filters):
                continue
            if all(any(t in f for f in doc.fields) for t in terms):
                title_all = all(t in doc.fields[0] for t in terms)
                n_fields = sum(any(t in f for t in terms) for f in doc.fields)
                key = (int(title_all), n_fields, doc.pub.published_on or dt.date.min, doc.pub.pk)
                found.append((key, doc.pub.pk))
        found.sort(reverse=True)
        return [pk for _key, pk in found]


@pytest.fixture
def oracle(corpus: Corpus) -> Oracle:
    return Oracle()


def ids(query: str, filters: Filters | None = None) -> list[int]:
    results = search(query, filters, limit=1000)
    assert results.total == len(results.hits)
    return [h.publication_id for h in results.hits]


def unpublished_too() -> Filters:
    return Filters(include_unpublished=True)


def sample_substrings(texts: Sequence[str], length: int, k: int, rng: random.Random) -> list[str]:
    """``k`` distinct substrings of ``length`` characters without whitespace, cut from the texts."""
    out: set[str] = set()
    while len(out) < k:
        text = rng.choice(texts)
        if len(text) < length:
            continue
        start = rng.randrange(len(text) - length + 1)
        piece = text[start : start + length]
        if not any(ch.isspace() for ch in piece):
            out.add(piece)
    return sorted(out)


@pytest.fixture(autouse=True, params=["database", "tantivy"])
def search_backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> str:
    """Every search test runs on the database's own backend and on the tantivy index, each test with its own
    index directory (nothing a rolled-back test wrote can be found by the next)."""
    from gongkai.search.inverted import forget_open_indexes

    if request.param == "tantivy":
        settings.GONGKAI_SEARCH_BACKEND = "tantivy"
        settings.GONGKAI_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    forget_open_indexes()
    return str(request.param)
