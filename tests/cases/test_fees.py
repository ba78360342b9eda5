from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.fees import fee_by_count, fee_by_pages, nth_request_in_month, total_by_count
from tests.conftest import Personas, Tree


@pytest.mark.parametrize(
    ("nth", "fee"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)]
)
def test_fee_by_count_bands(nth: int, fee: int) -> None:
    assert fee_by_count(nth) == Decimal(fee)


def test_the_statutory_examples() -> None:
    # statutory-reference §4: 35 requests in a month ⇒ 20×100 + 5×200 = 3000; 250 pages ⇒ 4700.
    assert total_by_count(35) == Decimal(3000)
    assert fee_by_pages(250) == Decimal(4700)
    assert fee_by_pages(30) == 0 and fee_by_pages(31) == 10 and fee_by_pages(100) == 700


@pytest.mark.django_db
def test_requests_are_counted_per_person_per_calendar_month(tree: Tree, personas: Personas) -> None:
    person = dict(kind="natural", name="赵六", id_document="resident_id", id_number="11010519491231002X")
    first, second = create_applicant("t", **person), create_applicant("t", **person)  # the same person, twice
    cases = [
        t.register(
            personas.clerk,
            tree.education,
            received=dt.date(2026, 3, d),
            channel="online",
            subject="s",
            applicant=a,
        )
        for d, a in ((2, first), (3, second), (4, first))
    ]
    assert [nth_request_in_month(first, c.receipt_date, c) for c in cases] == [1, 2, 3]
    assert nth_request_in_month(second, dt.date(2026, 3, 20)) == 4
    assert nth_request_in_month(second, dt.date(2026, 4, 1)) == 1
