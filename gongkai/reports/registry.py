"""The statistics registry: every figure a report prints is declared once here — its key, its official label
in each report format (a cell of ``report-formats.json``) and the aggregate query that counts it.

A figure is computed for one body (``own``) or the body with all its descendants (``subtree``) for a calendar
year. Queries are aggregate SQL over indexed columns (COUNT/SUM with GROUP BY); grouped results are memoised
per computation so that, e.g., the four request channels cost one query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, TypeVar, cast

from django.db.models import QuerySet

from gongkai.organisations.models import Organisation
from gongkai.reports import submitted
from gongkai.reports.formats import CellRef, default_format_for_year

Number = int | Decimal
QS = TypeVar("QS", bound=QuerySet[Any])


class Scope(StrEnum):
    OWN = "own"
    SUBTREE = "subtree"


class Unit(StrEnum):
    COUNT = "count"
    WAN_YUAN = "wan_yuan"  # 万元, two decimals
    PERCENT = "percent"


@dataclass
class Context:
    """One computation: a body, a year, a scope; memoises grouped queries.

    Submissions (填报, ``gongkai.reports.submitted``): a body with a current submission for the year and
    ``fmt`` (the report format; "" = the year's default) is counted from its submitted figures instead of its
    records — ``body_ids()`` leaves it out and ``value()`` adds the submitted sums to the leaf statistics."""

    org: Organisation
    year: int
    scope: Scope
    fmt: str = ""
    live: bool = False  # True: count every leaf from the records (no per-body aggregates, gongkai.figures)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _reads: list[bool] = field(default_factory=list, repr=False)  # per statistic being computed: reads others

    def bodies(self, qs: QS, rel: str = "body") -> QS:
        """Restrict ``qs`` to records whose ``rel`` body is in scope (an indexed subquery on the path)."""
        return qs.filter(**{f"{rel}__in": self.body_ids()})

    def report_format(self) -> str:
        return self.fmt or default_format_for_year(self.year)

    def scope_ids(self) -> QuerySet[Any]:
        """The bodies in scope, plus those merged into one of them during the year (a reform's predecessors
        report through their successor for the reform year, e.g. 许昌县 → 建安区 in 2017)."""
        if self.scope is Scope.OWN:
            base = Organisation.objects.filter(pk=self.org.pk)
        else:
            base = Organisation.objects.filter(path__startswith=self.org.path)
        predecessors = Organisation.objects.filter(successor__in=base.values("pk"), valid_to__year=self.year)
        return (base | predecessors).values("pk")

    def body_ids(self) -> QuerySet[Any]:
        """The bodies in scope whose figures come from their records: those without a current submission."""
        submitting = submitted.submitting_org_ids(self.year, self.report_format())
        return self.scope_ids().exclude(pk__in=submitting).values("pk")

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def value(self, key: str) -> Number:
        """Another statistic's value in this context (for rates and sums)."""
        if self._reads:
            self._reads[-1] = True  # the statistic being computed reads another one: it is derived
        return cast(Number, self.memo(f"stat:{key}", lambda: self._compute(REGISTRY[key])))

    def _compute(self, stat: Statistic) -> Number:
        """The records' value plus the submitted sum — for leaf statistics only: a derived one (a rate, a sum
        of other statistics) is recomputed from values that already include the submissions."""
        stored = self._stored()
        if stat.key in stored:
            value: Number = stored[stat.key]
            derived = False
        else:
            self._reads.append(False)
            try:
                value = stat.compute(self)
            finally:
                derived = self._reads.pop()
        if derived or stat.unit is Unit.PERCENT:
            return value
        submitted = self._submitted().get(stat.key)
        if submitted is None:
            return value
        return value + (int(submitted) if stat.unit is Unit.COUNT else submitted)

    def _stored(self) -> dict[str, Number]:
        """The leaf statistics read from the per-body aggregates (``gongkai.figures``): {key: value} summed over
        the bodies in scope, for every statistic stored for the year; empty for a live computation."""
        if self.live:
            return {}
        from gongkai.figures.read import scope_values

        return cast(dict[str, Number], self.memo("gongkai.figures", lambda: scope_values(self)))

    def _submitted(self) -> dict[str, Decimal]:
        return cast(
            dict[str, Decimal],
            self.memo(
                "submitted",
                lambda: submitted.submitted_sums(self.scope_ids(), self.year, self.report_format()),
            ),
        )


@dataclass(frozen=True)
class Statistic:
    key: str
    label: str  # the official label (the row path) — also the cells' row
    compute: Callable[[Context], Number]
    cells: Mapping[str, CellRef]  # report format → cell
    unit: Unit = Unit.COUNT
    precision: int = 0  # decimals for PERCENT / WAN_YUAN
    description: str = ""
    # The records the statistic counts or sums (the staff report's drill-down, gongkai.reports.drilldown):
    # the same filter as ``compute``; None for derived statistics (rates, sums of other statistics).
    records: Callable[[Context], QuerySet[Any]] | None = None
    # Per-body aggregates (gongkai.figures, docs/statistics.md "Aggregates"): the value of ``records`` for one
    # body is ``measure`` (an aggregate expression; None = COUNT of the records, or SUM of their annotated
    # ``figure`` for entered rows) divided by ``divisor``, grouped by the records' body in one query for many
    # bodies. ``additive`` False: the value is not a sum over bodies (computed live); ``extra_bodies``: bodies
    # counted beside ``Context.body_ids()`` (e.g. Table 2's merged predecessors).
    measure: Any = None
    divisor: int = 1
    additive: bool = True
    extra_bodies: Callable[[Context], list[int]] | None = None


REGISTRY: dict[str, Statistic] = {}


def register(stat: Statistic) -> Statistic:
    if stat.key in REGISTRY:
        raise ValueError(f"statistic {stat.key!r} declared twice")
    REGISTRY[stat.key] = stat
    return stat


def percent(numerator: Number, denominator: Number, precision: int) -> Decimal:
    """A rate in percent, rounded half-up to ``precision`` decimals; 0 when there is nothing to divide."""
    if not denominator:
        return Decimal(0).quantize(Decimal(1).scaleb(-precision))
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def statistics_for_format(fmt: str) -> list[Statistic]:
    return [s for s in REGISTRY.values() if fmt in s.cells]


def format_value(stat: Statistic, value: Number) -> str:
    """Print a value the way reports print it: no thousands separators, rates to the declared precision."""
    if stat.unit is Unit.COUNT:
        return str(int(value))
    quantum = Decimal(1).scaleb(-stat.precision)
    text = str(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))
    if stat.unit is Unit.WAN_YUAN and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def json_value(stat: Statistic, value: Number) -> int | float:
    if stat.unit is Unit.COUNT:
        return int(value)
    return float(format_value(stat, value))
