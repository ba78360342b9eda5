"""gongkai report --org ORG --year Y [--format 2014|2019|2021] [--scope own|subtree] --output FILE

Writes the file its suffix names — .json, .md, .html, .docx, .pdf, .xlsx (``gongkai.reports.exports``,
rendered from the frozen report, as a published snapshot is) — or ``-`` for Markdown on standard output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.reports.build import FormatNotAvailable, build_report
from gongkai.reports.cli import add_report_arguments, check_year, report_args
from gongkai.reports.document import freeze, to_markdown
from gongkai.reports.exports import SUFFIXES, render_frozen


class Command(BaseCommand):
    help = "Write a body's annual report as JSON, Markdown, HTML, DOCX, PDF or XLSX (by the file suffix)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_report_arguments(parser)
        parser.add_argument(
            "--output",
            required=True,
            help=f"FILE with one of {', '.join(SUFFIXES)}, or - for Markdown on stdout",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_year(options["year"])
        output: str = options["output"]
        if output != "-" and Path(output).suffix.lower() not in SUFFIXES:
            raise CommandError(
                f"--output {output}: use a file name ending in {', '.join(SUFFIXES)}, or - for Markdown"
            )
        args_ = report_args(options, self.stderr)
        try:
            report = build_report(args_.org, args_.year, args_.fmt, args_.scope)
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
