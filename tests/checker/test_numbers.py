"""Numbers as printed in report tables (gongkai.checker.numbers).

Persona: 赵磊 copies cells out of Word, PDF and web pages and expects each to read as the number printed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.checker import numbers


@pytest.mark.parametrize(
    ("printed", "unit", "value"),
    [
        ("12", "", 12),
        ("１２３", "", 123),
        (" 0 ", "", 0),
        ("1,234", "", 1234),
        ("12,345,678", "", 12345678),
        ("1，234", "", 1234),
        ("9116.36", "万元", Decimal("9116.36")),
        ("24252.311082", "万元", Decimal("24252.311082")),
        ("251000元", "元", 251000),
        ("25.1万元", "元", 251000),
        ("25.1万", "元", 251000),
        ("3500元", "万元", Decimal("0.35")),
        ("+3", "", 3),
        ("-2", "", -2),
        ("－2", "", -2),
        ("增加5", "", 5),
        ("减少2", "", -2),
        ("减3", "", -3),
        ("75件", "", 75),
        ("34%", "", 34),
        ("无", "", 0),
    ],
)
def test_cells_read_as_printed(printed: str, unit: str, value: object) -> None:
    got = numbers.parse(printed, unit)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize("printed", ["", "  ", "-", "—", "——", "/", "／", "空白"])
def test_blank_cells_are_none_not_zero(printed: str) -> None:
    assert numbers.parse(printed) is None
    assert numbers.is_blank(printed) and numbers.is_value(printed)


@pytest.mark.parametrize("printed", ["规章", "12a", "1.2.3", "第二十条", "1,23"])
def test_text_is_not_a_number(printed: str) -> None:
    with pytest.raises(numbers.NotANumber):
        numbers.parse(printed)
    assert not numbers.is_number(printed)


def test_run_together_digits_split_every_printable_way() -> None:
    assert numbers.splits("3960181", 3) == [
        (3, 9, 60181),
        (3, 960, 181),
        (3, 9601, 81),
        (3, 96018, 1),
        (39, 60, 181),
        (39, 601, 81),
        (39, 6018, 1),
        (396, 0, 181),
        (3960, 1, 81),
        (3960, 18, 1),
        (39601, 8, 1),
    ]
    assert numbers.splits("100", 2) == [(10, 0)]  # "1|00" and "100|" are not printable
    assert numbers.splits("00", 2) == [(0, 0)]
    assert numbers.splits("7", 2) == []
    assert numbers.run_together("713") and not numbers.run_together("7") and not numbers.run_together("7.5")
