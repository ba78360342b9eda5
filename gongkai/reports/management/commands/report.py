"""gongkai report --org ORG --year Y [--format 2014|2019|2021] [--scope own|subtree] --output FILE

Writes JSON (.json) or Markdown (.md, or ``-`` for Markdown on standard output)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.organisations.actions import OrganisationNotFound, resolve_org
from gongkai.reports.build import FormatNotAvailable, build_report, report_json
from gongkai.reports.document import to_markdown
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year
from gongkai.reports.registry import Scope


class Command(BaseCommand):
    help = "Write a body's annual report as JSON or Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation code, credit code, name or short name")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=FORMAT_CODES, help="default: the format of the year")
        parser.add_argument("--scope", choices=[s.value for s in Scope], default=Scope.SUBTREE.value)
        parser.add_argument("--output", required=True, help="FILE.json, FILE.md, or - for Markdown on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2008 <= year <= 2100:
            raise CommandError(f"--year {year}: reports exist from 2008 on")
        try:
            org = resolve_org(options["org"], year)
        except OrganisationNotFound as exc:
            raise CommandError(str(exc)) from exc
        fmt = options["format"] or default_format_for_year(year)
        if fmt != default_format_for_year(year):
            self.stderr.write(
                f"warning: {year} reports use the {default_format_for_year(year)} format; --format {fmt} was asked for"
            )
        try:
            report = build_report(org, year, fmt, Scope(options["scope"]))
        except FormatNotAvailable as exc:
            raise CommandError(str(exc)) from exc
        output: str = options["output"]
        if output == "-":
            self.stdout.write(to_markdown(report))
            return
        path = Path(output)
        if path.suffix == ".json":
            text = json.dumps(report_json(report), ensure_ascii=False, indent=1) + "\n"
        elif path.suffix == ".md":
            text = to_markdown(report) + "\n"
        else:
            raise CommandError(f"--output {output}: use a .json or .md file name, or - for Markdown")
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--output {output}: {exc.strerror}") from exc
        self.stdout.write(f"{path}")
