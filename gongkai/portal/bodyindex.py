"""Finding a body by a few characters of its name: the body step of the online application (2019 Regulations
art 29: the request names the body it is addressed to) and the search box of the bodies page.

A province holds about 6,000 bodies, so nothing here reads the tree per keystroke. The index is built once per
process and per generation of the bodies' pages (``pagecache.BODIES``, bumped whenever a body, guide or index
template is saved): one query over the current bodies, then a map from every character and every pair of
adjacent characters of a name (normalised as search normalises text: full-width forms, Traditional characters)
to the bodies holding it. A query costs the posting lists of its characters, not the size of the tree.

A term of the query matches a body whose name or short name holds it; with several terms (``许昌 教育``) each term
must be in the body's own names or those of its superiors, and at least one in its own.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai import pagecache
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.search.normalise import normalise

MAX_QUERY = 50  # characters of a query that are read (a name is at most 100)
LIMIT = 20  # matches shown at most
# The government of a level (本级人民政府): a request it receives about another body's work is passed on
# (分办), so an applicant who does not know the body responsible can address it.
GOVERNMENT_KINDS = frozenset({OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.TOWNSHIP})


@dataclass(frozen=True)
class Node:
    pk: int
    name: str
    short_name: str
    org_code: str
    kind: str
    parent: int | None
    depth: int
    path: str


@dataclass(frozen=True)
class Match:
    """A body with the (short) names of its superiors, for a list of choices (``许昌市 › 许昌市教育局``)."""

    node: Node
    trail: tuple[str, ...]

    @property
    def pk(self) -> int:
        return self.node.pk

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def org_code(self) -> str:
        return self.node.org_code

    @property
    def path_text(self) -> str:
        return " › ".join(self.trail)

    def as_json(self) -> dict[str, object]:
        return {"id": self.pk, "name": self.name, "org_code": self.org_code, "path": list(self.trail)}


@dataclass
class BodyIndex:
    nodes: dict[int, Node]
    own: dict[int, str] = field(default_factory=dict)  # normalised name + short name
    postings: dict[str, set[int]] = field(default_factory=dict)  # a character or a pair → bodies

    @classmethod
    def build(cls, nodes: Iterable[Node]) -> BodyIndex:
        index = cls({n.pk: n for n in nodes})
        for node in index.nodes.values():
            text = normalise(f"{node.name}\n{node.short_name}")
            index.own[node.pk] = text
            for gram in _grams(text):
                index.postings.setdefault(gram, set()).add(node.pk)
        return index

    def ancestors(self, pk: int) -> list[Node]:
        """The body's superiors from the root, then the body (those still in force)."""
        node = self.nodes.get(pk)
        if node is None:
            return []
        ids = [int(seg) for seg in node.path.split(".") if seg]
        return [self.nodes[i] for i in ids if i in self.nodes]

    def match(self, pk: int) -> Match | None:
        chain = self.ancestors(pk)
        if not chain:
            return None
        return Match(chain[-1], (*(n.short_name or n.name for n in chain[:-1]), chain[-1].name))

    def government_of(self, pk: int) -> Match | None:
        """The nearest people's government above the body, or the body itself if it is one."""
        for node in reversed(self.ancestors(pk)):
            if node.kind in GOVERNMENT_KINDS:
                return self.match(node.pk)
        return None

    def _own_hits(self, term: str) -> set[int]:
        if len(term) == 1:
            return set(self.postings.get(term, ()))
        lists = sorted((self.postings.get(term[i : i + 2], set()) for i in range(len(term) - 1)), key=len)
        found = set(lists[0]).intersection(*lists[1:]) if lists else set()
        return {pk for pk in found if term in self.own[pk]}

    def _trail_text(self, pk: int) -> str:
        return "\n".join(self.own[n.pk] for n in self.ancestors(pk))

    def find(self, query: str, limit: int = LIMIT) -> tuple[list[Match], bool]:
        """Up to ``limit`` matches of ``query``, best first (the whole name, then its beginning, then higher
        in the tree, then shorter), and whether there were more."""
        terms = normalise(query[:MAX_QUERY]).split()
        if not terms:
            return [], False
        hits: set[int] = set()
        for term in terms:
            hits |= self._own_hits(term)
        if len(terms) > 1:
            hits = {pk for pk in hits if all(t in self._trail_text(pk) for t in terms)}
        whole = "".join(terms)

        def rank(pk: int) -> tuple[int, int, int, int, str]:
            node, own = self.nodes[pk], self.own[pk].split("\n")
            closeness = 0 if whole in own else 1 if any(o.startswith(terms[0]) for o in own) else 2
            held = sum(t in self.own[pk] for t in terms)  # terms in its own names, not only its superiors'
            return -held, closeness, node.depth, len(node.name), node.path

        best = heapq.nsmallest(limit, hits, key=rank)
        return [m for pk in best if (m := self.match(pk)) is not None], len(hits) > limit

    def top(self, limit: int = LIMIT) -> list[Match]:
        """The bodies of the first two levels (the roots and their direct subordinates), in tree order."""
        nodes = sorted((n for n in self.nodes.values() if n.depth <= 1), key=lambda n: n.path)[:limit]
        return [m for n in nodes if (m := self.match(n.pk)) is not None]


