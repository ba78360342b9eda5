"""Checks on the narrative text of an annual report (statutory-reference §3.4 rule 7 and the soft rule on text
copied from last year's report).

Hand-typed digits (rule 7): the numbers we generate are placeholders bound to registry statistics
(``{p14.items}``), so they always equal the table. Any digit typed into the template text itself is not checked
against anything, so it gets a warning. The choice made here: *every* run of digits outside a ``{placeholder}``
counts as hand-typed — counts and percentages, but also dates (``2024年1月31日``) and document numbers
(``国办发〔2014〕32号``), because a typed date or year is exactly what goes stale when last year's text is carried
forward. Only ``{year}`` (a placeholder) is exempt. Digits inside a placeholder name (the ``14`` of
``{p14.items}``, also in ``{if t3.new.6}``) are not text and are ignored. ASCII and full-width digits both count; a decimal such as ``96.2``
is one number.

Similarity (soft rule): ``narrative_similarity`` is a character-level ``difflib.SequenceMatcher`` ratio
(2·matches / total length, no junk heuristic) on normalised text: Unicode NFKC, whitespace removed and every run
of digits replaced by one ``#`` — a text copied from last year with only its numbers updated is still a copy.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

PLACEHOLDER = re.compile(r"\{(?:if\s+)?[A-Za-z0-9_.]+\}")  # {key}, {else}, {endif} and {if key}
NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SPACE = re.compile(r"\s+")


def hand_typed_numbers(text: str) -> list[str]:
    """The numbers typed into a narrative template, in order of appearance (placeholders removed first);
    statutory-reference §3.4 rule 7."""
    return NUMBER.findall(PLACEHOLDER.sub(" ", text))


def normalise(text: str) -> str:
    """NFKC, no whitespace, every number replaced by ``#`` (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    return _DIGITS.sub("#", _SPACE.sub("", text))


def narrative_similarity(current: str, previous: str) -> float:
    """Share of the narrative identical to last year's, 0..1: ``SequenceMatcher(autojunk=False).ratio()`` on the
    normalised texts; 0 when either text is empty (nothing was carried over)."""
    a, b = normalise(current), normalise(previous)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
