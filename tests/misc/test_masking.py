from __future__ import annotations

import pytest

from gongkai.masking import mask_id_number, mask_phone, mask_text


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110***********002X"),
        ("110105491231002", "110********1002"),
        ("G12345678", "G1*****78"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_id_numbers(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("0374-1234567", "*******4567"),
        ("", ""),
    ],
)
def test_phone_numbers(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


def test_free_text() -> None:
    text = "申请人身份证11010519491231002X，电话13812345678，编号2014001。"
    assert mask_text(text) == "申请人身份证110***********002X，电话138****5678，编号2014001。"
