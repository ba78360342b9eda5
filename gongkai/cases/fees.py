"""Information-processing fees from 2021-01-01 (国办函〔2020〕109号, statutory-reference §4).

Only when the volume or frequency clearly exceeds a reasonable range. Either by count — the same applicant's
requests in one calendar month: 1-10 free, 11th-30th 100 yuan each, 31st-40th 200, and every further band of 10
adds 100 — or by pages: 1-30 free, 31-100 10 yuan/page, 101-200 20, 201+ 40. One method per request, never
both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Greatest

from gongkai.cases.models import Applicant, InformationRequest

FEES_FROM = dt.date(2021, 1, 1)


def fee_by_count(nth: int) -> Decimal:
    """The fee for an applicant's ``nth`` request in a calendar month."""
    if nth <= 10:
        return Decimal(0)
    if nth <= 30:
        return Decimal(100)
    return Decimal(200 + 100 * ((nth - 31) // 10))


def total_by_count(requests: int) -> Decimal:
    return sum((fee_by_count(n) for n in range(1, requests + 1)), Decimal(0))


PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


def fee_by_pages(pages: int) -> Decimal:
    total = 0
    for first, last, price in PAGE_BANDS:
        upper = pages if last is None else min(pages, last)
        if upper >= first:
            total += (upper - first + 1) * price
    return Decimal(total)


def nth_request_in_month(
    applicant: Applicant, received_on: dt.date, request: InformationRequest | None = None
) -> int:
    """Which request of this applicant's calendar month this one is (counted by legal receipt date; the same
    person is matched by ID digest across applicant records, an organisation by credit code)."""
    month = Q(receipt_date__year=received_on.year, receipt_date__month=received_on.month)
    same = Q(applicant=applicant)
    if applicant.id_number_digest:
        same |= Q(applicant__id_number_digest=applicant.id_number_digest)
    elif applicant.credit_code:
        same |= Q(applicant__credit_code=applicant.credit_code)
    earlier = InformationRequest.objects.filter(month, same)
    if request is not None and request.pk is not None:
        earlier = earlier.filter(
            Q(receipt_date__lt=request.receipt_date)
            | Q(receipt_date=request.receipt_date, pk__lte=request.pk)
        )
        return _count_items(earlier)
    return _count_items(earlier) + 1


def _count_items(requests: Any) -> int:
    """A multi-item application split under the fee rules counts once per item."""
    total = requests.annotate(n=Count("items")).aggregate(total=Sum(Greatest("n", 1)))["total"]
    return int(total or 0)
