"""The two legal regimes for requests, as dated data (statutory-reference §1).

- **2008**: 《中华人民共和国政府信息公开条例》 (国务院令第492号), in force 2008-05-01 to 2019-05-14. Art 24:
  reply on the spot if possible, otherwise within 15 working days of receipt; the head of the OGI office may
  approve an extension of at most 15 working days (the applicant is told). Time spent consulting a third party
  is not counted (no fixed period for the third party); there is no separate supplement (补正) procedure.
- **2019**: the revised Regulations (国务院令第711号), in force from 2019-05-15. Art 33: 20 working days,
  extension at most 20 more; art 30: a request that is unclear gets one notice within 7 working days and the
  period restarts on receipt of the supplement; arts 32-33: a consulted third party has 15 working days and
  the time is not counted.

The regime is chosen by the date the request is received (the legal receipt date). Requests received before
2008-05-01, when no national regulation existed, are handled under the 2008 regime: it is the earliest
national rule, and using it keeps such (rare, migrated) cases countable instead of rejecting them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Regime:
    """One regime's periods, all in working days; ``valid_to`` is inclusive and None while in force."""

    code: str
    name: str | Promise
    valid_from: dt.date
    valid_to: dt.date | None
    reply_days: int
    extension_days: int
    supplement_notice_days: int | None
    third_party_days: int | None
    basis: str | Promise

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


REGIME_2008 = Regime(
    code="2008",
    name=_("2008年《政府信息公开条例》（国务院令第492号）"),
    valid_from=dt.date(2008, 5, 1),
    valid_to=dt.date(2019, 5, 14),
    reply_days=15,
    extension_days=15,
    supplement_notice_days=None,
    third_party_days=None,
    basis=_("《政府信息公开条例》第二十四条（2007年，国务院令第492号）"),
)

REGIME_2019 = Regime(
    code="2019",
    name=_("2019年修订《政府信息公开条例》（国务院令第711号）"),
    valid_from=dt.date(2019, 5, 15),
    valid_to=None,
    reply_days=20,
    extension_days=20,
    supplement_notice_days=7,
    third_party_days=15,
    basis=_("《政府信息公开条例》第三十条至第三十三条（2019年修订，国务院令第711号）"),
)

REGIMES: tuple[Regime, ...] = (REGIME_2008, REGIME_2019)
REGIME_CODES: tuple[str, ...] = tuple(r.code for r in REGIMES)


def get_regime(code: str) -> Regime:
    """The regime with ``code`` ("2008" or "2019"); ValueError naming the valid codes otherwise."""
    for regime in REGIMES:
        if regime.code == code:
            return regime
    raise ValueError(f"unknown regime {code!r}; use one of {', '.join(REGIME_CODES)}")


def regime_for(receipt_date: dt.date) -> Regime:
    """The regime in force on ``receipt_date``; before 2008-05-01 the 2008 regime (see module docstring)."""
    for regime in REGIMES:
        if regime.applies_on(receipt_date):
            return regime
    return REGIME_2008
