"""The demo city's public consultations (意见征集) and interviews and press conferences (在线访谈、新闻发布会) of
2024–2026, run through the real workflows (``gongkai.consultations.actions``, ``gongkai.interviews.actions``):

* a consultation open now (its dates are set around the day the demo is built, so it is open whenever it is
  built), one closed with its published feedback report, one closed in 2026 whose feedback is overdue;
* an online interview with guests, questions sent beforehand and its transcript (recorded as a response action,
  so the statistics count it), a press conference with a principal leader, and one announced for the future
  (again relative to the day the demo is built).

Every other date is fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.utils import timezone

from gongkai.catalog.models import Publication
from gongkai.consultations import actions as consult
from gongkai.consultations.models import Adoption, Consultation
from gongkai.interviews import actions as interviews
from gongkai.organisations.models import Organisation

ACTOR = "demo"
TZ = ZoneInfo("Asia/Shanghai")
CITY = "许昌市人民政府"
EDU = "许昌市教育局"
TRANSPORT = "许昌市交通运输局"
HOUSING = "许昌市住房和城乡建设局"


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


def _document(body: Organisation, before: dt.date) -> Publication | None:
    """The body's latest public item published by the day the consultation opens (its draft, for the demo)."""
    qs = Publication.objects.public().filter(body=body, published_on__lte=before)
    return qs.order_by("-published_on", "-id").first()


