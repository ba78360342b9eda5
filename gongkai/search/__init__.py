"""Chinese full-text search over the proactive-disclosure catalog (issue 4, deliverable 4).

Public interface (import from here; the implementation imports models lazily so this package can be
imported while Django's app registry is still loading)::

    from gongkai.search import Filters, Hit, Results, search, reindex_on_commit, rebuild
"""

from gongkai.search.service import (
    EXACT,
    MODES,
    RELEVANCE,
    Filters,
    Hit,
    Results,
    SearchBackend,
    Suggestion,
    get_backend,
    normalise,
    rebuild,
    reindex,
    reindex_on_commit,
    search,
)

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
