"""A read-only view of the FTS5 index's vocabulary (documents per bigram), so that a search can pick a term's
rarest bigrams and skip the index when every bigram is common (SQLite only)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _up(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')", params=None
        )


def _down(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab", params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_bigram_index")]

    operations = [migrations.RunPython(_up, _down)]
