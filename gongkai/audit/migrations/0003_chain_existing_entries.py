"""Chain the entries written before the chain existed, in id order (their insertion order)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from gongkai.audit import chain


def chain_existing(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    prev, batch = chain.GENESIS, []
    for entry in entry_model.objects.order_by("id").iterator(chunk_size=1000):
        entry.prev_hash = prev
        entry.chain_hash = prev = chain.entry_hash(prev, chain.content_of(entry))
        batch.append(entry)
        if len(batch) == 500:
            entry_model.objects.bulk_update(batch, ["prev_hash", "chain_hash"])
            batch = []
    entry_model.objects.bulk_update(batch, ["prev_hash", "chain_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_hash_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
