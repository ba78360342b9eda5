"""gongkai validate-report --org ORG --year Y [--format 2014|2019|2021] [--scope own|subtree] [--json]

Prints the findings of ``gongkai.reports.validation.validate_report`` (statutory-reference §3.4, the deadline of
§3 and the 2021 fee statement): one per line as ``SEVERITY<TAB>RULE<TAB>MESSAGE``, or with ``--json`` a JSON list
of ``{rule, severity, message, cells}``. A summary goes to standard error. Exit status: 1 when there is at least
one error, 0 otherwise (warnings only or nothing found); bad arguments exit through CommandError (status 1)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.organisations.actions import OrganisationNotFound, resolve_org
from gongkai.reports.build import FormatNotAvailable
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year
from gongkai.reports.registry import Scope
from gongkai.reports.validation import has_errors, validate_report


class Command(BaseCommand):
    help = "Validate a body's annual report; exit status 1 when there are errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation code, credit code, name or short name")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=FORMAT_CODES, help="default: the format of the year")
        parser.add_argument("--scope", choices=[s.value for s in Scope], default=Scope.SUBTREE.value)
        parser.add_argument("--json", action="store_true", help="print a JSON list of findings")

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
            findings = validate_report(org, year, fmt, Scope(options["scope"]))
        except FormatNotAvailable as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
        else:
            for finding in findings:
                self.stdout.write(f"{finding.severity}\t{finding.rule}\t{finding.message}")
        errors = sum(f.severity == "error" for f in findings)
        self.stderr.write(
            f"{org.name} {year} ({fmt}, {options['scope']}): {errors} error(s), {len(findings) - errors} warning(s)"
        )
        if has_errors(findings):
            sys.exit(1)
