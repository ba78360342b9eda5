"""The hash chain's columns (docs/audit.md); 0003 fills them for existing entries, 0004 then requires them."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="上一条哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="链式哈希"),
            preserve_default=False,
        ),
    ]
