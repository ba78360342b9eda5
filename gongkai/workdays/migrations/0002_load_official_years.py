"""Load the official holiday schedules 2008–2026 from the pinned ``holidays`` package.

The years are listed here explicitly, so what this migration loads never changes when
``gongkai.workdays.sources.PACKAGE_OFFICIAL_YEARS`` is extended later (add a new data migration or use
``gongkai calendar_load --year Y`` for that). 2027 is deliberately absent: holidays 0.109 guesses it without the
make-up working days, so it stays provisional until the State Council's notice is entered. The migration is
its own record: it writes no audit entry (later changes go through ``gongkai.workdays.actions``, which do).
"""

from django.db import migrations, models
from django.utils import timezone

YEARS = tuple(range(2008, 2027))


def load(apps, schema_editor):
    from gongkai.workdays.sources import days_from_package, package_source

    CalendarDay = apps.get_model("workdays", "CalendarDay")
    OfficialYear = apps.get_model("workdays", "OfficialYear")
    CalendarVersion = apps.get_model("workdays", "CalendarVersion")
    source, now, rows = package_source(), timezone.now(), []
    for year in YEARS:
        rows += [CalendarDay(date=d.date, is_working=d.is_working, name=d.name) for d in days_from_package(year)]
        OfficialYear.objects.update_or_create(year=year, defaults={"source": source, "note": "0002 data migration"})
    CalendarDay.objects.bulk_create(rows)
    version, _ = CalendarVersion.objects.get_or_create(pk=1, defaults={"changed_at": now})
    version.version += 1
    version.changed_at = now
    version.save()


def unload(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    OfficialYear = apps.get_model("workdays", "OfficialYear")
    CalendarDay.objects.filter(date__year__gte=YEARS[0], date__year__lte=YEARS[-1]).delete()
    OfficialYear.objects.filter(year__in=YEARS).delete()
    CalendarVersion = apps.get_model("workdays", "CalendarVersion")
    CalendarVersion.objects.filter(pk=1).update(version=models.F("version") + 1, changed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_schema"),
    ]

    operations = [migrations.RunPython(load, unload)]
