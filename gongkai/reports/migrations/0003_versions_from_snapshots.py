"""Data migration: every report published before versions existed becomes version 1 of itself, with the
snapshot, checksum, time and publisher it was published with (a withdrawn report's snapshot also becomes
version 1; having no publication time left, it is dated at the migration)."""

from django.db import migrations
from django.utils import timezone


def snapshots_to_versions(apps, schema_editor):
    ReportPublication = apps.get_model("reports", "ReportPublication")
    ReportVersion = apps.get_model("reports", "ReportVersion")
    for pub in ReportPublication.objects.filter(snapshot__isnull=False).order_by("pk").iterator():
        if ReportVersion.objects.filter(publication=pub).exists():
            continue
        ReportVersion.objects.create(
            publication=pub,
            number=1,
            snapshot=pub.snapshot,
            checksum=pub.checksum,
            published_at=pub.published_at or timezone.now(),
            published_by_id=pub.published_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_versions")]

    operations = [migrations.RunPython(snapshots_to_versions, migrations.RunPython.noop)]
