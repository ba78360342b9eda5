"""``gongkai deadline --received DATE ...``: compute a request's reply deadline with the database calendar.

Thin wrapper over ``gongkai.cases.deadlines.compute_deadline`` (statutory-reference §1); the calendar lives in
the database, so the database must be migrated (``gongkai migrate`` loads the official years)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gongkai.cases.deadlines import SHANGHAI, Deadline, DeadlineInputError, PauseInput, compute_deadline
from gongkai.cases.regimes import REGIME_CODES
from gongkai.workdays.calendar import WorkCalendar, get_calendar

OPTIONS = {
    "received": "--received",
    "regime": "--regime",
    "pauses": "--pause",
    "supplemented": "--supplemented",
    "extend": "--extend",
}


def parse_moment(text: str) -> dt.date | dt.datetime:
    """A date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, Asia/Shanghai unless an offset is given)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("“%(text)s”不是有效的日期（YYYY-MM-DD）或时间（YYYY-MM-DDTHH:MM）") % {"text": text}
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


def parse_pause(text: str) -> PauseInput:
    """``START:END`` as two ISO dates, both inclusive."""
    start, sep, end = text.partition(":")
    try:
        if not sep:
            raise ValueError(text)
        return dt.date.fromisoformat(start.strip()), dt.date.fromisoformat(end.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("“%(text)s”不是有效的暂停期间，格式为 开始:结束，例如 2026-03-02:2026-03-06") % {"text": text}
        ) from exc


def as_json(deadline: Deadline) -> dict[str, Any]:
    return {
        "received": deadline.received.isoformat(),
        "receipt_date": deadline.receipt_date.isoformat(),
        "regime": deadline.regime,
        "due_date": deadline.due_date.isoformat(),
        "extended_due_date": deadline.extended_due_date.isoformat(),
        "provisional": deadline.provisional,
        "explanation": list(deadline.explanation),
        "pauses": [
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "working_days": p.working_days}
            for p in deadline.pauses_applied
        ],
    }


def as_text(deadline: Deadline) -> str:
    lines = [
        _("收到时间：%(v)s") % {"v": deadline.received.isoformat()},
        _("收到申请之日：%(v)s") % {"v": deadline.receipt_date.isoformat()},
        _("适用制度：%(v)s") % {"v": deadline.regime},
        _("答复期限：%(v)s") % {"v": deadline.due_date.isoformat()},
        _("延长后期限：%(v)s") % {"v": deadline.extended_due_date.isoformat()},
    ]
    if deadline.provisional:
        lines.append(_("（临时结果：所涉年份的官方节假日安排尚未录入）"))
    lines.append(_("说明："))
    lines += [f"  - {line}" for line in deadline.explanation]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Compute a request's reply deadline (政府信息公开申请答复期限) with an explanation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received", required=True, type=parse_moment, help="YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        )
        parser.add_argument("--regime", default="auto", choices=["auto", *REGIME_CODES])
        parser.add_argument(
            "--pause", action="append", default=[], type=parse_pause, help="START:END, repeatable"
        )
        parser.add_argument(
            "--supplemented", type=parse_moment, help="date the supplement (补正) was received"
        )
        parser.add_argument("--extend", type=int, help="working days of extension (default: the maximum)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deadline = compute_deadline(
                options["received"],
                regime=options["regime"],
                pauses=options["pause"],
                supplemented=options["supplemented"],
                extend=options["extend"],
                calendar=self._calendar(),
            )
        except DeadlineInputError as exc:
            raise CommandError(f"{OPTIONS.get(exc.field, exc.field)}: {exc}") from exc
        except OverflowError as exc:  # a count running past 9999-12-31
            raise CommandError(_("--received：日期太晚，期限超出可计算的范围")) from exc
        if options["json"]:
            self.stdout.write(json.dumps(as_json(deadline), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(deadline))

    def _calendar(self) -> WorkCalendar:
        try:
            return get_calendar()
        except DatabaseError as exc:
            raise CommandError(
                _("无法读取工作日日历，请先运行 gongkai migrate（%(error)s）") % {"error": exc}
            ) from exc
