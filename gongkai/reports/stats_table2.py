"""Table 2 (二、主动公开政府信息情况) of the 2019 trial (国办公开办函〔2019〕60号) and 2021 (国办公开办函〔2021〕30号)
formats, declared once per cell (statutory-reference §3.2-3.3; 2019 Regulations art 20 (1), (5), (6), (8), (9)).

Art 20 (1) — rules (规章) and normative documents (规范性文件 / 行政规范性文件), from the catalog's dates:
- 2021 本年制发件数 / 2019 本年新制作数量: documents whose issue date (印发日期) is in the year, published or not;
- 2021 本年废止件数: documents whose repeal date is in the year;
- 2021 现行有效件数: documents in force on 31 December (issued by then, not repealed by then);
- 2019 本年新公开数量: documents whose publication date is in the year;
- 2019 对外公开总数量: documents published by 31 December, in force on that day and not withdrawn by then
  (``withdrawn_on``, so a later withdrawal does not change an earlier year) — what the
  public can consult as applicable rules at year end (a repealed document stays in the catalog marked 废止 but
  is no longer an applicable rule); it is the published part of 2021's 现行有效件数, so the two formats agree.
The bodies are those of the scope plus every body merged into one of them on or before 31 December (a reform's
successor answers for its predecessors' documents), so 现行有效(N) = 现行有效(N−1) + 制发 − 废止 holds across
reforms too.

Art 20 (5), (6), (8), (9) — entered per body and year (``ProactiveFigures``, summed over the scope):
- 处理决定数量 / 本年处理决定数量: the year's decisions;
- 上一年项目数量: the previous year's year-end item count (its ``ProactiveFigures`` row, 0 when there is none);
- 本年增/减: this year's year-end count − the previous year's (negative when items were cancelled);
- 2021 本年收费金额（单位：万元）: fees collected (万元, to four decimals — one yuan);
- 2019 政府集中采购: projects and their total amount (万元).
Both years are summed over the same bodies (this year's scope), so a body merged in the year brings its last
year-end count into 上一年项目数量 and 本年增/减 shows the merger.

Drill-down (``Statistic.records``): a normative cell lists the documents it counts (the same measure
condition as the aggregate); an entered cell lists the bodies' ``ProactiveFigures`` rows, each annotated with
its ``figure`` (for 本年增/减, both years' rows, last year's negated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value

from gongkai.catalog.models import NormativeKind, ProactiveFigures, Publication, PublicationStatus
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import CellRef
from gongkai.reports.registry import Context, Number, Statistic, Unit, register

T2 = "二、主动公开政府信息情况"
ART20_1 = "第二十条第（一）项"
ART20_5 = "第二十条第（五）项"
ART20_6 = "第二十条第（六）项"
ART20_8 = "第二十条第（八）项"
ART20_9 = "第二十条第（九）项"
PREVIOUS = "上一年项目数量"
CHANGE = "本年增/减"  # the one Table 2 column that may be negative
DECISIONS_2019 = "处理决定数量"
DECISIONS_2021 = "本年处理决定数量"
ISSUED_2021, REPEALED_2021, IN_FORCE_2021 = "本年制发件数", "本年废止件数", "现行有效件数"
MADE_2019, PUBLISHED_2019, PUBLIC_TOTAL_2019 = "本年新制作数量", "本年新公开数量", "对外公开总数量"
WAN_YUAN_PRECISION = 4  # the figures are stored to the yuan (0.0001 万元)

# Normative rows: (key, NormativeKind, 2019 row, 2021 row)
NORMATIVE_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("rule", NormativeKind.RULE, "规章", "规章"),
    ("normative", NormativeKind.NORMATIVE, "规范性文件", "行政规范性文件"),
)
# Entered rows: (key, block, row, in the 2021 format too)
ITEM_ROWS: tuple[tuple[str, str, str, bool], ...] = (
    ("licensing", ART20_5, "行政许可", True),
    ("service", ART20_5, "其他对外管理服务事项", False),
    ("penalty", ART20_6, "行政处罚", True),
    ("enforcement", ART20_6, "行政强制", True),
)
FEE_ROW = "行政事业性收费"
PROCUREMENT_ROW = "政府集中采购"


def row_path(block: str, row: str) -> str:
    return f"{block}/{row}"


def cell(block: str, row: str, column: str) -> CellRef:
    return CellRef(T2, row_path(block, row), column)


# 第二十条第（一）项 -------------------------------------------------------------------------------------------


def merged_predecessor_ids(ctx: Context) -> list[int]:
    """Bodies merged (directly or through a chain of reforms) into a body in scope on or before 31 December.

    Reforms are few, so the successor links are read whole (one query) and the chain followed in memory; the
    bodies in scope are matched against them in one more query."""
    end = dt.date(ctx.year, 12, 31)
    links = list(
        Organisation.objects.filter(successor__isnull=False, valid_to__lte=end).values_list(
            "pk", "successor_id"
        )
    )
    if not links:
        return []
    successors = {s for _p, s in links}
    found = set(
        Organisation.objects.filter(pk__in=successors)
        .filter(pk__in=ctx.body_ids())
        .values_list("pk", flat=True)
    )
    merged: set[int] = set()
    while True:
        new = {p for p, s in links if (s in found or s in merged) and p not in merged}
        if not new:
            return sorted(merged)
        merged |= new


def _normative_documents(ctx: Context) -> QuerySet[Publication]:
    """Normative documents of the bodies in scope and of those merged into them."""
    in_scope = Q(body__in=ctx.body_ids()) | Q(body__in=merged_predecessor_ids(ctx))
    return Publication.objects.normative().filter(in_scope)


def _measures(year: int) -> dict[str, Q]:
    """The condition of each normative column (see the module docstring)."""
    end = dt.date(year, 12, 31)
    in_force = Q(issued_on__lte=end) & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
    return {
        "issued": Q(issued_on__year=year),
        "repealed": Q(repealed_on__year=year),
        "in_force": in_force,
        "published": Q(published_on__year=year),
        "public_total": in_force
        & Q(published_on__lte=end)
        # withdrawn after the year still counts for it; rows withdrawn before withdrawal dates were kept
        # (no withdrawn_on) count as withdrawn
        & (~Q(status=PublicationStatus.WITHDRAWN) | Q(withdrawn_on__gt=end)),
    }


def _normative(ctx: Context) -> dict[str, int]:
    """All normative cells in one aggregate query: {f"{kind}.{measure}": count}."""

    def query() -> dict[str, int]:
        aggregates = {
            f"{key}.{measure}": Count("id", filter=Q(normative_kind=kind) & condition)
            for key, kind, _r19, _r21 in NORMATIVE_ROWS
            for measure, condition in _measures(ctx.year).items()
        }
        rows = _normative_documents(ctx).aggregate(**aggregates)
        return {k: int(v or 0) for k, v in rows.items()}

    return ctx.memo("t2.normative", query)  # type: ignore[no-any-return]


def _normative_value(name: str) -> Callable[[Context], Number]:
    return lambda ctx: _normative(ctx)[name]


def _normative_records(kind: str, measure: str) -> Callable[[Context], QuerySet[Any]]:
    return lambda ctx: _normative_documents(ctx).filter(Q(normative_kind=kind) & _measures(ctx.year)[measure])


for n_key, n_kind, row_2019, row_2021 in NORMATIVE_ROWS:
    for measure, cells in (
        (
            "issued",
            {
                "2019": cell(ART20_1, row_2019, MADE_2019),
                "2021": cell(ART20_1, row_2021, ISSUED_2021),
            },
        ),
        ("repealed", {"2021": cell(ART20_1, row_2021, REPEALED_2021)}),
        ("in_force", {"2021": cell(ART20_1, row_2021, IN_FORCE_2021)}),
        ("published", {"2019": cell(ART20_1, row_2019, PUBLISHED_2019)}),
        ("public_total", {"2019": cell(ART20_1, row_2019, PUBLIC_TOTAL_2019)}),
    ):
        register(
            Statistic(
                f"t2.{n_key}.{measure}",
                row_path(ART20_1, row_2021),
                _normative_value(f"{n_key}.{measure}"),
                cells,
                records=_normative_records(n_kind, measure),
                extra_bodies=merged_predecessor_ids,
            )
        )

# 第二十条第（五）（六）（八）（九）项: entered figures ----------------------------------------------------------

SUMMED_FIELDS: tuple[str, ...] = (
    *(f"{key}_{what}" for key, *_rest in ITEM_ROWS for what in ("items", "decisions")),
    "fee_items",
    "fee_amount_wan_yuan",
    "procurement_projects",
    "procurement_amount_wan_yuan",
)


def _figures(ctx: Context) -> dict[str, Any]:
    """This year's and last year's rows summed over the bodies in scope, in one aggregate query:
    {f"{field}.{year}": sum}."""

    def query() -> dict[str, Any]:
        years = (ctx.year - 1, ctx.year)
        qs: QuerySet[ProactiveFigures] = ctx.bodies(ProactiveFigures.objects.filter(year__in=years))
        rows = qs.aggregate(
            **{f"{f}.{y}": Sum(f, filter=Q(year=y)) for f in SUMMED_FIELDS for y in years},
        )
        return {k: v if v is not None else 0 for k, v in rows.items()}

    return ctx.memo("t2.figures", query)  # type: ignore[no-any-return]


def _entered(name: str, previous: bool = False) -> Callable[[Context], QuerySet[Any]]:
    """The bodies' rows behind an entered cell (this year's, or last year's for 上一年项目数量), each annotated
    with its ``figure``."""
    return lambda ctx: ctx.bodies(
        ProactiveFigures.objects.filter(year=ctx.year - 1 if previous else ctx.year)
    ).annotate(figure=F(name))


def _entered_change(name: str) -> Callable[[Context], QuerySet[Any]]:
    """本年增/减: this year's rows count +, last year's −."""
    return lambda ctx: ctx.bodies(
        ProactiveFigures.objects.filter(year__in=(ctx.year - 1, ctx.year))
    ).annotate(figure=F(name) * (Value(2) * (F("year") - Value(ctx.year)) + Value(1)))


def _field(name: str, previous: bool = False) -> Callable[[Context], Number]:
    def compute(ctx: Context) -> Number:
        value = _figures(ctx)[f"{name}.{ctx.year - 1 if previous else ctx.year}"]
        return Decimal(value) if isinstance(value, Decimal) else int(value)

    return compute


def _change(name: str) -> Callable[[Context], Number]:
    def compute(ctx: Context) -> Number:
        figures = _figures(ctx)
        return int(figures[f"{name}.{ctx.year}"]) - int(figures[f"{name}.{ctx.year - 1}"])

    return compute


for i_key, block, i_row, in_2021 in ITEM_ROWS:
    register(
        Statistic(
            f"t2.{i_key}.previous",
            row_path(block, i_row),
            _field(f"{i_key}_items", previous=True),
            {"2019": cell(block, i_row, PREVIOUS)},
            records=_entered(f"{i_key}_items", previous=True),
        )
    )
    register(
        Statistic(
            f"t2.{i_key}.change",
            row_path(block, i_row),
            _change(f"{i_key}_items"),
            {"2019": cell(block, i_row, CHANGE)},
            records=_entered_change(f"{i_key}_items"),
        )
    )
    decisions = {"2019": cell(block, i_row, DECISIONS_2019)}
    if in_2021:
        decisions["2021"] = cell(block, i_row, DECISIONS_2021)
    register(
        Statistic(
            f"t2.{i_key}.decisions",
            row_path(block, i_row),
            _field(f"{i_key}_decisions"),
            decisions,
            records=_entered(f"{i_key}_decisions"),
        )
    )

register(
    Statistic(
        "t2.fee.previous",
        row_path(ART20_8, FEE_ROW),
        _field("fee_items", previous=True),
        {"2019": cell(ART20_8, FEE_ROW, PREVIOUS)},
        records=_entered("fee_items", previous=True),
    )
)
register(
    Statistic(
        "t2.fee.change",
        row_path(ART20_8, FEE_ROW),
        _change("fee_items"),
        {"2019": cell(ART20_8, FEE_ROW, CHANGE)},
        records=_entered_change("fee_items"),
    )
)
register(
    Statistic(
        "t2.fee.amount",
        row_path(ART20_8, FEE_ROW),
        _field("fee_amount_wan_yuan"),
        {"2021": cell(ART20_8, FEE_ROW, "本年收费金额（单位：万元）")},
        unit=Unit.WAN_YUAN,
        precision=WAN_YUAN_PRECISION,
        records=_entered("fee_amount_wan_yuan"),
    )
)
register(
    Statistic(
        "t2.procurement.projects",
        row_path(ART20_9, PROCUREMENT_ROW),
        _field("procurement_projects"),
        {"2019": cell(ART20_9, PROCUREMENT_ROW, "采购项目数量")},
        records=_entered("procurement_projects"),
    )
)
register(
    Statistic(
        "t2.procurement.amount",
        row_path(ART20_9, PROCUREMENT_ROW),
        _field("procurement_amount_wan_yuan"),
        {"2019": cell(ART20_9, PROCUREMENT_ROW, "采购总金额")},
        unit=Unit.WAN_YUAN,
        precision=WAN_YUAN_PRECISION,
        description="万元",
        records=_entered("procurement_amount_wan_yuan"),
    )
)
