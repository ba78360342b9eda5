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
from gongkai.reports.formats import CellRef

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
    """One computation: a body, a year, a scope; memoises grouped queries."""

    org: Organisation
    year: int
    scope: Scope
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def bodies(self, qs: QS, rel: str = "body") -> QS:
        """Restrict ``qs`` to records whose ``rel`` body is in scope (an indexed subquery on the path)."""
        return qs.filter(**{f"{rel}__in": self.body_ids()})

    def body_ids(self) -> QuerySet[Any]:
        """The bodies in scope, plus those merged into one of them during the year (a reform's predecessors
        report through their successor for the reform year, e.g. 许昌县 → 建安区 in 2017)."""
        if self.scope is Scope.OWN:
            base = Organisation.objects.filter(pk=self.org.pk)
        else:
            base = Organisation.objects.filter(path__startswith=self.org.path)
        predecessors = Organisation.objects.filter(successor__in=base.values("pk"), valid_to__year=self.year)
        return (base | predecessors).values("pk")

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def value(self, key: str) -> Number:
        """Another statistic's value in this context (for rates and sums)."""
        return cast(Number, self.memo(f"stat:{key}", lambda: REGISTRY[key].compute(self)))


@dataclass(frozen=True)
class Statistic:
    key: str
    label: str  # the official label (the row path) — also the cells' row
    compute: Callable[[Context], Number]
    cells: Mapping[str, CellRef]  # report format → cell
    unit: Unit = Unit.COUNT
    precision: int = 0  # decimals for PERCENT / WAN_YUAN
    description: str = ""


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
