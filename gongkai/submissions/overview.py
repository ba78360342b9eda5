"""The state of every body behind a roll-up report (issue 12 §3: a supervisor-style view for the body that
publishes it): per body in the report's scope, where its figures come from (records or a submission, 填报),
whether its own report on the year is published (2019 Regulations art 49) and the errors and warnings of what
it handed in — the validation findings frozen with its published version, or its current submission's
warnings (a submission with errors is refused). Stored data only: four queries whatever the subtree's size,
no validation re-run per body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from gongkai.organisations.models import Organisation
from gongkai.reports.models import ReportPublication, ReportVersion
from gongkai.submissions.models import Submission
from gongkai.submissions.rollup import sources


@dataclass(frozen=True)
class BodyState:
    body: Organisation
    source: str  # "records" | "submission"
    submission_id: int | None
    published_on: dt.date | None
    version: int | None
    errors: int | None  # None: nothing handed in yet (the live report shows its findings)
    warnings: int | None


def _counts(findings: Any) -> tuple[int, int]:
    rows = [f for f in findings or [] if isinstance(f, dict)]
    errors = sum(1 for f in rows if f.get("severity") == "error")
    return errors, len(rows) - errors


def _published(bodies: list[Organisation], year: int, fmt: str) -> dict[int, tuple[Any, ...]]:
    """{body id: (published at, latest version number, its findings)}; a body's subtree report wins over its
    own-scope one."""
    latest = ReportVersion.objects.filter(publication=OuterRef("pk")).order_by("-number")
    rows = (
        ReportPublication.objects.filter(
            org__in=[b.pk for b in bodies], year=year, format=fmt, published_at__isnull=False
        )
        .annotate(number=Subquery(latest.values("number")[:1]), found=Subquery(latest.values("findings")[:1]))
        .order_by("scope")  # "own" before "subtree": the later row replaces the earlier
        .values_list("org_id", "published_at", "number", "found")
    )
    return {org_id: (at, number, found) for org_id, at, number, found in rows}


def body_states(org: Organisation, year: int, fmt: str) -> list[BodyState]:
    """Every body of ``org``'s subtree report on ``year`` in ``fmt``, in tree order."""
    found = sources(org, year, fmt, "subtree")
    bodies = [s.body for s in found]
    published = _published(bodies, year, fmt)
    submitted = dict(
        Submission.objects.filter(pk__in=[s.submission_id for s in found if s.submission_id]).values_list(
            "pk", "warnings"
        )
    )
    states = []
    for s in found:
        at, number, findings = published.get(s.body.pk, (None, None, None))
        errors: int | None = None
        warnings: int | None = None
        if at is not None:
            errors, warnings = _counts(findings)
        elif s.submission_id is not None:
            errors, warnings = 0, len(submitted.get(s.submission_id) or [])
        day = timezone.localdate(at) if at is not None else None
        states.append(BodyState(s.body, s.kind, s.submission_id, day, number, errors, warnings))
    return states
