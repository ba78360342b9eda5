"""gongkai compare-reports OLD NEW [--json] [--docx OUT]: two years of one body side by side (report-checker
issue, Deliver 7; docs/checker-compare.md): the table cells that changed, the paragraphs added, removed and
changed, the share of text copied and the cross-year rule results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.checker import compare


class Command(BaseCommand):
    help = "Compare two years of one body's annual report: changed cells, paragraphs, copied share, cross-year rules"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="last year's report (.txt, .html, .docx, .pdf)")
        parser.add_argument("new", help="this year's report")
        parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
        parser.add_argument("--docx", metavar="OUT", help="also write the comparison as a DOCX file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            old, old_doc = compare.check_file(options["old"])
            new, new_doc = compare.check_file(options["new"], old_doc)
        except compare.Unreadable as exc:
            raise CommandError(str(exc)) from exc
        comparison = compare.compare(old, old_doc, new, new_doc)
        if options["docx"]:
            target = Path(options["docx"])
            if target.suffix.lower() != ".docx":
                raise CommandError(f"--docx {target}: the file must end in .docx")
            target.write_bytes(compare.to_docx(comparison))
        if options["json"]:
            self.stdout.write(json.dumps(comparison.as_json(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(compare.to_text(comparison))
