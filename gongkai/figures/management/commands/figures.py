"""gongkai figures rebuild [--year Y ...] [--org CODE ...] | gongkai figures status [--year Y]

``rebuild`` recomputes the per-body aggregates (every body and reporting year by default; one audit entry per
batch); ``status`` prints, per year, the bodies computed, those marked dirty and the latest computation."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Max, Q

from gongkai import figures
from gongkai.figures.models import BodyFigure, FigureState, FigureYear
from gongkai.organisations.actions import OrganisationNotFound, resolve_org


class Command(BaseCommand):
    help = "Rebuild or inspect the per-body statistics aggregates of the reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="recompute the aggregates")
        rebuild.add_argument("--year", type=int, action="append", help="a year (repeatable; default: all)")
        rebuild.add_argument(
            "--org", action="append", help="a body's code or name (repeatable; default: all)"
        )
        status = sub.add_parser("status", help="freshness per year")
        status.add_argument("--year", type=int, action="append")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            self._rebuild(options)
        else:
            self._status(options)

    def _rebuild(self, options: dict[str, Any]) -> None:
        org_ids = None
        if options["org"]:
            try:
                org_ids = [resolve_org(text).pk for text in options["org"]]
            except OrganisationNotFound as exc:
                raise CommandError(str(exc)) from exc

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                self.stderr.write(f"\r{done}/{total} years", ending="")

        done = figures.rebuild(org_ids, options["year"], progress)
        self.stdout.write(f"recomputed {done} body-years")

    def _status(self, options: dict[str, Any]) -> None:
        states = FigureState.objects.all()
        if options["year"]:
            states = states.filter(year__in=options["year"])
        rows = (
            states.values("year")
            .annotate(bodies=Count("pk"), dirty=Count("pk", filter=Q(dirty=True)), last=Max("computed_at"))
            .order_by("year")
        )
        built = set(FigureYear.objects.values_list("year", flat=True))
        self.stdout.write("year  built  bodies  dirty  figures  computed")
        for row in rows:
            n = BodyFigure.objects.filter(year=row["year"]).count()
            mark = "yes" if {0, row["year"]} & built else "no"
            self.stdout.write(
                f"{row['year']}  {mark:5}  {row['bodies']:6}  {row['dirty']:5}  {n:7}  {row['last'] or '-'}"
            )
