"""Check characters of Chinese organisation identifiers.

- 组织机构代码 (GB 11714-1997): 8 body characters + 1 check character.
- 统一社会信用代码 (GB 32100-2015): 18 characters; characters 9-17 are the organisation code, 18 is a check.
"""

from __future__ import annotations

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _org_char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise ValueError(f"invalid organisation-code character {ch!r}")


def org_code_check(body: str) -> str:
    """The GB 11714 check character for an 8-character body."""
    if len(body) != 8:
        raise ValueError("an organisation code body has 8 characters")
    total = sum(_org_char_value(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code_check(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17:
        raise ValueError("a credit code has 17 characters before its check character")
    try:
        total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    except ValueError as exc:
        raise ValueError("a credit code uses digits and the letters ABCDEFGHJKLMNPQRTUWXY") from exc
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def is_valid_org_code(code: str) -> bool:
    try:
        return len(code) == 9 and org_code_check(code[:8]) == code[8]
    except ValueError:
        return False


def is_valid_credit_code(code: str) -> bool:
    try:
        return len(code) == 18 and credit_code_check(code[:17]) == code[17] and is_valid_org_code(code[8:17])
    except ValueError:
        return False


def make_org_code(body: str) -> str:
    return body + org_code_check(body)


def make_credit_code(prefix2: str, division: str, org_code: str) -> str:
    """Build a credit code from its registration-authority/type prefix, 6-digit division code and org code."""
    first17 = f"{prefix2}{division}{org_code}"
    return first17 + credit_code_check(first17)


RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def is_valid_resident_id(number: str) -> bool:
    """公民身份号码 (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character."""
    text = number.strip().upper()
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11] == text[17]
