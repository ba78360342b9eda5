"""Reply deadlines for requests, with a plain-language explanation (statutory-reference §1).

Statute: 《政府信息公开条例》 2008 (国务院令第492号) art 24 — reply within 15 working days of receipt,
extension at most 15; 2019 (国务院令第711号) art 33 — 20 working days, extension at most 20; art 30 — after
a supplement (补正) the period restarts from its receipt; arts 32-34 — time spent consulting a third party
or other bodies is not counted; art 31 — the receipt date. The regime is chosen by the legal receipt date
(``cases.regimes``).

Conventions (documented in docs/calendar.md):

- *Receipt* (art 31 practice, a setting): a request arriving on a non-working day, or after
  ``GONGKAI_RECEIPT_CUTOFF`` (Asia/Shanghai) on any day, is received on the next working day when
  ``GONGKAI_NEXT_WORKING_DAY_RECEIPT`` is true.
- *Counting*: "N working days from X" — the first working day after X is day 1.
- *Pauses* are inclusive date ranges; overlapping (or touching) ones are merged. A pause removes its working
  days that fall after the start of the count and on or before the *running* due date, and pushes the due date
  by that many working days. "Running" is applied until stable: if the pushed due date now covers more pause
  days, those are removed too, so a due date never falls inside a pause.
- *Extension*: adds its working days to the due date as it stands (after pauses); ``extend=None`` means the
  regime's maximum.
- *Supplement* (2019 only): the count restarts — due = reply days after the supplement's receipt date (the
  receipt rule above applies to the supplement too). Pauses before that date do not count.
- *Provisional*: if any year from the received date to the extended due date has no official schedule, the
  result is provisional (Monday–Friday was assumed) and the explanation says so.

Performance (issue 11): the dates are computed eagerly; the explanation is built the first time
``Deadline.explanation`` is read, by running the same computation again (same inputs, same calendar object,
the receipt settings of the first call) with its lines switched on; the rerun must give the same dates. Like any
``gettext_lazy`` text it is translated into the language active when it is read; read in the language of the
call (as every caller does: views, API, commands, audit entries), it is exactly the text the eager computation
gave. Callers that only need dates (lists, exports, reports, synthesis) never pay for the text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from gongkai.cases.regimes import REGIME_CODES, Regime, get_regime, regime_for
from gongkai.workdays.calendar import WEEKDAY_NAMES, WorkCalendar, get_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)

Received = dt.date | dt.datetime
PauseInput = tuple[dt.date, dt.date]
Lines = list[str] | None  # the explanation being built, or None when only the dates are wanted


class DeadlineInputError(ValueError):
    """Bad input to ``compute_deadline``; ``field`` names the argument (received, regime, pauses, ...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AppliedPause:
    """A merged pause (inclusive dates) and the working days it removed from the count."""

    start: dt.date
    end: dt.date
    working_days: int


class _Inputs(NamedTuple):
    """One call's inputs with the receipt settings of that moment: enough to build the explanation later."""

    received: Received
    regime: str
    pauses: Iterable[PauseInput]
    supplemented: Received | None
    extend: int | None
    calendar: WorkCalendar
    next_day_receipt: bool
    cutoff: str
    submitted: Received | None = None  # when the request itself arrived, if ``received`` is its receipt date


@dataclass(frozen=True)
class Deadline:
    """A computed deadline. ``explanation`` (the "why this date" lines) is built on first use; see the module
    docstring."""

    received: Received
    receipt_date: dt.date
    regime: str
    due_date: dt.date
    extended_due_date: dt.date
    extension_days: int
    pauses_applied: tuple[AppliedPause, ...]
    provisional: bool
    count_start: dt.date
    provisional_years: tuple[int, ...] = ()
    inputs: _Inputs | None = field(default=None, repr=False, compare=False)

    @cached_property
    def explanation(self) -> tuple[str, ...]:
        """The plain-language explanation in the active language, built (once) by rerunning the computation."""
        if self.inputs is None:
            return ()
        lines: list[str] = []
        again = _compute(self.inputs, lines)
        if again != self:  # the same inputs always give the same dates; never expected
            raise AssertionError(f"explanation recomputed different dates: {again!r} != {self!r}")
        return tuple(lines)


def _fmt(day: dt.date) -> str:
    return f"{day.isoformat()}（{WEEKDAY_NAMES[day.weekday()]}）"


def _cutoff(raw: str) -> dt.time:
    try:
        return dt.time.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"GONGKAI_RECEIPT_CUTOFF={raw!r} is not a time like 17:30") from exc


