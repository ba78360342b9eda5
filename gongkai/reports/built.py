"""The staff report page's expensive parts — the figures, the §3.4 validation findings, the similarity to last
year's text, the charts and the submitted sources — built once per change and kept in the shared cache
(issue 11 deliverable 4; docs/portal.md, "Caching").

The cache key holds a stamp that changes whenever anything the page shows may have changed: the newest audit-log
entry (every write — records, section texts, submissions, publications, bulk loads — writes one in its own
transaction), the per-body aggregates' stamp (``gongkai.figures.stamp``: aggregates, tree, submissions), and
today's date (findings depend on it). Staff see their own change on their next GET."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from gongkai import pagecache
from gongkai.audit.models import AuditEntry
from gongkai.organisations.models import Organisation
from gongkai.reading import one_reading
from gongkai.reports import actions
from gongkai.reports.build import Report, ReportCell, build_report
from gongkai.reports.charts import chart_data, drawn_charts
from gongkai.reports.formats import all_cells
from gongkai.reports.registry import Context, Scope, statistics_for_format
from gongkai.reports.submitted import submission_url, submitting_org_ids


def stamp(org: Organisation, year: int, scope: Scope) -> str:
    """Changes whenever the report of ``org`` for ``year`` may have changed (see the module docstring)."""
    newest = AuditEntry.objects.aggregate(m=Max("pk"))["m"] or 0
    aggregates = ""
    if apps.is_installed("gongkai.figures"):
        from gongkai import figures

        aggregates = figures.stamp(org.pk, year, scope.value)
    return f"{newest}:{aggregates}:{timezone.localdate().isoformat()}"


def _build(org: Organisation, year: int, fmt: str, scope: Scope) -> dict[str, Any]:
    """The parts, each scope's aggregates read once (the report, the findings, last year's text and the trend
    ask for the same sums through several ``Context`` objects); the charts drawn only when their data changed."""
    from gongkai.reports.views import freeze_narrative  # the view module owns the narrative's frozen form

    with one_reading():
        report = build_report(org, year, fmt, scope)
        findings = actions.report_findings(report)
        similarity = actions.similarity_to_last_year(report, freeze_narrative(report))
        charts = chart_data(report)
    return {
        "values": report.values(),
        "findings": findings,
        "live_similarity": similarity,
        "chart_figures": drawn_charts(charts),
        "submitted": [(body, submission_url(body, year, fmt)) for body in _submitting(org, year, fmt, scope)],
    }


def _submitting(org: Organisation, year: int, fmt: str, scope: Scope) -> list[Organisation]:
    """The bodies of the report whose figures come from a current submission, in tree order (one query; the
    same bodies as the ``submission`` sources of ``submitted.sources``, without loading every body in scope)."""
    in_scope = Context(org=org, year=year, scope=scope, fmt=fmt).scope_ids()
    return list(
        Organisation.objects.filter(pk__in=in_scope)
        .filter(pk__in=submitting_org_ids(year, fmt))
        .order_by("path")
    )


def from_values(org: Organisation, year: int, fmt: str, scope: Scope, values: dict[str, Any]) -> Report:
    """The report with figures already computed (the cells in the format's order, as ``build_report``)."""
    stats = {s.cells[fmt]: s for s in statistics_for_format(fmt)}
    cells = tuple(ReportCell(c, stats[c], values[stats[c].key]) for c in all_cells(fmt))
    return Report(org, year, fmt, scope, cells)


def built_report(org: Organisation, year: int, fmt: str, scope: Scope) -> tuple[Report, dict[str, Any]]:
    """The report and its expensive parts, from the cache when nothing changed since they were built. Raises
    ``FormatNotAvailable`` as ``build_report`` does."""
    if not settings.GONGKAI_REPORT_CACHE:
        return _parts_to_report(org, year, fmt, scope, _build(org, year, fmt, scope))
    prefix = f"staff-report:{org.pk}:{year}:{fmt}:{scope.value}:{get_language()}:"
    before = stamp(org, year, scope)
    parts = pagecache.cache().get(prefix + before)
    if parts is None:
        parts = _build(org, year, fmt, scope)
        keys = {prefix + before}
        after = stamp(org, year, scope)
        # Building may bring stale aggregates up to date (``gongkai.figures``), which changes their stamp but no
        # figure: when no write happened meanwhile (the audit log did not move), the parts hold for both stamps.
        if after.split(":", 1)[0] == before.split(":", 1)[0]:
            keys.add(prefix + after)
        pagecache.cache().set_many(dict.fromkeys(keys, parts), settings.GONGKAI_PAGE_CACHE_TIMEOUT)
    return _parts_to_report(org, year, fmt, scope, parts)


def _parts_to_report(
    org: Organisation, year: int, fmt: str, scope: Scope, parts: dict[str, Any]
) -> tuple[Report, dict[str, Any]]:
    return from_values(org, year, fmt, scope, parts["values"]), parts