def _grams(text: str) -> set[str]:
    grams = {ch for ch in text if not ch.isspace()}
    for word in text.split():
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return grams


_lock = threading.Lock()
_current: tuple[str, BodyIndex] | None = None


def _load() -> BodyIndex:
    rows = Organisation.objects.filter(valid_to__isnull=True).values_list(
        "pk", "name", "short_name", "org_code", "kind", "parent_id", "depth", "path"
    )
    return BodyIndex.build(Node(*row) for row in rows)


def current() -> BodyIndex:
    """The index of the bodies in force, rebuilt after any change to them (``pagecache.BODIES``)."""
    global _current
    token = pagecache.generation([pagecache.BODIES])
    found = _current
    if found is not None and found[0] == token:
        return found[1]
    with _lock:
        if _current is None or _current[0] != token:
            _current = (token, _load())
        return _current[1]


@dataclass(frozen=True)
class Picked:
    """What the body step offers: the matches of the query (or the top levels when nothing was typed), the
    chosen body kept among them, and the governments of the level to suggest (the hint)."""

    query: str
    choices: list[Match]
    found: int  # matches of the query among the choices
    more: bool
    chosen: int | None
    governments: list[Match]  # suggested, and not already among the choices

    @property
    def searched(self) -> bool:
        return bool(self.query.strip())

    @property
    def government_names(self) -> str:
        return "、".join(g.name for g in self.all_governments)

    all_governments: list[Match] = field(default_factory=list)


def pick(query: str, chosen: int | None, index: BodyIndex | None = None) -> Picked:
    index = index or current()
    query = query.strip()[:MAX_QUERY]
    choices, more = index.find(query) if query else (index.top(), False)
    matched = {m.pk for m in choices}
    kept = index.match(chosen) if chosen is not None else None
    if kept is not None and all(m.pk != kept.pk for m in choices):
        choices = [kept, *choices]
    sources = [kept] if kept is not None else choices[:3]
    governments: list[Match] = []
    for source in sources:
        gov = index.government_of(source.pk) if source is not None else None
        if gov is not None and all(g.pk != gov.pk for g in governments):
            governments.append(gov)
    if not governments:  # nothing matched: the governments at the top of the tree
        governments = [m for m in index.top() if m.node.kind in GOVERNMENT_KINDS and m.node.depth == 0]
    shown = {m.pk for m in choices}
    return Picked(
        query=query,
        choices=choices,
        found=len(choices) - (1 if kept is not None and kept.pk not in matched else 0),
        more=more,
        chosen=kept.pk if kept is not None else None,
        governments=[g for g in governments if g.pk not in shown],
        all_governments=governments,
    )


def pick_for(form: Any) -> Picked:
    """``pick`` for a bound form with the body search's two fields, ``body_q`` (the query) and ``body`` (the
    body chosen, kept among the matches): the application's and the mailbox letter's."""
    chosen = str(form["body"].value() or "")
    return pick(str(form["body_q"].value() or ""), int(chosen) if chosen.isdigit() else None)
