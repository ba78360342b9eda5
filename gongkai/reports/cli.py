"""What the report commands (``report``, ``validate-report``) share: the arguments naming a report and their
checks — a year from 2008, an organisation that existed then, the format of the year unless asked otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from gongkai.organisations.actions import OrganisationNotFound, resolve_org
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import FORMAT_CODES, default_format_for_year
from gongkai.reports.registry import Scope


@dataclass(frozen=True)
class ReportArgs:
    org: Organisation
    year: int
    fmt: str
    scope: Scope


def add_report_arguments(parser: CommandParser) -> None:
    parser.add_argument("--org", required=True, help="organisation code, credit code, name or short name")
    parser.add_argument("--year", required=True, type=int)
    parser.add_argument("--format", choices=FORMAT_CODES, help="default: the format of the year")
    parser.add_argument("--scope", choices=[s.value for s in Scope], default=Scope.SUBTREE.value)


def check_year(year: int) -> None:
    if not 2008 <= year <= 2100:
        raise CommandError(f"--year {year}: reports exist from 2008 on")


def report_args(options: dict[str, Any], stderr: OutputWrapper) -> ReportArgs:
    """The report the options name; a format other than the year's is allowed with a warning on ``stderr``."""
    year: int = options["year"]
    check_year(year)
    try:
        org = resolve_org(options["org"], year)
    except OrganisationNotFound as exc:
        raise CommandError(str(exc)) from exc
    default = default_format_for_year(year)
    fmt = options["format"] or default
    if fmt != default:
        stderr.write(f"warning: {year} reports use the {default} format; --format {fmt} was asked for")
    return ReportArgs(org, year, fmt, Scope(options["scope"]))
