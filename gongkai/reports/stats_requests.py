"""Tables 3 and 4 of the 2019 trial (国办公开办函〔2019〕60号) and 2021 (国办公开办函〔2021〕30号) formats,
declared once per cell (statutory-reference §3.2-3.3).

Table 3, by applicant column (自然人; 法人或其他组织: 商业企业, 科研机构, 社会公益组织, 法律服务机构,
其他; 总计):
- 一、本年新收: requests whose legal receipt date is in the year;
- 二、上年结转: requests received before the year and not answered by 31 December of the previous year;
- 三、办理结果: requests answered (or abandoned) in the year, each in the row its outcome maps to
  (``OutcomeMapping``, editable data; a 2008-regime answer in a 2019 report maps per statutory-reference §2);
  the 2019 trial has one （六）其他处理 row for the three of 2021; （七）总计 sums the outcome rows;
- 四、结转下年度继续办理: requests received by 31 December and not answered by then.
So rule 1 (新收 + 结转 = 总计 + 结转下年) and rule 5 (this year's 上年结转 = last year's 结转下年) hold by
construction for every column.

Table 4: reviews and lawsuits filed in the year; decided by 31 December → 维持 / 纠正 / 其他, otherwise
尚未审结.
A lawsuit after review is counted in the 复议后起诉 row (the review body as co-defendant does not count it
again, 国办公开办函〔2016〕201号).

Drill-down (``Statistic.records``): every cell declares the requests, reviews or lawsuits it counts — the same
base queryset the grouped report query counts, narrowed to the cell's row and column.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from gongkai.cases.models import (
    AdministrativeReview,
    ApplicantKind,
    InformationRequest,
    InformationRequestQuerySet,
    Lawsuit,
    OutcomeMapping,
)
from gongkai.reports.formats import CellRef
from gongkai.reports.registry import Context, Number, Statistic, register

T3 = "三、收到和处理政府信息公开申请情况"
T4 = "四、政府信息公开行政复议、行政诉讼情况"
ORG = "法人或其他组织/"
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("自然人", ApplicantKind.NATURAL_PERSON),
    (ORG + "商业企业", ApplicantKind.BUSINESS),
    (ORG + "科研机构", ApplicantKind.RESEARCH),
    (ORG + "社会公益组织", ApplicantKind.PUBLIC_INTEREST),
    (ORG + "法律服务机构", ApplicantKind.LEGAL_SERVICE),
    (ORG + "其他", ApplicantKind.OTHER),
    ("总计", None),
)
NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果/"
TOTAL = RESULTS + "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"
OTHER_2019 = RESULTS + "（六）其他处理"
OTHER_2021_PREFIX = RESULTS + "（六）其他处理/"
OUTCOME_ROWS_2021: tuple[str, ...] = (
    RESULTS + "（一）予以公开",
    RESULTS + "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    *(
        RESULTS + "（三）不予公开/" + r
        for r in (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        )
    ),
    *(
        RESULTS + "（四）无法提供/" + r
        for r in ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
    ),
    *(
        RESULTS + "（五）不予处理/" + r
        for r in (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        )
    ),
    *(
        OTHER_2021_PREFIX + r
        for r in (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        )
    ),
)


Records = Callable[[Context], QuerySet[Any]]
FALLBACK_ROW = OTHER_2021_PREFIX + "3.其他"  # an outcome without a mapping row


def _by_kind(qs: QuerySet[InformationRequest]) -> dict[str, int]:
    return {row["g"]: row["n"] for row in qs.values(g=F("applicant_kind")).annotate(n=Count("id"))}


def _requests(ctx: Context) -> InformationRequestQuerySet:
    return ctx.bodies(InformationRequest.objects.all())


def _received(ctx: Context) -> InformationRequestQuerySet:
    return _requests(ctx).received_in(ctx.year)


def _new(ctx: Context) -> dict[str, int]:
    return ctx.memo("t3.new", lambda: _by_kind(_received(ctx)))  # type: ignore[no-any-return]


def _open_qs(ctx: Context, year: int) -> InformationRequestQuerySet:
    """Received by 31 December of ``year`` and not answered by then."""
    end = dt.date(year, 12, 31)
    return (
        _requests(ctx)
        .filter(receipt_date__lte=end)
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gt=end))
    )


def _open_at_end_of(ctx: Context, year: int) -> dict[str, int]:
    return ctx.memo(f"t3.open.{year}", lambda: _by_kind(_open_qs(ctx, year)))  # type: ignore[no-any-return]


def _closed(ctx: Context) -> InformationRequestQuerySet:
    return _requests(ctx).closed_in(ctx.year)


def _results(ctx: Context) -> dict[tuple[str, str], int]:
    """{(Table 3 row, applicant kind): count} for cases answered in the year, via the outcome mapping."""

    def query() -> dict[tuple[str, str], int]:
        mapping = dict(OutcomeMapping.objects.values_list("outcome", "table3_row"))
        rows = _closed(ctx).values(o=F("outcome"), g=F("applicant_kind")).annotate(n=Count("id"))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for row in rows:
            counts[(mapping.get(row["o"], FALLBACK_ROW), row["g"])] += row["n"]
        return counts

    return ctx.memo("t3.results", query)  # type: ignore[no-any-return]


def _result_records(rows: tuple[str, ...]) -> Records:
    """The cases answered in the year whose outcome maps to one of ``rows`` (``_results``' mapping; an
    unmapped outcome goes to the fallback row)."""

    def records(ctx: Context) -> QuerySet[Any]:
        mapping: dict[str, str] = ctx.memo(
            "t3.mapping", lambda: dict(OutcomeMapping.objects.values_list("outcome", "table3_row"))
        )
        condition = Q(outcome__in=[o for o, row in mapping.items() if row in rows])
        if FALLBACK_ROW in rows:
            condition |= ~Q(outcome__in=list(mapping))
        return _closed(ctx).filter(condition)

    return records


def _kinds(kind: str | None) -> list[str]:
    return [kind] if kind is not None else [k for _c, k in COLUMNS if k is not None]


def _column_records(records: Records, kind: str | None) -> Records:
    return lambda ctx: records(ctx).filter(applicant_kind__in=_kinds(kind))


def _column_value(
    counts: Callable[[Context], dict[Any, int]], kind: str | None, key: Callable[[str], Any] = lambda k: k
) -> Callable[[Context], Number]:
    def compute(ctx: Context) -> Number:
        data = counts(ctx)
        return sum(data.get(key(k), 0) for k in _kinds(kind))

    return compute


def _result_rows(rows: tuple[str, ...]) -> Callable[[Context], dict[tuple[str, str], int]]:
    """Outcome counts summed over several 2021 rows (the 2019 trial's single （六） row, the （七） total)."""

    def compute(ctx: Context) -> dict[tuple[str, str], int]:
        results = _results(ctx)
        return {
            (rows[0], kind): sum(results.get((row, kind), 0) for row in rows) for _c, kind in COLUMNS if kind
        }

    return compute


def _declare(
    key: str,
    row: str,
    formats: tuple[str, ...],
    per_column: Callable[[str | None], Callable[[Context], Number]],
    records: Records,
) -> None:
    """One statistic per applicant column; ``records`` are the row's cases, narrowed per column."""
    for n, (column, kind) in enumerate(COLUMNS):
        cells = {fmt: CellRef(T3, row, column) for fmt in formats}
        register(
            Statistic(f"{key}.{n}", row, per_column(kind), cells, records=_column_records(records, kind))
        )


BOTH = ("2019", "2021")
_declare("t3.new", NEW, BOTH, lambda kind: _column_value(_new, kind), _received)
_declare(
    "t3.carried_in",
    CARRIED_IN,
    BOTH,
    lambda kind: _column_value(lambda c: _open_at_end_of(c, c.year - 1), kind),
    lambda c: _open_qs(c, c.year - 1),
)


def _result_cell(row: str) -> Callable[[str | None], Callable[[Context], Number]]:
    return lambda kind: _column_value(_results, kind, lambda k: (row, k))


for index, result_row in enumerate(OUTCOME_ROWS_2021):
    formats = ("2021",) if result_row.startswith(OTHER_2021_PREFIX) else BOTH
    _declare(
        f"t3.result{index:02d}",
        result_row,
        formats,
        _result_cell(result_row),
        _result_records((result_row,)),
    )
_OTHER_ROWS = tuple(r for r in OUTCOME_ROWS_2021 if r.startswith(OTHER_2021_PREFIX))
_declare(
    "t3.other_2019",
    OTHER_2019,
    ("2019",),
    lambda kind: _column_value(_result_rows(_OTHER_ROWS), kind, lambda k: (_OTHER_ROWS[0], k)),
    _result_records(_OTHER_ROWS),
)
_declare(
    "t3.total",
    TOTAL,
    BOTH,
    lambda kind: _column_value(_result_rows(OUTCOME_ROWS_2021), kind, lambda k: (OUTCOME_ROWS_2021[0], k)),
    _result_records(OUTCOME_ROWS_2021),
)
_declare(
    "t3.carried_out",
    CARRIED_OUT,
    BOTH,
    lambda kind: _column_value(lambda c: _open_at_end_of(c, c.year), kind),
    lambda c: _open_qs(c, c.year),
)

# Table 4 -------------------------------------------------------------------------------------------------

T4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4_OUTCOMES = ("upheld", "corrected", "other", "pending")


def _t4_conditions(year: int) -> dict[str, Q]:
    """Each Table 4 column's condition on a case filed in ``year``: its state on 31 December."""
    end = dt.date(year, 12, 31)
    decided = Q(decided_on__isnull=False, decided_on__lte=end)
    return {
        "upheld": decided & Q(outcome="upheld"),
        "corrected": decided & Q(outcome="corrected"),
        "other": decided & Q(outcome="other"),
        "pending": ~decided,
    }


def _t4_filed(ctx: Context, qs: QuerySet[Any]) -> QuerySet[Any]:
    return ctx.bodies(qs.filter(filed_on__year=ctx.year))


def _remedy_counts(ctx: Context, name: str, qs: QuerySet[Any]) -> dict[str, int]:
    def query() -> dict[str, int]:
        conditions = _t4_conditions(ctx.year)
        rows = _t4_filed(ctx, qs).aggregate(**{k: Count("id", filter=q) for k, q in conditions.items()})
        return {k: int(v) for k, v in rows.items()}

    return ctx.memo(name, query)  # type: ignore[no-any-return]


def _t4_records(source: Callable[[], QuerySet[Any]], outcome: str | None) -> Records:
    def records(ctx: Context) -> QuerySet[Any]:
        filed = _t4_filed(ctx, source())
        return filed if outcome is None else filed.filter(_t4_conditions(ctx.year)[outcome])

    return records


T4_ROWS: tuple[tuple[str, str, Callable[[], QuerySet[Any]]], ...] = (
    ("t4.review", "行政复议", lambda: AdministrativeReview.objects.all()),
    ("t4.suit_direct", "行政诉讼/未经复议直接起诉", lambda: Lawsuit.objects.filter(after_review=False)),
    ("t4.suit_after_review", "行政诉讼/复议后起诉", lambda: Lawsuit.objects.filter(after_review=True)),
)


def _t4_value(
    key: str, source: Callable[[], QuerySet[Any]], outcome: str | None
) -> Callable[[Context], Number]:
    def compute(ctx: Context) -> Number:
        counts = _remedy_counts(ctx, key, source())
        return sum(counts.values()) if outcome is None else counts[outcome]

    return compute


for t4_key, t4_row, t4_source in T4_ROWS:
    for t4_column, t4_outcome in zip(T4_COLUMNS, (*T4_OUTCOMES, None), strict=True):
        register(
            Statistic(
                f"{t4_key}.{t4_outcome or 'total'}",
                t4_row,
                _t4_value(t4_key, t4_source, t4_outcome),
                {fmt: CellRef(T4, t4_row, t4_column) for fmt in BOTH},
                records=_t4_records(t4_source, t4_outcome),
            )
        )
