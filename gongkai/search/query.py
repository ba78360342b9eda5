"""From a query string to ``Results``: terms, the backend's page of ids, then highlighted titles and snippets.

Terms: the query is normalised (``gongkai.search.normalise``) and split on whitespace; every term must occur
(AND) in one of the fields (not necessarily the same one). Duplicate terms count once. An empty or
whitespace-only query finds nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalog.models import Publication
from gongkai.catalog.public import public_versions
from gongkai.search.normalise import normalise
from gongkai.search.service import EXACT, MODES, RELEVANCE, Filters, Hit, Results, Suggestion, get_backend

SNIPPET_CHARS = 120
SNIPPET_BEFORE = 30
MAX_LIMIT = 1000
SUGGEST_BELOW = 5  # a first page with fewer items than this offers related searches
MAX_SUGGESTIONS = 3
SUGGEST_MAX_CHARS = 40  # longer queries get no related searches
SUGGEST_MAX_WORDS = 6  # "one word left out" variants only for queries of at most this many words
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')  # after normalisation (＂ is ")
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RUNS = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_CHINESE = re.compile(f"[{_CJK}]+")


def terms_of(query: str) -> list[str]:
    """The distinct normalised terms of a query, in query order."""
    return list(dict.fromkeys(normalise(query).split()))


def words_of(term: str) -> list[str]:
    """Relevance mode's words of one unquoted term: Chinese runs cut into two-character words (保障房 → 保障, 房;
    住房保障 → 住房, 保障), anything else (numbers, Latin, punctuation) kept whole."""
    words: list[str] = []
    for run in _RUNS.findall(term):
        if _CHINESE.fullmatch(run):
            words += [run[i : i + 2] for i in range(0, len(run), 2)]
        else:
            words.append(run)
    return words


def parse_relevance(query: str) -> tuple[list[str], list[str], list[str]]:
    """(words, phrases, unquoted terms) of a relevance-mode query: quoted parts are exact phrases (their
    whitespace-separated terms), the rest is segmented into words."""
    norm = normalise(query)
    phrases: list[str] = []
    for match in _QUOTED.finditer(norm):
        phrases += next(g for g in match.groups() if g is not None).split()
    rest = _QUOTED.sub(" ", norm).replace('"', " ").split()
    words = [w for term in rest for w in words_of(term)]
    return list(dict.fromkeys(words)), list(dict.fromkeys(phrases)), list(dict.fromkeys(rest))


def _page(
    query: str, filters: Filters, mode: str, limit: int, offset: int
) -> tuple[list[tuple[int, float]], int, list[str]]:
    """The backend's page of (id, score), the exact total and the terms to highlight."""
    backend = get_backend()
    if mode == RELEVANCE:
        words, phrases, _rest = parse_relevance(query)
        if not words and not phrases:
            return [], 0, []
        page, total = backend.search_relevance(words, phrases, filters, limit=limit, offset=offset)
        return page, total, [*phrases, *words]
    terms = terms_of(query)
    if not terms:
        return [], 0, []
    page, total = backend.search_ids(terms, filters, limit=limit, offset=offset)
    return page, total, terms


def suggest(query: str, filters: Filters, mode: str, total: int) -> list[Suggestion]:
    """Related searches (相关搜索) that find more: an exact query as words (relevance mode); a relevance query
    without its quotes, then with one word left out (the last words first)."""
    if len(query) > SUGGEST_MAX_CHARS:
        return []  # a pasted paragraph: no guessing
    words, phrases, rest = parse_relevance(query)
    candidates: list[str] = []
    if mode == EXACT or phrases:
        candidates.append(" ".join([*rest, *phrases]))
    if 1 < len(words) <= SUGGEST_MAX_WORDS:
        candidates += [" ".join(w for w in words if w != left) for left in reversed(words)]
    out: list[Suggestion] = []
    backend = get_backend()
    same = " ".join(query.split()) if mode == RELEVANCE else None
    for text in dict.fromkeys(c for c in candidates if c and c != same):
        w, p, _r = parse_relevance(text)
        found = backend.search_relevance(w, p, filters, limit=0, offset=0)[1]
        if found > total:
            out.append(Suggestion(query=text, mode=RELEVANCE, total=found))
        if len(out) >= MAX_SUGGESTIONS:
            break
    return out


def run_search(query: str, filters: Filters, *, limit: int, offset: int, mode: str = EXACT) -> Results:
    if mode not in MODES:
        raise ValueError(f"search mode {mode!r}: one of {MODES}")
    limit = min(max(int(limit), 0), MAX_LIMIT)
    offset = max(int(offset), 0)
    page, total, terms = _page(query, filters, mode, limit, offset)
    if not terms:
        return Results(hits=[], total=0)
    suggestions = suggest(query, filters, mode, total) if offset == 0 and total < SUGGEST_BELOW else []
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
    return Results(hits=hits, total=total, suggestions=suggestions)


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
