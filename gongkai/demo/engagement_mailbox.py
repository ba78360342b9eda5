"""The demo city's mailbox (信箱) of 2024–2026, run through the real workflow (``gongkai.mailbox.actions``): letters
answered on time and late, one transferred to the body responsible, one returned, some published with the
writer's consent and rated, one converted into an information request, and a few still open in late 2026 (one due
soon, one overdue) for the staff queue. Deterministic: every date is fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from gongkai.mailbox import actions
from gongkai.organisations.models import Organisation

ACTOR = "demo"
TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Plan:
    body: str  # the body's name
    received: dt.date
    kind: str
    subject: str
    text: str
    writer: str
    consent: bool = False
    late_days: int | None = 0  # replied this many days after the due date (negative: before); None: no reply
    reply_channel: str = "site"
    transfer_to: str = ""
    rating: str = ""
    returned: str = ""
    convert: bool = False
    accept: bool = True
    leader: bool = False


CITY = "许昌市人民政府"
EDU = "许昌市教育局"
HOUSING = "许昌市住房和城乡建设局"
TRANSPORT = "许昌市交通运输局"
CITY_MANAGEMENT = "许昌市城市管理局"

PLANS: tuple[Plan, ...] = (
    Plan(
        EDU,
        dt.date(2024, 3, 11),
        "consult",
        "孩子入学需要准备哪些材料",
        "孩子今年秋季上小学，户籍在魏都区，请问报名需要准备哪些材料？联系电话13803740001。",
        "王女士",
        consent=True,
        late_days=-6,
        rating="satisfied",
    ),
    Plan(
        TRANSPORT,
        dt.date(2024, 6, 3),
        "suggest",
        "建议增开一条通往高铁站的公交线路",
        "东城区到许昌东站没有直达公交，建议增开线路或调整现有线路。",
        "李先生",
        consent=True,
        late_days=4,
        rating="mostly",
        leader=True,
    ),
    Plan(
        HOUSING,
        dt.date(2024, 9, 9),
        "complain",
        "小区门口道路长期积水",
        "每逢下雨小区门口道路积水严重，影响出行，请有关部门尽快处理。",
        "张先生",
        consent=True,
        late_days=-2,
        transfer_to=CITY_MANAGEMENT,
        rating="unsatisfied",
    ),
    Plan(
        EDU,
        dt.date(2026, 4, 7),
        "consult",
        "申请公开本市学区划分文件",
        "请提供2025年义务教育阶段学区划分的正式文件。",
        "赵女士",
        convert=True,
    ),
    Plan(
        CITY,
        dt.date(2025, 5, 12),
        "consult",
        "老旧小区改造的申报条件",
        "我们小区建于1998年，想了解老旧小区改造的申报条件和流程。",
        "陈先生",
        late_days=-4,
        rating="satisfied",
    ),
    Plan(
        CITY,
        dt.date(2025, 10, 13),
        "suggest",
        "关于增设便民停车位的建议",
        "老城区停车难，建议利用边角地增设便民停车位。",
        "刘先生",
        consent=True,
        late_days=7,
        reply_channel="letter",
        leader=True,
    ),
    Plan(
        HOUSING,
        dt.date(2026, 2, 2),
        "complain",
        "邻里纠纷请求处理",
        "邻居占用楼道堆放杂物，多次协商未果。",
        "孙女士",
        returned="属于民事纠纷，请向所在社区居委会或人民调解委员会反映。",
    ),
    Plan(
        TRANSPORT,
        dt.date(2026, 6, 1),
        "suggest",
        "建议在学校周边设置减速带",
        "学校门口车速较快，建议设置减速带和警示标志。",
        "周先生",
        consent=True,
        late_days=-5,
        rating="satisfied",
    ),
    Plan(
        CITY_MANAGEMENT,
        dt.date(2026, 10, 12),
        "complain",
        "夜间施工噪音扰民",
        "附近工地夜间施工到凌晨，严重影响休息。",
        "吴女士",
        late_days=None,
        accept=False,
    ),
    Plan(
        EDU,
        dt.date(2026, 11, 16),
        "consult",
        "课后服务收费标准",
        "请问本市中小学课后服务的收费标准是什么？",
        "郑先生",
        late_days=None,
    ),
)

REPLY = "您好！来信收悉。经研究答复如下：我们已将您反映的情况交由相关科室办理，具体政策和办理结果详见附后说明。感谢您的关注和支持。"


def build_recent_letters(orgs: Iterable[Organisation]) -> int:
    """Write the letters of ``PLANS`` through the workflow; returns how many letters."""
    by_name = {o.name: o for o in orgs}
    calendar_due = actions.reply_due
    made = 0
    for n, plan in enumerate(PLANS, start=1):
        body = by_name.get(plan.body)
        if body is None:
            continue
        received = dt.datetime.combine(plan.received, dt.time(10, 0), TZ)
        letter = actions.submit(
            ACTOR,
            body,
            kind=plan.kind,
            addressed_to="leader" if plan.leader else "body",
            subject=plan.subject,
            text=plan.text,
            writer_name=plan.writer,
            phone=f"1380374{n:04d}",
            consent_to_publish=plan.consent,
            received_at=received,
            secret=f"DEMOMAIL{n:02d}",
        ).letter
        made += 1
        step = plan.received + dt.timedelta(days=1)
        if plan.transfer_to and plan.transfer_to in by_name:
            letter = actions.transfer(
                ACTOR, letter, to_body=by_name[plan.transfer_to], reason="属于城市管理部门职责", on=step
            )
            step += dt.timedelta(days=1)
        if plan.returned:
            actions.return_letter(ACTOR, letter, reason=plan.returned, on=step)
            continue
        if plan.convert:
            actions.convert_to_request(ACTOR, letter)
            continue
        if not plan.accept:
            continue
        letter = actions.accept(ACTOR, letter, on=step)
        if plan.late_days is None:
            continue
        replied_on = calendar_due(plan.received) + dt.timedelta(days=plan.late_days)
        letter = actions.reply(ACTOR, letter, text=REPLY, channel=plan.reply_channel, on=replied_on)
        if plan.consent:
            letter = actions.publish(ACTOR, letter, on=replied_on + dt.timedelta(days=1))
        if plan.rating:
            actions.rate(
                actions.PUBLIC, letter, satisfaction=plan.rating, on=replied_on + dt.timedelta(days=3)
            )
    return made
