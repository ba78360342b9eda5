"""Submitted figures (填报, statutory-reference §3): the hook through which reports read the figures of bodies that
keep their own books — without importing the app that stores them.

``gongkai.submissions`` depends on reports (formats, registry, validation); reports depend only on this
protocol. The submissions app registers its implementation (``gongkai.submissions.rollup``) when Django starts
(``SubmissionsConfig.ready``); ``Context`` and the drill-down call the functions below. Reports computed with no
registered implementation would silently count submitting bodies from their records, so that is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from gongkai.organisations.models import Organisation


@dataclass(frozen=True)
class Source:
    """Where one body's figures in a report come from."""

    body: Organisation
    kind: str  # "records" | "submission"
    submission_id: int | None = None


class SubmittedFigures(Protocol):
    """What reports need of the submissions (a module with these functions satisfies it)."""

    def submitting_org_ids(self, year: int, fmt: str) -> QuerySet[Any]:
        """The bodies with a current submission for the year and format (a subquery)."""
        ...

    def submitted_sums(self, scope_ids: QuerySet[Any], year: int, fmt: str) -> dict[str, Decimal]:
        """{statistic key: sum of the current submissions of the bodies in ``scope_ids``}."""
        ...

    def submitted_values(self, submission_ids: list[int], key: str) -> dict[int, Decimal]:
        """{submission id: its value for the statistic ``key``}."""
        ...

    def sources(self, org: Organisation, year: int, fmt: str, scope: str) -> list[Source]:
        """Where each body's figures in the report of ``org`` come from."""
        ...

    def submission_url(self, org: Organisation, year: int, fmt: str) -> str | None:
        """The staff page of ``org``'s current submission, or None when its figures come from its records."""
        ...


_registered: list[SubmittedFigures] = []


def register(figures: SubmittedFigures) -> None:
    """Install the implementation (once per process; registering again replaces it)."""
    _registered[:] = [figures]


def _figures() -> SubmittedFigures:
    if not _registered:
        raise ImproperlyConfigured(
            "gongkai.reports needs gongkai.submissions in INSTALLED_APPS (submitted figures)"
        )
    return _registered[0]


def submitting_org_ids(year: int, fmt: str) -> QuerySet[Any]:
    return _figures().submitting_org_ids(year, fmt)


def submitted_sums(scope_ids: QuerySet[Any], year: int, fmt: str) -> dict[str, Decimal]:
    return _figures().submitted_sums(scope_ids, year, fmt)


def submitted_values(submission_ids: list[int], key: str) -> dict[int, Decimal]:
    return _figures().submitted_values(submission_ids, key)


def sources(org: Organisation, year: int, fmt: str, scope: str) -> list[Source]:
    return _figures().sources(org, year, fmt, scope)


def submission_url(org: Organisation, year: int, fmt: str) -> str | None:
    return _figures().submission_url(org, year, fmt)
