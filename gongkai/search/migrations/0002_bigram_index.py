"""The backend-specific bigram index (docs/search.md): an FTS5 table on SQLite, a tsvector column with a GIN
index on PostgreSQL. Each runs only on its own database."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# contentless (content=''): only the index is stored; detail=none: token presence per row is all we ask. The
# rows are space-separated bigrams; the ascii tokenizer takes every non-ASCII character as a token character and
# tokenchars adds the ASCII punctuation, so only spaces (and control characters, which normalisation removes)
# separate tokens.
_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_TOKENIZE = "ascii tokenchars '" + _PUNCT.replace("'", "''") + "'"
SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(bigrams, content='', detail=none, columnsize=0, "
    "tokenize='" + _TOKENIZE.replace("'", "''") + "')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_UP = [
    "ALTER TABLE search_entry ADD COLUMN bigrams tsvector NULL",
    "CREATE INDEX search_entry_bigrams ON search_entry USING gin (bigrams)",
    # rows too large for a tsvector have none and are always candidates: find them by index
    "CREATE INDEX search_entry_unindexed ON search_entry (publication_id) WHERE bigrams IS NULL",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_entry_unindexed",
    "DROP INDEX IF EXISTS search_entry_bigrams",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS bigrams",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
