"""Matching printed table labels to the official labels of report-formats.json (docs/checker.md).

Printed labels differ from the official ones by whitespace, full-width or half-width brackets and stops,
numbering (``（一）``, ``1.``, ``1、``, ``一、``) present, missing or different, a dropped explanatory note in
brackets, Traditional script (callers pass the Simplified text) and typos or provincial wording. ``match``
tries, in order: equal after normalising; equal without numbering; equal without notes; then a fuzzy match
(character similarity) that must be high and clearly better than the next candidate — a label that could be
two official ones matches neither (safe before clever).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from gongkai.checker.numbers import ascii_digits

_PUNCT = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "．": ".",
        "、": ".",
        "，": ",",
        "；": ";",
        "“": "",
        "”": "",
        '"': "",
        "‘": "",
        "’": "",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "/": "/",
        "／": "/",
    }
)
_NUMBERING = re.compile(
    r"^(?:其中[:：]?)?\s*(?:[(（]?[一二三四五六七八九十]{1,3}[)）.、]|[(（]\d{1,2}[)）]|\d{1,2}[.、．)）](?!\d))\s*"
)
_NOTE = re.compile(r"[(（][^()（）]*[)）]\s*$")
FUZZY = 0.8  # similarity a fuzzy match must reach
MARGIN = 0.08  # and by how much it must beat the next official label


def normalize(label: str) -> str:
    """Whitespace removed, full-width digits and punctuation to one form (for comparing, never for output)."""
    s = ascii_digits(label)
    s = re.sub(r"\s+", "", s).translate(_PUNCT)
    return s.rstrip(":.;,")


def strip_numbering(label: str) -> str:
    s = normalize(label)
    while True:
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s or not stripped:
            return s
        s = stripped.translate(_PUNCT)


def strip_note(label: str) -> str:
    """The label without a trailing note in brackets (（区分处理的，只计这一情形…）, （单位：万元）)."""
    s = strip_numbering(label)
    without = _NOTE.sub("", s)
    return without or s


def numbering(label: str) -> str:
    """The leading numbering as printed, normalised: "(一)", "1.", "一." or ""."""
    s = normalize(label)
    m = _NUMBERING.match(s)
    return m.group(0).translate(_PUNCT).replace("其中:", "").strip() if m else ""


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def same(printed: str, official: str) -> bool:
    """``printed`` names ``official`` (exactly, without numbering, without a note, or by a close typo)."""
    return match(printed, [official]) == official


def match(printed: str, officials: Sequence[str] | Iterable[str], fuzzy: bool = True) -> str | None:
    """The one official label ``printed`` names, or None."""
    candidates = list(dict.fromkeys(officials))
    if not candidates or not normalize(printed):
        return None
    for key in (normalize, strip_numbering, strip_note):
        wanted = key(printed)
        hits = [c for c in candidates if key(c) == wanted]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            narrowed = [c for c in hits if numbering(c) == numbering(printed)]
            return narrowed[0] if len(narrowed) == 1 else None
    if not fuzzy:
        return None
    # a label wrapped by a PDF or a narrow column: the start of exactly one official label
    start = strip_numbering(printed)
    if len(start) >= 8:
        hits = [c for c in candidates if strip_numbering(c).startswith(start)]
        if numbering(printed):
            hits = [c for c in hits if numbering(c) in ("", numbering(printed))]
        if len(hits) == 1:
            return hits[0]
    plain = strip_note(printed)
    if len(plain) < 3:
        return None
    scored = sorted(
        ((max(similarity(plain, strip_note(c)), similarity(strip_numbering(printed), strip_numbering(c))), c)
         for c in candidates),
        reverse=True,
    )  # fmt: skip
    best, label = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best >= FUZZY and best - runner_up >= MARGIN:
        return label
    return None


def leaf(path: str) -> str:
    """The last label of a row path ("三、本年度办理结果/（三）不予公开/1.属于国家秘密" → "1.属于国家秘密"); the "/" of
    "本年增/减" is part of its label."""
    parts = re.split(r"/(?!减)", path)
    return parts[-1]
