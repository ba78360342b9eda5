"""The roll-up of submitted figures into reports (issue 5 deliverable 2; statutory-reference §3: a subtree report
covers every body of the subtree, on the platform or not).

The rule, applied by ``gongkai.reports.registry.Context``:

- a body with a *current* submission for the report's year and format (or, for a report printed in another
  format than the year's, in the year's own format: ``SubmissionQuerySet.for_report``) is left out of the record-derived
  figures (``Context.body_ids()`` excludes it), and its submitted figures are added instead — a body is counted
  from one source only, never twice;
- the submitted figures of the bodies in scope are summed in SQL, one GROUP BY per context
  (``submitted_sums``), and added to the *leaf* statistics only: a statistic computed from other statistics
  (a rate in percent, Unit.PERCENT) is recomputed from the summed counts, never summed itself.

``sources`` tells, per body in scope, where its figures came from; ``submission_url`` links a report cell to the
submission it came from (the staff report's drill-down). Reports do not import this module: it is their
``gongkai.reports.submitted.SubmittedFigures``, registered by ``SubmissionsConfig.ready``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.urls import reverse

from gongkai.organisations.models import Organisation
from gongkai.reports.registry import Context, Scope
from gongkai.reports.submitted import Source
from gongkai.submissions.models import Submission, SubmittedValue


def submitting_org_ids(year: int, fmt: str) -> QuerySet[Any]:
    """The bodies with a current submission for the year and format (a subquery, not evaluated here)."""
    return Submission.objects.current().for_report(year, fmt).values("org_id")


def submitted_sums(scope_ids: QuerySet[Any], year: int, fmt: str) -> dict[str, Decimal]:
    """{statistic key: sum of the current submissions of the bodies in ``scope_ids``}: one aggregate query."""
    rows = (
        SubmittedValue.objects.in_range()
        .filter(submission__in=Submission.objects.current().for_report(year, fmt).filter(org__in=scope_ids))
        .values("statistic_key")
        .annotate(total=Sum("value"))
    )
    return {row["statistic_key"]: row["total"] for row in rows}


def submitted_values(submission_ids: list[int], key: str) -> dict[int, Decimal]:
    """{submission id: its value for the statistic ``key``} (the drill-down's 来自填报 rows): one query."""
    rows = (
        SubmittedValue.objects.in_range()
        .filter(submission_id__in=submission_ids, statistic_key=key)
        .values_list("submission_id", "value")
    )
    return dict(rows)


def sources(org: Organisation, year: int, fmt: str, scope: str) -> list[Source]:
    """Where each body's figures in the report of ``org`` come from (two queries). Bodies that did not exist
    in the year and have no submission are left out."""
    ctx = Context(org=org, year=year, scope=Scope(scope), fmt=fmt)
    bodies = Organisation.objects.filter(pk__in=ctx.scope_ids()).order_by("path")
    current = dict(
        Submission.objects.current().for_report(year, fmt).filter(org__in=bodies).values_list("org_id", "pk")
    )
    return [
        Source(body, "submission", current[body.pk]) if body.pk in current else Source(body, "records")
        for body in bodies
        if body.pk in current or body.existed_in(year)
    ]


def submission_url(org: Organisation, year: int, fmt: str) -> str | None:
    """The staff page of ``org``'s current submission for the year and format, or None when its figures come
    from its records (for the drill-down of a report cell)."""
    submitted = Submission.objects.current().for_report(year, fmt).filter(org=org).first()
    if submitted is None:
        return None
    return reverse("submissions:body", args=[org.org_code, year]) + f"?format={submitted.format}"
