"""Normalisation shared by documents and queries (statutory-reference §6): one character in, one character out,
so a position in the normalised text is the same position in the original (highlighting relies on this).

Per character, in this order:

1. full-width ASCII variants (U+FF01–U+FF5E) become their ASCII forms, and the ideographic space becomes a space;
2. letters are lower-cased where the lower case is a single character (Latin, Greek, Cyrillic … ; ``İ`` stays);
3. Traditional characters become Simplified by opencc's ``t2s`` applied to the character alone — never phrase
   conversion, which changes words (``tw2sp``: 檔案 → 文件) and would break exact substring matching;
4. whitespace, control characters and lone surrogates become a plain space (queries are split on it).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import opencc

_RANGES = ((0x80, 0xD7FF), (0xE000, 0xFFFF), (0x10000, 0x3FFFF))


def _t2s_single(chars: list[str]) -> dict[str, str]:
    """opencc ``t2s`` of each character on its own. The characters are converted in one call, one per line (a
    line break ends every phrase), and every changed character is then checked alone."""
    converter = opencc.OpenCC("t2s")
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - opencc keeps line breaks
        converted = [converter.convert(c) for c in chars]
    table: dict[str, str] = {}
    for src, dst in zip(chars, converted, strict=True):
        if dst != src and len(dst) == 1 and converter.convert(src) == dst:
            table[src] = dst
    return table


def _one(ch: str, t2s: dict[str, str]) -> str:
    cp = ord(ch)
    if 0xFF01 <= cp <= 0xFF5E:
        ch = chr(cp - 0xFEE0)
    elif cp == 0x3000:
        ch = " "
    lower = ch.lower()
    if len(lower) == 1:
        ch = lower
    ch = t2s.get(ch, ch)
    if ch.isspace() or unicodedata.category(ch) == "Cc":
        return " "
    return ch


@functools.cache
def table() -> dict[int, str]:
    """The mapping (code point → character) of every character that normalisation changes; built once per
    process (well under a second)."""
    candidates = [
        chr(cp)
        for lo, hi in _RANGES
        for cp in range(lo, hi + 1)
        if unicodedata.category(chr(cp)) not in ("Cc", "Cs")
    ]
    t2s = _t2s_single(candidates)
    mapping: dict[int, str] = {}
    for cp in range(0x3FFFF + 1):
        if 0xD800 <= cp <= 0xDFFF:  # lone surrogates (never stored; cannot be encoded) read as spaces
            mapping[cp] = " "
            continue
        ch = chr(cp)
        if ch in t2s or ch != ch.lower() or not ch.isprintable() or 0xFF01 <= cp <= 0xFF5E or cp == 0x3000:
            # Applied twice so that normalising twice changes nothing (a fixpoint for chained mappings).
            out = _one(_one(ch, t2s), t2s)
            if out != ch:
                mapping[cp] = out
    return mapping


@functools.cache
def _lookup() -> npt.NDArray[np.uint32]:
    lut = np.arange(0x110000, dtype=np.uint32)
    for cp, out in table().items():
        lut[cp] = ord(out)
    return lut


def _code_points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalise(text: str) -> str:
    """The searchable form of ``text``: same length, one output character per input character."""
    return _lookup()[_code_points(text)].tobytes().decode("utf-32-le")


def normalise_many(texts: Sequence[str]) -> list[str]:
    """``normalise`` of each text, in one pass over all of them (for rebuilding the index)."""
    if not texts:
        return []
    whole = normalise("".join(texts))
    out: list[str] = []
    pos = 0
    for text in texts:
        out.append(whole[pos : pos + len(text)])
        pos += len(text)
    return out
