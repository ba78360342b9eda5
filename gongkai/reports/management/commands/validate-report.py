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

from gongkai.reports.build import FormatNotAvailable
from gongkai.reports.cli import add_report_arguments, report_args
from gongkai.reports.validation import has_errors, validate_report


class Command(BaseCommand):
    help = "Validate a body's annual report; exit status 1 when there are errors."

    def add_arguments(self, parser: CommandParser) -> None:
        add_report_arguments(parser)
        parser.add_argument("--json", action="store_true", help="print a JSON list of findings")

    def handle(self, *args: Any, **options: Any) -> None:
        args_ = report_args(options, self.stderr)
        org, year, fmt = args_.org, args_.year, args_.fmt
        try:
            findings = validate_report(org, year, fmt, args_.scope)
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