def _local_time(received: Received, field: str = "received") -> dt.datetime | None:
    """``received`` in Asia/Shanghai time, or None for a date."""
    if not isinstance(received, dt.datetime):
        return None
    if received.tzinfo is None or received.utcoffset() is None:
        raise DeadlineInputError(field, _("%(field)s：时间必须带时区（例如 +08:00）") % {"field": field})
    return received.astimezone(SHANGHAI)


def _local_day(received: Received, cutoff: str, field: str = "received") -> tuple[dt.date, bool]:
    """The calendar day in Asia/Shanghai and whether it was after the cut-off time."""
    local = _local_time(received, field)
    if local is None:
        assert not isinstance(received, dt.datetime)
        return received, False
    return local.date(), local.time() > _cutoff(cutoff)


def _receipt(
    day: dt.date,
    late: bool,
    calendar: WorkCalendar,
    inputs: _Inputs,
    explain: bool,
    at: dt.datetime | None = None,
) -> tuple[dt.date, str]:
    """The legal receipt date of something that arrived on ``day`` (after the cut-off if ``late``: see
    ``_local_day``; ``at``, its local time if known) and, when ``explain``, a one-line reason (art 31 and local
    practice: a non-working day or after the cut-off moves it to the next working day; statutory-reference §1).
    """
    if not inputs.next_day_receipt:
        return day, _("以收到当日为收到之日（第三十一条）") if explain else ""
    when = f"{_fmt(day)}{at:%H:%M}" if at is not None else _fmt(day)
    if not calendar.is_working_day(day):
        moved = calendar.next_working_day(day)
        return moved, _("%(when)s收到，当日不是工作日，顺延至下一个工作日") % {
            "when": when
        } if explain else ""
    if late:
        moved = calendar.add_working_days(day, 1)
        if not explain:
            return moved, ""
        return moved, _("%(when)s收到，已过当日截止时间（%(cutoff)s），顺延至下一个工作日") % {
            "when": when,
            "cutoff": inputs.cutoff,
        }
    if not explain:
        return day, ""
    if at is None:
        return day, _("收到当日是工作日，以当日为收到之日")
    # Before the cut-off of a working day — also at night before office hours (e.g. 01:50): it is there when
    # the office opens that day, so that day is the receipt date (never "received in office hours").
    return day, _("%(when)s收到，早于当日截止时间（%(cutoff)s），以当日为收到之日") % {
        "when": when,
        "cutoff": inputs.cutoff,
    }


def _explain_receipt(inputs: _Inputs, received: Received, receipt: dt.date) -> str:
    """Why ``receipt`` is the receipt date, from when the request really arrived (``inputs.submitted``) if
    known, else from ``received``."""
    arrived = inputs.submitted if inputs.submitted is not None else received
    local = _local_time(arrived)
    day, late = _local_day(arrived, inputs.cutoff)
    moved, why = _receipt(day, late, inputs.calendar, inputs, True, local)
    if moved == receipt:
        return why
    return _("按登记的收到申请之日（提交于%(day)s）") % {"day": _fmt(day)}


@cache
def _receipt_settings() -> tuple[bool, str]:
    """(GONGKAI_NEXT_WORKING_DAY_RECEIPT, GONGKAI_RECEIPT_CUTOFF), read once; reset when a setting changes."""
    return bool(settings.GONGKAI_NEXT_WORKING_DAY_RECEIPT), str(settings.GONGKAI_RECEIPT_CUTOFF)


