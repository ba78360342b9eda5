"""Helpers of the hotline tests: a ticket row as the statistics count it (written directly, as the report tests
write their other records), and a platform export as CSV or XLSX bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Sequence
from typing import Any

from gongkai.hotline.models import Source, Ticket, TicketStatus
from gongkai.organisations.models import Organisation

_numbers = itertools.count(1)


def make_ticket(
    body: Organisation,
    received_at: dt.datetime,
    completed_at: dt.datetime | None = None,
    *,
    topic: str = "",
    satisfaction: str = "unrated",
) -> Ticket:
    return Ticket.objects.create(
        source=Source.IMPORT,
        number=f"T{next(_numbers):08d}",
        body=body,
        received_at=received_at,
        completed_at=completed_at,
        status=TicketStatus.COMPLETED if completed_at else TicketStatus.RECEIVED,
        topic=topic,
        satisfaction=satisfaction,
    )


HEADER = [
    "工单编号",
    "受理时间",
    "诉求类型",
    "反映问题",
    "来电人",
    "联系电话",
    "诉求内容",
    "工单状态",
    "办结时间",
    "满意度",
]


def csv_bytes(
    rows: Sequence[Sequence[Any]], encoding: str = "utf-8", header: Sequence[str] = HEADER
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
