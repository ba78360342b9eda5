"""Numbers as printed in report tables (report-checker issue, Deliver 2; docs/checker.md).

``parse(text)`` reads one table cell: full-width digits, thousands separators (``1,234``, ``1，234``), decimals
kept exactly (:class:`~decimal.Decimal`), a sign or 增/减 for a change, the units 件/条/元/万元… dropped, and an
amount printed in 万 or 元 converted to the unit of the column when ``unit`` says which (采购总金额 is in 元,
本年收费金额 in 万元). A blank cell (empty, a dash, a slash) is ``None``; text that is not a number raises
:class:`NotANumber`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from gongkai.checker.types import Number

BLANKS = frozenset({"", "-", "－", "—", "——", "–", "/", "／", "\\", "空", "空白", "…", "..."})
ZERO_WORDS = frozenset({"无", "零", "〇", "没有"})
_FULL = {chr(0xFF10 + i): str(i) for i in range(10)} | {
    "，": ",",
    "．": ".",
    "＋": "+",
    "－": "-",
    "−": "-",
    "％": "%",
    "\u3000": " ",
    "\u00a0": " ",
}
_UNITS = r"人次|件|条|个|次|人|项|家|期|篇|封|份|宗|起|万元|元|万|%|‰"
_SIGNED = re.compile(
    r"^(?P<word>增加|增|减少|减|新增|下降|上升)?(?P<sign>[+-])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>" + _UNITS + r")?$"
)
_NEGATIVE_WORDS = {"减少", "减", "下降"}


class NotANumber(ValueError):
    """The cell holds text, not a number."""


def ascii_digits(text: str) -> str:
    """Full-width digits, signs, separators and spaces to ASCII (same length)."""
    return "".join(_FULL.get(ch, ch) for ch in text)


def is_blank(text: str) -> bool:
    return re.sub(r"\s+", "", ascii_digits(text)) in BLANKS


def parse(text: str, unit: str = "") -> Number | None:
    """One cell's value (``unit`` "元" or "万元": the unit of the column, for amounts printed in the other)."""
    s = re.sub(r"\s+", "", ascii_digits(text))
    if s in BLANKS:
        return None
    if s in ZERO_WORDS:
        return 0
    m = _SIGNED.match(s)
    if m is None:
        raise NotANumber(text)
    digits = m.group("num").replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets digits through
        raise NotANumber(text) from exc
    printed_unit = m.group("unit") or ""
    decimal = "." in digits
    if unit == "元" and printed_unit in {"万", "万元"}:
        number *= 10000
        decimal = number != number.to_integral_value()
        number = number if decimal else number.to_integral_value()
    elif unit == "万元" and printed_unit == "元":
        number /= 10000
        decimal = number != number.to_integral_value()
    if m.group("sign") == "-" or m.group("word") in _NEGATIVE_WORDS:
        number = -number
    return _plain(number, decimal)


def _plain(number: Decimal, decimal: bool) -> Number:
    """A whole number as int, anything with printed decimals as Decimal (kept exactly as printed)."""
    if not decimal:
        return int(number)
    return number


def is_number(text: str) -> bool:
    try:
        return parse(text) is not None
    except NotANumber:
        return False


def is_value(text: str) -> bool:
    """A cell that belongs in a value column: a number or a blank."""
    return is_blank(text) or is_number(text)


def run_together(text: str) -> bool:
    """Digits only, at least two of them: a token that may be several cells pasted together."""
    return bool(re.fullmatch(r"\d{2,}", ascii_digits(text).strip()))


def splits(digits: str, parts: int) -> list[tuple[int, ...]]:
    """Every way to cut ``digits`` into ``parts`` whole numbers as they would be printed (no leading zeros)."""
    out: list[tuple[int, ...]] = []

    def walk(start: int, left: int, acc: tuple[int, ...]) -> None:
        rest = digits[start:]
        if left == 1:
            if rest and (rest == "0" or not rest.startswith("0")):
                out.append((*acc, int(rest)))
            return
        if digits[start : start + 1] == "0":
            walk(start + 1, left - 1, (*acc, 0))
            return
        for end in range(start + 1, len(digits) - left + 2):
            walk(end, left - 1, (*acc, int(digits[start:end])))

    if parts >= 1 and len(digits) >= parts:
        walk(0, parts, ())
    return out