@receiver(setting_changed)
def _forget_receipt_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in ("GONGKAI_NEXT_WORKING_DAY_RECEIPT", "GONGKAI_RECEIPT_CUTOFF"):
        _receipt_settings.cache_clear()


def receipt_date(received: Received, calendar: WorkCalendar | None = None) -> dt.date:
    """The legal receipt date of a request received at ``received`` (a date, or an aware datetime)."""
    cal = calendar or get_calendar()
    inputs = _Inputs(received, "auto", (), None, None, cal, *_receipt_settings())
    day, late = _local_day(received, inputs.cutoff)
    return _receipt(day, late, cal, inputs, explain=False)[0]


def _choose_regime(code: str, receipt: dt.date, lines: Lines) -> Regime:
    automatic = regime_for(receipt)
    if code == "auto":
        regime = automatic
    elif code not in REGIME_CODES:
        raise DeadlineInputError(
            "regime",
            _("制度 %(code)s 无效，可选：auto、%(codes)s") % {"code": code, "codes": "、".join(REGIME_CODES)},
        )
    else:
        regime = get_regime(code)
    if lines is not None:
        lines.append(_regime_line(regime))
        if regime != automatic:
            lines.append(_("按指定制度计算；按收到日期本应适用：%(name)s") % {"name": automatic.name})
    return regime


def merge_pauses(pauses: Iterable[PauseInput]) -> list[PauseInput]:
    """Sort and merge pauses that overlap or touch; ``DeadlineInputError`` if one ends before it starts."""
    ordered: list[PauseInput] = []
    for start, end in sorted(pauses):
        if end < start:
            raise DeadlineInputError(
                "pauses",
                _("暂停 %(start)s 至 %(end)s：结束日期早于开始日期")
                % {"start": start.isoformat(), "end": end.isoformat()},
            )
        if ordered and start <= ordered[-1][1] + ONE_DAY:
            ordered[-1] = (ordered[-1][0], max(end, ordered[-1][1]))
        else:
            ordered.append((start, end))
    return ordered


def _apply_pause(
    calendar: WorkCalendar, count_start: dt.date, due: dt.date, pause: PauseInput
) -> tuple[dt.date, int]:
    """Push ``due`` by the pause's working days after ``count_start`` and on or before the running due."""
    first, base, removed = max(pause[0], count_start + ONE_DAY), due, 0
    while True:
        covered = calendar.count_working_days(first, min(pause[1], due))
        if covered == removed:
            return due, removed
        removed, due = covered, calendar.add_working_days(base, covered)


def _pause_line(pause: PauseInput, removed: int, due: dt.date) -> str:
    values = {"start": _fmt(pause[0]), "end": _fmt(pause[1]), "n": removed, "due": _fmt(due)}
    if removed:
        return (
            _(
                "暂停计算 %(start)s至%(end)s（征求第三方或其他机关意见等，不计入办理期限）："
                "扣除 %(n)s 个工作日，答复期限顺延至 %(due)s"
            )
            % values
        )
    return _("暂停 %(start)s至%(end)s不在计算期间内（或不含工作日），不影响期限") % values


def _apply_pauses(
    calendar: WorkCalendar, count_start: dt.date, due: dt.date, pauses: Sequence[PauseInput], lines: Lines
) -> tuple[dt.date, list[AppliedPause]]:
    applied: list[AppliedPause] = []
    for pause in pauses:
        due, removed = _apply_pause(calendar, count_start, due, pause)
        applied.append(AppliedPause(pause[0], pause[1], removed))
        if lines is not None:
            lines.append(_pause_line(pause, removed, due))
    return due, applied


def _check_pauses(pauses: Sequence[PauseInput], receipt: dt.date) -> None:
    for start, end in pauses:
        if start < receipt:
            raise DeadlineInputError(
                "pauses",
                _("暂停 %(start)s 至 %(end)s：开始日期早于收到申请之日 %(receipt)s")
                % {"start": start.isoformat(), "end": end.isoformat(), "receipt": receipt.isoformat()},
            )


