"""gongkai report --org ORG --year Y [--format 2014|2019|2021] [--scope own|subtree] --output FILE

Writes the file its suffix names — .json, .md, .html, .docx, .pdf, .xlsx (``gongkai.reports.exports``,
rendered from the frozen report, as a published snapshot is) — or ``-`` for Markdown on standard output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.organisations.actions import OrganisationNotFound, resolve_org
from gongkai.reports.build import FormatNotAvailable, build_report
from gongkai.reports.document import freeze, to_markdown
from gongkai.reports.exports import SUFFIXES, render_frozen
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year
from gongkai.reports.registry import Scope


class Command(BaseCommand):
    help = "Write a body's annual report as JSON, Markdown, HTML, DOCX, PDF or XLSX (by the file suffix)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation code, credit code, name or short name")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=FORMAT_CODES, help="default: the format of the year")
        parser.add_argument("--scope", choices=[s.value for s in Scope], default=Scope.SUBTREE.value)
        parser.add_argument(
            "--output",
            required=True,
            help=f"FILE with one of {', '.join(SUFFIXES)}, or - for Markdown on stdout",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2008 <= year <= 2100:
            raise CommandError(f"--year {year}: reports exist from 2008 on")
        output: str = options["output"]
        if output != "-" and Path(output).suffix.lower() not in SUFFIXES:
            raise CommandError(
                f"--output {output}: use a file name ending in {', '.join(SUFFIXES)}, or - for Markdown"
            )
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
        if output == "-":
            self.stdout.write(to_markdown(report))
            return
        path = Path(output)
        data = render_frozen(freeze(report), path.suffix)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"--output {output}: {exc.strerror}") from exc
        self.stdout.write(f"{path}")
