"""Every entry is chained (CHECK), and the database refuses UPDATE and DELETE of entries (triggers, per vendor:
``gongkai.audit.triggers``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from gongkai.audit import triggers


def install(apps: Any, schema_editor: Any) -> None:
    triggers.install(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_existing_entries"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("chain_hash", ""), _negated=True) & models.Q(("prev_hash", ""), _negated=True),
                name="audit_entry_is_chained",
            ),
        ),
        # After the constraint: on SQLite adding it rebuilds the table, which would drop the triggers.
        migrations.RunPython(install, uninstall),
    ]