def _supplement_start(
    regime: Regime, inputs: _Inputs, supplemented: Received, receipt: dt.date, lines: Lines
) -> dt.date:
    """The restart day after a supplement (2019 art 30); the lines that explain it go to ``lines``."""
    if regime.supplement_notice_days is None:
        raise DeadlineInputError(
            "supplemented",
            _("%(name)s没有补正后重新计算期限的规定（2019年条例第三十条）") % {"name": regime.name},
        )
    day, late = _local_day(supplemented, inputs.cutoff, "supplemented")
    at = _local_time(supplemented, "supplemented")
    if day < receipt:
        raise DeadlineInputError(
            "supplemented",
            _("补正收到日期 %(day)s 早于收到申请之日 %(receipt)s")
            % {"day": day.isoformat(), "receipt": receipt.isoformat()},
        )
    calendar = inputs.calendar
    start, why = _receipt(day, late, calendar, inputs, lines is not None, at)
    if lines is not None:
        notice_by = calendar.add_working_days(receipt, regime.supplement_notice_days)
        lines += [
            _("补正告知应在收到申请之日起 %(n)s 个工作日内（%(by)s前）一次性作出（第三十条）")
            % {"n": regime.supplement_notice_days, "by": _fmt(notice_by)},
            _("补正材料收到之日：%(start)s（%(why)s）；答复期限自该日重新计算（第三十条）")
            % {"start": _fmt(start), "why": why},
        ]
    return start


def _extension_days(regime: Regime, extend: int | None) -> int:
    if extend is None:
        return regime.extension_days
    if not 0 <= extend <= regime.extension_days:
        raise DeadlineInputError(
            "extend",
            _("延长 %(n)s 个工作日无效：%(name)s规定最多延长 %(max)s 个工作日")
            % {"n": extend, "name": regime.name, "max": regime.extension_days},
        )
    return extend


def _special_day_lines(calendar: WorkCalendar, start: dt.date, end: dt.date, period: str) -> list[str]:
    """Name the holidays skipped and the make-up working days (调休) counted between ``start`` and ``end``."""
    special = calendar.special_days_in(start, end)
    holidays = "、".join(f"{d.date.isoformat()} {d.name}" for d in special if not d.is_working)
    makeup = "、".join(f"{_fmt(d.date)}{d.name}" for d in special if d.is_working)
    lines = []
    if holidays:
        lines.append(_("%(period)s跳过的节假日：%(days)s") % {"period": period, "days": holidays})
    if makeup:
        lines.append(_("%(period)s按工作日计算的调休上班日：%(days)s") % {"period": period, "days": makeup})
    return lines


def _provisional_line(years: tuple[int, ...]) -> list[str]:
    if not years:
        return []
    names = "、".join(str(y) for y in years)
    return [
        _(
            "注意：%(years)s 年的官方节假日安排尚未录入，暂按周一至周五为工作日推算；本期限为临时结果，"
            "录入官方安排后须重新计算"
        )
        % {"years": names}
    ]


def _regime_line(regime: Regime) -> str:
    return _("适用 %(code)s 年制度：答复期限 %(n)s 个工作日，最多可延长 %(ext)s 个工作日（%(basis)s）") % {
        "code": regime.code,
        "n": regime.reply_days,
        "ext": regime.extension_days,
        "basis": regime.basis,
    }


def _count_line(start: dt.date, days: int, due: dt.date) -> str:
    return _("自 %(start)s的次日起算第 1 个工作日，第 %(n)s 个工作日为 %(due)s") % {
        "start": _fmt(start),
        "n": days,
        "due": _fmt(due),
    }


def _extension_line(regime: Regime, days: int, extended: dt.date) -> str:
    if days == 0:
        return _("不延长：延长后期限即答复期限")
    return _(
        "延长答复期限须经政府信息公开工作机构负责人同意并告知申请人，最多 %(max)s 个工作日；"
        "按延长 %(n)s 个工作日计算，延长后期限为 %(day)s"
    ) % {
        "max": regime.extension_days,
        "n": days,
        "day": _fmt(extended),
    }