def _consultation(
    body: Organisation,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    text: str,
    comments: Iterable[tuple[str, str, str, str, str]],
) -> Consultation:
    """Create, open and take comments (text, name, contact, adoption, reason); an adoption of "" leaves the comment
    pending, "rejected" rejects it in moderation."""
    consultation = consult.create(
        ACTOR,
        body,
        title=title,
        draft_text=text,
        document=_document(body, opens_on),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    consultation = consult.open_consultation(ACTOR, consultation)
    today = timezone.localdate()
    for n, (comment_text, name, contact, adoption, reason) in enumerate(comments):
        day = min(opens_on + dt.timedelta(days=2 + 3 * n), closes_on, today)
        comment = consult.submit_comment(
            consult.PUBLIC,
            consultation,
            text=comment_text,
            name=name,
            contact=contact,
            received_at=_at(day, 9 + n),
        )
        if not adoption:
            continue
        comment = consult.moderate(ACTOR, comment, approve=adoption != "rejected")
        if adoption != "rejected":
            consult.classify(ACTOR, comment, adoption=adoption, reason=reason)
    return consultation


def build_consultations(by_name: dict[str, Organisation]) -> int:
    """Three consultations: one closed with its feedback report published, one closed whose report is overdue,
    one open now. Each only when its body is in the demo tree; how many were made."""
    builders = ((EDU, _school_consultation), (TRANSPORT, _bus_consultation), (HOUSING, _housing_consultation))
    made = 0
    for name, build in builders:
        body = by_name.get(name)
        if body is not None:
            build(body)
            made += 1
    return made


def _school_consultation(edu: Organisation) -> None:
    """Closed, classified, its 采纳情况反馈 generated and published."""
    done = _consultation(
        edu,
        "许昌市中小学课后服务管理办法（征求意见稿）",
        dt.date(2025, 3, 3),
        dt.date(2025, 4, 2),
        "为规范中小学课后服务，市教育局起草了本办法，现公开征求社会各界意见。",
        [
            (
                "建议课后服务结束时间延长至18:00，方便双职工家庭接送。",
                "李女士",
                "13803741101",
                Adoption.ADOPTED,
                "",
            ),
            (
                "第八条收费标准应当向家长公开，并报价格主管部门备案。",
                "赵先生",
                "13803741102",
                Adoption.PARTLY,
                "收费标准将公开；备案事项由价格主管部门另行规定",
            ),
            (
                "建议取消课后服务，减轻教师负担。",
                "",
                "",
                Adoption.NOT_ADOPTED,
                "课后服务由家长自愿选择，不属强制，取消不符合国家政策",
            ),
            ("推销教辅资料，联系13800000000", "", "", "rejected", ""),
        ],
    )
    done = consult.close(ACTOR, done, on=dt.date(2025, 4, 2))
    done = consult.generate_feedback(ACTOR, done)
    consult.publish_feedback(ACTOR, done, on=dt.date(2025, 4, 21))


def _bus_consultation(transport: Organisation) -> None:
    """Closed in 2026 without a feedback report: overdue on the staff page."""
    late = _consultation(
        transport,
        "许昌市城区公交线网优化方案（征求意见稿）",
        dt.date(2026, 8, 3),
        dt.date(2026, 9, 2),
        "为提升公交服务水平，市交通运输局编制了城区公交线网优化方案，现公开征求意见。",
        [
            ("建议开通火车站至东城区的夜班公交。", "王先生", "13803741201", Adoption.ADOPTED, ""),
            (
                "18路公交不宜调整，沿线居民出行依赖该线路。",
                "孙女士",
                "",
                Adoption.NOT_ADOPTED,
                "调整后由新开通的26路覆盖原线路站点",
            ),
        ],
    )
    consult.close(ACTOR, late, on=dt.date(2026, 9, 2))  # no feedback report: overdue on the staff page


def _housing_consultation(housing: Organisation) -> None:
    """Open now (ten days ago to twenty days ahead), comments pending moderation."""
    _consultation(
        housing,
        "许昌市老旧小区改造居民意见征集",
        timezone.localdate() - dt.timedelta(days=10),
        timezone.localdate() + dt.timedelta(days=20),
        "市住房和城乡建设局就明年老旧小区改造的项目清单和改造内容征求居民意见。",
        [
            ("建议优先加装电梯，小区老人多。", "周先生", "13803741301", "", ""),
            ("希望增加停车位和充电桩。", "", "", "", ""),
        ],
    )


def _interview(
    body: Organisation,
    *,
    kind: str,
    topic: str,
    starts: dt.datetime,
    guests: list[interviews.GuestRow],
    summary: str,
    questions: Sequence[tuple[str, str]] = (),
    transcript: Sequence[tuple[str, str]] = (),
    held: bool = True,
) -> None:
    interview = interviews.announce(
        ACTOR,
        body,
        kind=kind,
        topic=topic,
        starts_at=starts,
        guests=guests,
        summary=summary,
        video_url="https://www.xuchang.gov.cn/video/demo" if held else "",
    )
    for n, (asker, text) in enumerate(questions):
        question = interviews.ask(
            interviews.PUBLIC, interview, text=text, asker=asker, at=starts - dt.timedelta(days=3 - n)
        )
        interviews.moderate(ACTOR, question, approve=True)
    if not held:
        return
    interview = interviews.go_live(ACTOR, interview, at=starts)
    for n, (speaker, text) in enumerate(transcript):
        interviews.append(
            ACTOR, interview, speaker=speaker, text=text, at=starts + dt.timedelta(minutes=3 * n)
        )
    ended = starts + dt.timedelta(minutes=3 * len(transcript) + 5)
    interview = interviews.end(ACTOR, interview, at=ended)
    interviews.publish(ACTOR, interview, at=ended + dt.timedelta(hours=2))


def build_interviews(by_name: dict[str, Organisation]) -> int:
    """An online interview held by the education bureau, and the city's press conference held and interview
    announced; each only when its body is in the demo tree. How many were made."""
    made = 0
    if (edu := by_name.get(EDU)) is not None:
        _enrolment_interview(edu)
        made += 1
    if (city := by_name.get(CITY)) is not None:
        made += _city_events(city)
    return made


def _enrolment_interview(edu: Organisation) -> None:
    """Held in 2025, with questions asked beforehand and a transcript, then published."""
    _interview(
        edu,
        kind="interview",
        topic="2025年秋季义务教育招生政策解读",
        starts=_at(dt.date(2025, 6, 12), 15),
        guests=[
            interviews.GuestRow("张建华", "许昌市教育局副局长"),
            interviews.GuestRow("刘敏", "许昌市教育局基础教育科科长"),
        ],
        summary="市教育局负责同志解读今年义务教育阶段招生入学政策，回答网友关心的问题。",
        questions=[
            ("魏都区家长", "随迁子女入学需要准备哪些材料？"),
            ("网友小许", "学区划分今年有没有调整？在哪里查询？"),
        ],
        transcript=[
            ("主持人", "各位网友大家好，欢迎收看本期在线访谈。"),
            ("张建华", "今年义务教育招生继续坚持免试就近入学，学区划分已在市教育局网站公布。"),
            ("主持人", "有网友问，随迁子女入学需要准备哪些材料？"),
            ("刘敏", "需要提供居住证、监护人就业或经营证明和户口簿，具体可在报名系统查看。"),
            ("主持人", "感谢两位嘉宾，本期访谈到此结束。"),
        ],
    )


def _city_events(city: Organisation) -> int:
    """The 2026 press conference (the mayor: a principal leader) and an interview announced for two weeks
    ahead, open for questions."""
    _interview(
        city,
        kind="press",
        topic="许昌市2026年重点民生实事新闻发布会",
        starts=_at(dt.date(2026, 2, 26), 10),
        guests=[
            interviews.GuestRow("王志强", "许昌市人民政府市长", principal_leader=True),
            interviews.GuestRow("陈立", "许昌市人民政府办公室主任"),
        ],
        summary="市长介绍2026年十项重点民生实事并回答记者提问。",
        transcript=[
            ("主持人", "各位记者朋友，上午好。"),
            ("王志强", "今年我们将办好十项重点民生实事，涵盖教育、医疗、养老、交通等领域。"),
            ("记者", "老旧小区改造今年的目标是什么？"),
            ("王志强", "今年计划改造老旧小区120个，惠及居民3万余户。"),
        ],
    )
    _interview(
        city,
        kind="interview",
        topic="优化营商环境政策在线访谈（预告）",
        starts=_at(timezone.localdate() + dt.timedelta(days=14), 15),
        guests=[interviews.GuestRow("陈立", "许昌市人民政府办公室主任")],
        summary="市政府办公室负责同志介绍优化营商环境的新举措，欢迎网友提前提问。",
        questions=[("企业经办人", "开办企业全程网办现在需要几天？")],
        held=False,
    )
    return 2


def build_recent(orgs: Iterable[Organisation]) -> int:
    """Consultations and interviews of 2024–2026; returns how many of both."""
    by_name = {o.name: o for o in orgs}
    return build_consultations(by_name) + build_interviews(by_name)
