"""``gongkai calendar_load --year Y``: load a year's official holiday schedule from the pinned ``holidays``
package and mark the year official (one audit entry). Years outside ``PACKAGE_OFFICIAL_YEARS`` are refused
unless ``--force``: the package guesses them without the State Council's make-up working days (调休)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.log import SYSTEM
from gongkai.workdays.actions import load_year
from gongkai.workdays.sources import PACKAGE_OFFICIAL_YEARS, days_from_package, package_source


class Command(BaseCommand):
    help = "Load a year's holidays and make-up working days (调休) from the pinned holidays package."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, required=True, action="append", help="year to load (repeatable)"
        )
        parser.add_argument("--force", action="store_true", help="load a year not in the verified list")
        parser.add_argument("--dry-run", action="store_true", help="print the days without saving")
        parser.add_argument("--note", default="", help="note stored with the official year")

    def handle(self, *args: Any, **options: Any) -> None:
        # All the years or none: a refused year leaves the calendar as it was.
        with transaction.atomic():
            for year in options["year"]:
                self._load(year, force=options["force"], dry_run=options["dry_run"], note=options["note"])

    def _load(self, year: int, *, force: bool, dry_run: bool, note: str) -> None:
        if year not in PACKAGE_OFFICIAL_YEARS and not force:
            raise CommandError(
                _(
                    "--year %(year)s：不在已核对的年份（%(first)s–%(last)s）之内；"
                    "该年份的数据可能是推算的，缺少调休上班日。"
                    "请按国务院办公厅通知在后台录入，或确认后加 --force"
                )
                % {"year": year, "first": PACKAGE_OFFICIAL_YEARS[0], "last": PACKAGE_OFFICIAL_YEARS[-1]}
            )
        days = days_from_package(year)
        for day in days:
            self.stdout.write(
                f"{day.date.isoformat()} {_('上班') if day.is_working else _('休息')} {day.name}"
            )
        if dry_run:
            return
        source = package_source() + (" (forced)" if year not in PACKAGE_OFFICIAL_YEARS else "")
        try:
            load_year(SYSTEM, year, days, source, note=note)
        except ValidationError as exc:
            raise CommandError(f"--year {year}: {'; '.join(exc.messages)}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(year)s 年已载入 %(count)s 条并标记为官方安排") % {"year": year, "count": len(days)}
            )
        )