def _extended_due(
    calendar: WorkCalendar,
    start: dt.date,
    base: dt.date,
    due: dt.date,
    extension: int,
    pauses: Sequence[PauseInput],
    lines: Lines,
) -> dt.date:
    """The due date after ``extension`` working days, with the pauses that fall in the extension applied."""
    extended = calendar.add_working_days(due, extension)
    if not extension or not pauses:  # without pauses, due == base: the loop below would give ``extended``
        return extended
    # The extended period is a running due date too: a pause that falls after the original due date but within
    # the extension also stops the clock (working-day addition is associative, so pauses before the original
    # due date give the same result either way).
    paused = _apply_pauses(calendar, start, calendar.add_working_days(base, extension), pauses, None)[0]
    if paused != extended and lines is not None:
        lines.append(
            _("延长期间内也有暂停计算的日期，延长后的期限相应顺延至 %(day)s") % {"day": _fmt(paused)}
        )
    return paused


def compute_deadline(
    received: Received,
    *,
    regime: str = "auto",
    pauses: Iterable[PauseInput] = (),
    supplemented: Received | None = None,
    extend: int | None = None,
    calendar: WorkCalendar | None = None,
    submitted: Received | None = None,
) -> Deadline:
    """The reply deadline of a request received at ``received``; the module docstring has the conventions.
    ``submitted`` (when ``received`` is a stored receipt date): when the request really arrived, used only to
    explain the receipt date.

    The dates are computed now; ``explanation`` when it is first read (the same text, see the module docstring).
    """
    if not isinstance(pauses, tuple):
        pauses = tuple(pauses)
    cal = calendar or get_calendar()
    receipt_settings = _receipt_settings()
    inputs = _Inputs(received, regime, pauses, supplemented, extend, cal, *receipt_settings, submitted)
    return _compute(inputs, None)


def _compute(inputs: _Inputs, lines: Lines) -> Deadline:
    """The deadline for ``inputs``; the explanation's lines are appended to ``lines`` unless it is None."""
    cal, received = inputs.calendar, inputs.received
    day, late = _local_day(received, inputs.cutoff)
    receipt = _receipt(day, late, cal, inputs, False)[0]
    chosen = _choose_regime(inputs.regime, receipt, lines)
    if lines is not None:
        why = _explain_receipt(inputs, received, receipt)
        lines.append(_("收到申请之日：%(day)s（%(why)s）") % {"day": _fmt(receipt), "why": why})
    merged = merge_pauses(inputs.pauses) if inputs.pauses else []
    if merged:
        _check_pauses(merged, receipt)
    extension = _extension_days(chosen, inputs.extend)
    start = receipt
    if inputs.supplemented is not None:
        start = _supplement_start(chosen, inputs, inputs.supplemented, receipt, lines)
    base = cal.add_working_days(start, chosen.reply_days)
    if lines is not None:
        lines.append(_count_line(start, chosen.reply_days, base))
    due, applied = _apply_pauses(cal, start, base, merged, lines) if merged else (base, [])
    if lines is not None:
        lines += _special_day_lines(cal, start + ONE_DAY, due, _("答复期间"))
    extended = _extended_due(cal, start, base, due, extension, merged, lines)
    years = cal.provisional_years(day, extended)
    if lines is not None:
        lines.append(_extension_line(chosen, extension, extended))
        lines += _special_day_lines(cal, due + ONE_DAY, extended, _("延长期间"))
        lines += _provisional_line(years)
    # ``Deadline(...)`` with every field, set the way a frozen dataclass's __init__ sets them (into the
    # instance dict) without its per-field ``object.__setattr__`` calls, a fifth of this function's time.
    deadline = object.__new__(Deadline)
    deadline.__dict__.update(
        received=received,
        receipt_date=receipt,
        regime=chosen.code,
        due_date=due,
        extended_due_date=extended,
        extension_days=extension,
        pauses_applied=tuple(applied),
        provisional=bool(years),
        count_start=start,
        provisional_years=years,
        inputs=inputs,
    )
    return deadline
