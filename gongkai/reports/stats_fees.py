"""Information-processing fees collected in the year (国办函〔2020〕109号, statutory-reference §4), for the
fee statement the 2021 format requires in section 六 (statutory-reference §3.3: "must state whether
information-processing fees were collected").

These statistics are not cells of any table (``cells`` is empty): narrative templates use them as
placeholders, e.g. ``{if fees.requests}…{fees.amount}万元…{else}未收取信息处理费。{endif}``. One aggregate query
(COUNT/SUM over ``FeeCollected`` by collection date, bodies in scope) serves all three; the drill-down
(``Statistic.records``) lists the same fee records, or the requests they were collected for."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from gongkai.cases.models import FeeCollected, InformationRequest
from gongkai.reports.registry import Context, Number, Statistic, Unit, register


def _fee_records(ctx: Context) -> QuerySet[FeeCollected]:
    return ctx.bodies(FeeCollected.objects.filter(collected_on__year=ctx.year))


def _fee_requests(ctx: Context) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(pk__in=_fee_records(ctx).values("request"))


def _fees(ctx: Context) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        return _fee_records(ctx).aggregate(
            records=Count("id"),
            requests=Count("request", distinct=True),
            yuan=Coalesce(Sum("amount_yuan"), Decimal(0)),
        )

    return ctx.memo("fees", compute)  # type: ignore[no-any-return]


def _field(name: str) -> Callable[[Context], Number]:
    def value(ctx: Context) -> Number:
        return _fees(ctx)[name]  # type: ignore[no-any-return]

    return value


register(
    Statistic(
        "fees.records",
        "收取信息处理费笔数",
        _field("records"),
        {},
        description="本年度收取信息处理费的收费记录笔数（按收费日期）",
        records=_fee_records,
    )
)
register(
    Statistic(
        "fees.requests",
        "收取信息处理费的申请件数",
        _field("requests"),
        {},
        description="本年度收取了信息处理费的政府信息公开申请件数（按收费日期，同一申请计1件）",
        records=_fee_requests,
        additive=False,  # a request counts once even if several bodies collected fees for it
    )
)
register(
    Statistic(
        "fees.amount",
        "收取信息处理费金额（万元）",
        lambda ctx: Decimal(_fees(ctx)["yuan"]) / 10000,
        {},
        unit=Unit.WAN_YUAN,
        precision=6,
        description="本年度收取的信息处理费金额，单位万元（精确到分）",
        records=_fee_records,
        measure=Sum("amount_yuan"),
        divisor=10000,
    )
)
