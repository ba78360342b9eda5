"""gongkai calendar_import FILE --year Y [--encoding E] — load a year's official schedule from CSV or .ics.

Replaces the year's exception days and marks the year official (one audited batch); open cases' deadlines are
recomputed when it commits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.log import SYSTEM
from gongkai.workdays.actions import load_year
from gongkai.workdays.importing import ImportFailed, decode, parse_csv, parse_ics


class Command(BaseCommand):
    help = "Import a year's official holiday schedule from CSV (date,type,name) or iCalendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--encoding", help="default: UTF-8 (with or without BOM), else GB18030")
        parser.add_argument("--note", default="", help="e.g. the notice's number 国办发明电〔2026〕X号")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = decode(path.read_bytes(), options["encoding"])
            parse = parse_ics if path.suffix.lower() in {".ics", ".ical"} else parse_csv
            days = parse(text, options["year"])
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        except (ImportFailed, LookupError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}:\n{exc}") from exc
        load_year(SYSTEM, options["year"], days, f"import:{path.name}", note=options["note"])
        self.stdout.write(
            f"{options['year']}: {len(days)} days loaded from {path.name}; the year is official"
        )
