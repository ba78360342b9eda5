"""gongkai search QUERY [--limit N] [--offset N] [--json] [--body ORG] [--year Y] [--include-unpublished]
[--mode exact|relevance]

Searches the catalog like the public portal (published items only unless asked). ``--body`` takes the body
and every body under it. ``--json`` prints a JSON list of hits with ``index_number``, ``title`` (plain text)
and ``score`` among others."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.catalog.models import Publication
from gongkai.organisations.actions import OrganisationNotFound, resolve_org
from gongkai.search import EXACT, MODES, Filters, search
from gongkai.search.indexing import index_numbers


class Command(BaseCommand):
    help = "Search the proactive-disclosure catalog (exact substring match, Simplified or Traditional)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="words to find; all must occur (separate them with spaces)")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--offset", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print a JSON list of hits")
        parser.add_argument("--body", help="publishing body (and the bodies under it): code or name")
        parser.add_argument("--year", type=int, help="year of publication")
        parser.add_argument(
            "--include-unpublished", action="store_true", help="drafts and withdrawn items too"
        )
        parser.add_argument(
            "--mode",
            choices=MODES,
            default=EXACT,
            help="exact: every term as written (default); relevance: words anywhere, quoted text exact",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 0 or options["offset"] < 0:
            raise CommandError("--limit and --offset must not be negative")
        body_ids: list[int] | None = None
        if options["body"]:
            try:
                org = resolve_org(options["body"], options["year"])
            except OrganisationNotFound as exc:
                raise CommandError(str(exc)) from exc
            body_ids = list(org.subtree().values_list("pk", flat=True))
        filters = Filters(
            body_ids=body_ids, year=options["year"], include_unpublished=options["include_unpublished"]
        )
        results = search(
            options["query"],
            filters,
            limit=options["limit"],
            offset=options["offset"],
            mode=options["mode"],
        )
        pubs = Publication.objects.select_related("body").in_bulk([h.publication_id for h in results.hits])
        numbers = index_numbers(pubs.values())
        rows = [
            {
                "publication_id": hit.publication_id,
                "index_number": numbers[hit.publication_id],
                "title": pubs[hit.publication_id].title,
                "document_number": pubs[hit.publication_id].document_number,
                "body": pubs[hit.publication_id].body.name,
                "published_on": (
                    d.isoformat() if (d := pubs[hit.publication_id].published_on) is not None else None
                ),
                "status": pubs[hit.publication_id].status,
                "score": hit.score,
            }
            for hit in results.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(f"{row['score']:>5.1f}  {row['index_number']}  {row['title']}")
        self.stdout.write(f"{results.total} found")
        for suggestion in results.suggestions:
            self.stdout.write(f"related: {suggestion.query} ({suggestion.total})")
