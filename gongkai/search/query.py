"""From a query string to ``Results``: terms, the backend's page of ids, then highlighted titles and snippets.

Terms: the query is normalised (``gongkai.search.normalise``) and split on whitespace; every term must occur
(AND) in one of the fields (not necessarily the same one). Duplicate terms count once. An empty or
whitespace-only query finds nothing."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalog.models import Publication
from gongkai.catalog.public import public_versions
from gongkai.search.normalise import normalise
from gongkai.search.service import Filters, Hit, Results, get_backend

SNIPPET_CHARS = 120
SNIPPET_BEFORE = 30
MAX_LIMIT = 1000


def terms_of(query: str) -> list[str]:
    """The distinct normalised terms of a query, in query order."""
    return list(dict.fromkeys(normalise(query).split()))


def run_search(query: str, filters: Filters, *, limit: int, offset: int) -> Results:
    terms = terms_of(query)
    if not terms:
        return Results(hits=[], total=0)
    limit = min(max(int(limit), 0), MAX_LIMIT)
    offset = max(int(offset), 0)
    page, total = get_backend().search_ids(terms, filters, limit=limit, offset=offset)
    pubs = Publication.objects.only("title", "text", "description", "status", "published_on").in_bulk(
        [pk for pk, _ in page]
    )
    public_versions(list(pubs.values()))  # an item under revision is found and shown as last published
    hits = [
        Hit(
            publication_id=pk,
            score=score,
            title_html=highlight(pubs[pk].title, terms),
            snippet_html=snippet(pubs[pk], terms),
        )
        for pk, score in page
        if pk in pubs
    ]
    return Results(hits=hits, total=total)


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of every occurrence of every term in ``text`` (compared normalised; the
    normalisation keeps positions, so the spans apply to the original)."""
    norm = normalise(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = norm.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = norm.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: Sequence[tuple[int, int]], lo: int, hi: int) -> str:
    out: list[str] = []
    pos = lo
    for start, end in spans:
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:hi]))
    return "".join(out)


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """``text`` escaped, every match wrapped in ``<mark>``."""
    return mark_safe(_marked(text, match_spans(text, terms), 0, len(text)))  # noqa: S308 - escaped above


def snippet(pub: Publication, terms: Sequence[str]) -> SafeString:
    """About ``SNIPPET_CHARS`` characters of the text (else the description) around the first match, escaped
    and highlighted, with … where cut; "" when neither has a match."""
    for text in (pub.text, pub.description):
        spans = match_spans(text, terms)
        if spans:
            first = spans[0][0]
            lo = max(0, min(first - SNIPPET_BEFORE, len(text) - SNIPPET_CHARS))
            hi = min(len(text), lo + SNIPPET_CHARS)
            body = _marked(text, spans, lo, hi)
            return mark_safe(("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""))  # noqa: S308
    return mark_safe("")
