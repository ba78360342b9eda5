"""A year of a body's (or subtree's) 12345 tickets in figures, by aggregate SQL (one query for the counts, one
GROUP BY for the statuses): received, completed by 31 December (the convention of ``l.hotline.completed``),
late, rated and satisfied; the completion rate (completed / received) and the satisfaction rate
((满意 + 基本满意) / rated tickets, 未评价 left out), in percent to one decimal (``reports.registry.percent``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from gongkai.hotline.models import OPEN_STATUSES, SATISFIED_VALUES, Satisfaction, Ticket, TicketStatus
from gongkai.reports.registry import percent


@dataclass(frozen=True)
class YearFigures:
    year: int
    received: int
    completed: int
    late: int
    rated: int
    satisfied: int
    by_status: dict[str, int]

    @property
    def completion_rate(self) -> Decimal:
        return percent(self.completed, self.received, 1)

    @property
    def satisfaction_rate(self) -> Decimal:
        return percent(self.satisfied, self.rated, 1)


def received_in(qs: QuerySet[Ticket], year: int) -> QuerySet[Ticket]:
    return qs.filter(received_at__year=year)


def year_figures(qs: QuerySet[Ticket], year: int) -> YearFigures:
    """The figures of the tickets of ``qs`` received in ``year``."""
    base = received_in(qs, year)
    now = timezone.now()
    totals: dict[str, Any] = base.aggregate(
        received=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False, completed_at__year__lte=year)),
        late=Count(
            "id",
            filter=Q(due_at__isnull=False)
            & (
                Q(completed_at__gt=F("due_at"))
                | Q(completed_at__isnull=True, status__in=sorted(OPEN_STATUSES), due_at__lt=now)
            ),
        ),
        rated=Count("id", filter=~Q(satisfaction=Satisfaction.UNRATED)),
        satisfied=Count("id", filter=Q(satisfaction__in=list(SATISFIED_VALUES))),
    )
    by_status = {s: 0 for s in TicketStatus.values}
    for row in base.order_by().values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    return YearFigures(year=year, by_status=by_status, **{k: int(v or 0) for k, v in totals.items()})
