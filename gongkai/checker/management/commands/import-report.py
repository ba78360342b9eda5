"""gongkai import-report FILE --org ORG [--year Y] [--dry-run] [--other-body]: a published report's figures
stored as the body's submission for the year (report-checker issue, Deliver 5; docs/checker-compare.md): the
findings are printed first; refused, naming the cells, when a required cell is ambiguous or missing, the format
cannot hold the year, or the report is another body's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.checker import compare, importing
from gongkai.organisations.actions import OrganisationNotFound, resolve_org


class Command(BaseCommand):
    help = "Store a published report's figures as the body's submission (填报) for the year"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the report (.txt, .html, .docx, .pdf)")
        parser.add_argument("--org", required=True, help="organisation code, credit code, name or short name")
        parser.add_argument("--year", type=int, help="default: the report's year")
        parser.add_argument("--dry-run", action="store_true", help="show what would be stored; store nothing")
        parser.add_argument(
            "--other-body", action="store_true", help="store even though the report names another body"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result, doc = compare.check_file(options["file"])
        except compare.Unreadable as exc:
            raise CommandError(str(exc)) from exc
        year = options["year"] if options["year"] is not None else result.year
        try:
            org = resolve_org(options["org"], year)
        except OrganisationNotFound as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.body} {result.year} ({result.format})")
        for finding in result.findings:
            self.stdout.write(f"[{finding.severity}] {finding.rule}: {finding.message}")
        p = importing.plan(result, doc, org, options["year"], other_body=options["other_body"])
        for note in p.notes:
            self.stdout.write(f"* {note}")
        if not p.ok:
            raise CommandError("refused: " + "；".join(p.problems))
        if options["dry_run"]:
            self.stdout.write(f"dry run: {org.name} ({org.org_code}) {p.year}, format {p.format}:")
            for line in importing.describe(p):
                self.stdout.write("  " + line)
            return
        try:
            submission = importing.store(p, filename=options["file"].rsplit("/", 1)[-1])
        except importing.ImportRefused as exc:
            raise CommandError("refused: " + "；".join(exc.problems)) from exc
        self.stdout.write(
            f"stored: submission {submission.pk} of {org.name} ({org.org_code}) {p.year}, format {p.format}, "
            f"{len(p.values)} figures"
        )
