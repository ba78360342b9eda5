"""The demo city's 12345 hotline in 2024–2026, through the real workflow: the 2024 tickets arrive as the platform's
export (a generated GB18030 CSV, read by the importer), those of 2025 and 2026 are pushed one by one through the
functions behind the API (``hotline.actions.receive_ticket`` then status updates and ratings, as the platform
sends them). Most are completed in time and rated; some are late, some rated 不满意, a few still open.
Deterministic: every time is fixed, none depends on the day the demo is run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from gongkai.hotline import actions, importer
from gongkai.hotline.models import Category, Source, TicketStatus
from gongkai.organisations.models import Organisation, OrgKind

ACTOR = "demo"
PLATFORM = "api:许昌市12345政务服务便民热线"
TZ = ZoneInfo("Asia/Shanghai")
RANDOM_SEED = 12345
PER_YEAR = {2024: 120, 2025: 60, 2026: 40}
LAST_DAY = {2024: dt.date(2024, 12, 20), 2025: dt.date(2025, 12, 20), 2026: dt.date(2026, 10, 31)}
TOPICS = (
    (Category.CONSULT, "入学政策咨询"),
    (Category.CONSULT, "医保异地报销"),
    (Category.HELP, "小区停水"),
    (Category.HELP, "路灯不亮"),
    (Category.COMPLAINT, "夜间施工噪声"),
    (Category.COMPLAINT, "物业收费"),
    (Category.REPORT, "占道经营"),
    (Category.SUGGESTION, "增设公交站点"),
    (Category.PRAISE, "窗口服务热情"),
)
NAMES = ("张", "王", "李", "赵", "刘", "陈", "杨", "黄")
RESULTS = (
    "已联系来电人并说明政策",
    "已安排维修，问题已解决",
    "已责令整改并回复来电人",
    "已转交属地办理并回复",
)
SATISFACTION = ("satisfied",) * 6 + ("mostly",) * 2 + ("unsatisfied", "")


def _bodies(orgs: Iterable[Organisation]) -> list[Organisation]:
    """Departments and county governments existing since 2024 (the platform dispatches to them)."""
    start = dt.date(2024, 1, 1)
    return sorted(
        (
            o
            for o in orgs
            if o.kind in (OrgKind.DEPARTMENT, OrgKind.COUNTY) and o.valid_from <= start and o.valid_to is None
        ),
        key=lambda o: o.pk,
    )[:12]


def _plan(rng: random.Random, year: int, n: int) -> list[dict[str, object]]:
    first = dt.datetime(year, 1, 2, 8, tzinfo=TZ)
    span = (dt.datetime.combine(LAST_DAY[year], dt.time(18), TZ) - first).days
    rows = []
    for i in range(n):
        received = first + dt.timedelta(days=rng.randint(0, span), minutes=rng.randint(0, 600))
        category, topic = TOPICS[rng.randrange(len(TOPICS))]
        due = received + dt.timedelta(days=1 if category == Category.CONSULT else 5)
        roll = rng.random()
        if year == 2026 and roll < 0.1:
            done = None  # still being handled
        elif roll < 0.8:
            done = received + dt.timedelta(hours=rng.randint(2, 20))  # in time
        else:
            done = due + dt.timedelta(days=rng.randint(1, 6))  # late
        rows.append(
            {
                "number": f"{year}{i + 1:06d}",
                "received_at": received,
                "category": category,
                "topic": topic,
                "caller_name": rng.choice(NAMES) + "先生" if i % 2 else rng.choice(NAMES) + "女士",
                "phone": f"139{rng.randint(0, 99_999_999):08d}",
                "content": f"来电反映{topic}问题，请相关部门核实处理。",
                "due_at": due,
                "completed_at": done,
                "result": rng.choice(RESULTS) if done else "",
                "satisfaction": rng.choice(SATISFACTION) if done else "",
            }
        )
    return rows


def _export(rows: list[dict[str, object]], bodies: list[Organisation], rng: random.Random) -> bytes:
    """The platform's export of ``rows`` as a GB18030 CSV with its Chinese headers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(importer.COLUMNS))
    labels = {k: str(v) for k, v in Category.choices}
    for row in rows:
        done = row["completed_at"]
        satisfaction = {"satisfied": "满意", "mostly": "基本满意", "unsatisfied": "不满意", "": "未评价"}
        writer.writerow(
            [
                row["number"],
                f"{row['received_at']:%Y-%m-%d %H:%M}",
                labels[str(row["category"])],
                row["topic"],
                row["caller_name"],
                row["phone"],
                row["content"],
                "已办结" if done else "办理中",
                f"{row['due_at']:%Y-%m-%d %H:%M}",
                f"{done:%Y-%m-%d %H:%M}" if isinstance(done, dt.datetime) else "",
                row["result"],
                satisfaction[str(row["satisfaction"])],
                rng.choice(bodies).org_code,
            ]
        )
    return out.getvalue().encode("gb18030")


def _push(rows: list[dict[str, object]], bodies: list[Organisation], rng: random.Random) -> int:
    """Each ticket as the platform pushes it: received, dispatched, in progress, completed, rated."""
    for row in rows:
        body = rng.choice(bodies)
        fields = {k: row[k] for k in actions.INTAKE_FIELDS}
        ticket, _outcome = actions.receive_ticket(
            PLATFORM, body, source=Source.API, number=str(row["number"]), fields=fields
        )
        received = row["received_at"]
        assert isinstance(received, dt.datetime)
        ticket, _changed = actions.update_ticket(
            PLATFORM, ticket, status=TicketStatus.ASSIGNED, at=received + dt.timedelta(minutes=30)
        )
        ticket, _changed = actions.update_ticket(
            PLATFORM, ticket, status=TicketStatus.IN_PROGRESS, at=received + dt.timedelta(hours=1)
        )
        done = row["completed_at"]
        if isinstance(done, dt.datetime):
            actions.complete(PLATFORM, ticket, result=str(row["result"]), at=done)
            if row["satisfaction"]:
                actions.rate(PLATFORM, ticket, str(row["satisfaction"]), at=done + dt.timedelta(days=1))
    return len(rows)


def build_recent_hotline(city: Organisation, orgs: Iterable[Organisation]) -> int:
    """2024 imported from the platform's export, 2025–2026 pushed; returns the number of tickets."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - deterministic demo data, not security
    bodies = _bodies(orgs) or [city]
    total = 0
    for year, n in PER_YEAR.items():
        rows = _plan(rng, year, n)
        if year == 2024:
            result = importer.import_tickets(
                ACTOR, city, _export(rows, bodies, rng), "12345-2024年工单导出.csv"
            )
            total += result.created
        else:
            total += _push(rows, bodies, rng)
    return total
