"""Background work for the search index (huey): with ``GONGKAI_SEARCH_INDEX_WRITER=worker`` the web processes
write the database rows on commit and leave the tantivy index to the worker, the one process that holds its
writer (docs/search.md, "Keeping the index current")."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=10)  # type: ignore[untyped-decorator]
def write_index(publication_ids: list[int]) -> int:
    """Bring the tantivy index up to date for these publications (from their committed database state)."""
    from gongkai.search.inverted import write_documents

    return write_documents(publication_ids)
