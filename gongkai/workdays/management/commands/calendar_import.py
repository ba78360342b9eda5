"""gongkai calendar_import FILE --year Y [--encoding E] [--note N] — load a year's official schedule from CSV or
.ics.

All or nothing (``gongkai.workdays.importing``): a file that cannot be read whole exits non-zero naming each
bad line and changes nothing. Otherwise the year's exception days are replaced and the year is marked official
(one audited batch); open cases' deadlines are recomputed when it commits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.audit.log import SYSTEM
from gongkai.inputs import InputError, normalise_text
from gongkai.workdays.actions import load_year
from gongkai.workdays.importing import ImportFailed, decode, parse_csv, parse_ics
from gongkai.workdays.models import OfficialYear

SOURCE_MAX = OfficialYear._meta.get_field("source").max_length or 100


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
            note = normalise_text(options["note"])
            text = decode(path.read_bytes(), options["encoding"])
            parse = parse_ics if path.suffix.lower() in {".ics", ".ical"} else parse_csv
            days = parse(text, options["year"])
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        except InputError as exc:
            raise CommandError(f"--note: {exc}") from exc
        except (ImportFailed, LookupError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}:\n{exc}") from exc
        source = f"import:{path.name}"[:SOURCE_MAX]
        try:
            load_year(SYSTEM, options["year"], days, source, note=note)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            _("%(year)d年：从%(file)s载入%(n)d天，该年度的节假日安排已标为官方")
            % {"year": options["year"], "file": path.name, "n": len(days)}
        )
