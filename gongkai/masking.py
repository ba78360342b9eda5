"""Masking of personal identifiers wherever they are listed or exported (ID-card and phone numbers).

Only a masked form ever leaves a detail view; unmasked views are audited by the caller (requests issue)."""

from __future__ import annotations

import re

_ID_CARD = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
_DIGITS = re.compile(r"\D")


def mask_id_number(value: str) -> str:
    """A resident ID number keeps its first 3 and last 4 characters (e.g. ``110***********123X``); any other
    document number keeps its first and last 2 characters."""
    text = value.strip()
    if not text:
        return ""
    if _ID_CARD.match(text):
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) <= 4:
        return "*" * len(text)
    return text[:2] + "*" * (len(text) - 4) + text[-2:]


def mask_phone(value: str) -> str:
    """A mobile number keeps 3 + 4 digits (``138****5678``); other numbers keep only their last 4 digits."""
    digits = _DIGITS.sub("", value)
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


_FREE_TEXT_ID = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")
_FREE_TEXT_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask ID-card and mobile numbers wherever they appear in free text (exports of subjects, notes)."""
    text = _FREE_TEXT_ID.sub(lambda m: mask_id_number(m.group(0)), text)
    return _FREE_TEXT_MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


def personal_data_found(text: str) -> list[str]:
    """What looks like an ID-card or mobile number in a text, masked (for a warning before publishing)."""
    found = [mask_id_number(m.group(0)) for m in _FREE_TEXT_ID.finditer(text)]
    return found + [mask_phone(m.group(0)) for m in _FREE_TEXT_MOBILE.finditer(text)]
