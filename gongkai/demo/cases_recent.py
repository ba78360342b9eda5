"""Recent casework for the demo city: requests of 2024, 2025 and autumn 2026 run through the real transitions
(so each has its timeline), every 2019-regime outcome used somewhere, some still open on 31 December so the
carry-over rows are exercised. Deterministic: no date depends on the day the demo is loaded."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.files.base import ContentFile

from gongkai.accounts.models import Role, StaffProfile
from gongkai.cases import outcomes, remedies
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import AdministrativeReview, Applicant, InformationRequest, Lawsuit
from gongkai.organisations.codes import (
    RESIDENT_ID_CHECK,
    RESIDENT_ID_WEIGHTS,
    make_credit_code,
    make_org_code,
)
from gongkai.organisations.models import Organisation
from gongkai.workdays.calendar import WorkCalendar

ACTOR = "demo"
PER_YEAR = {2024: 70, 2025: 80, 2026: 12}
ORG_KINDS = ("business", "research", "public_interest", "legal_service", "other")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
SUBJECTS = (
    "某小区棚户区改造项目征收补偿方案",
    "2023年度部门预算及“三公”经费",
    "某路段拓宽工程环评批复",
    "农村低保对象审批名单",
    "某地块国有建设用地使用权出让合同",
    "义务教育学校招生划片方案",
    "某企业行政处罚决定书",
    "某河道治理工程招标文件",
    "食品安全监督抽检结果",
    "公共租赁住房分配名单",
)
# Outcomes cycled in this order so that every Table 3 row is used; the common ones repeat.
COMMON = (
    "2019.disclosed",
    "2019.disclosed",
    "2019.already_public",
    "2019.partly_disclosed",
    "2019.unable.not_held",
)


def resident_id(rng: random.Random) -> str:
    body = f"4110{rng.randint(0, 99):02d}{rng.randint(1960, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return (
        body + RESIDENT_ID_CHECK[sum(int(c) * w for c, w in zip(body, RESIDENT_ID_WEIGHTS, strict=True)) % 11]
    )


def _applicant(rng: random.Random, n: int) -> Applicant:
    if rng.random() < 0.8:
        return create_applicant(
            ACTOR,
            kind="natural",
            name=rng.choice(SURNAMES) + "某" + "甲乙丙丁"[n % 4],
            id_document="resident_id",
            id_number=resident_id(rng),
            phone=f"13{rng.randint(100000000, 999999999)}",
        )
    kind = ORG_KINDS[n % len(ORG_KINDS)]
    return create_applicant(
        ACTOR,
        kind=kind,
        name=f"许昌某{['科技有限公司', '研究院', '公益基金会', '律师事务所', '协会'][ORG_KINDS.index(kind)]}",
        # Derived from ``n``, not drawn from ``rng``, so the rest of the demo stays as it was.
        credit_code=make_credit_code("91", "411000", make_org_code(f"7{n:07d}")),
        contact_name=SURNAMES[n % len(SURNAMES)] + "经理",
    )


# What a demo answer says, by the outcome's kind (the first part of its code after the regime).
ANSWER_TEXTS = {
    "already_public": "您申请的信息已在本机关门户网站“政府信息公开”专栏主动公开，可登录查阅或下载。",
    "disclosed": "现将您申请的信息提供给您，请查收。",
    "partly_disclosed": "现将可以公开的部分提供给您，请查收；其余部分不予公开，理由见下。",
    "refused": "经审查，您申请的信息依法不予公开。",
    "unable": "经检索，本机关未制作或获取您申请的信息。",
    "not_processed": "您的申请不作为政府信息公开申请处理。",
    "other": "本机关依法对您的申请作出上述处理。",
}


def _answer_content(outcome: str, subject: str) -> t.AnswerContent:
    """The demo answer's text (and, for a partial disclosure, the part withheld and why); the basis is the
    outcome's default citation (``gongkai.cases.bases``)."""
    kind = outcome.split(".")[1]
    withheld = outcome.endswith("partly_disclosed")
    provided = kind in {"disclosed", "partly_disclosed"}
    return t.AnswerContent(
        text=ANSWER_TEXTS.get(kind, ANSWER_TEXTS["other"]),
        withheld_part=f"{subject.removeprefix('申请公开')}中涉及个人身份信息的内容" if withheld else "",
        withheld_ground="third_party" if withheld else "",
        documents=[_provided_document(subject, withheld)] if provided else [],
    )


def _provided_document(subject: str, withheld: bool) -> ContentFile[bytes]:
    """The document a disclosure provides (a short DOCX naming what it is), so the demo's answers list their
    attachments as real ones do; a partial disclosure's copy says what was redacted."""
    from docx import Document

    title = subject.removeprefix("申请公开")
    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph("（演示数据）本文件为依申请公开提供的政府信息。")
    if withheld:
        doc.add_paragraph("涉及个人身份信息的内容已作区分处理。")
    out = io.BytesIO()
    doc.save(out)
    return ContentFile(out.getvalue(), name=f"{title}.docx")


def _outcome_plan() -> list[str]:
    every = [o.code for o in outcomes.OUTCOMES if o.regime == "2019"]
    return every + list(COMMON) * 20


def build_recent_cases(rng: random.Random, bodies: list[Organisation], calendar: WorkCalendar) -> int:
    plan = _outcome_plan()
    heads = {
        p.body_id: p.user for p in StaffProfile.objects.filter(role=Role.OFFICE_HEAD).select_related("user")
    }
    count = answered = 0
    for year, n in PER_YEAR.items():
        start, span = (dt.date(2026, 9, 1), 80) if year == 2026 else (dt.date(year, 1, 2), 360)
        days = [d for d in (start + dt.timedelta(days=i) for i in range(span)) if calendar.is_working_day(d)]
        for _i in range(n):
            req = t.register(
                ACTOR,
                rng.choice(bodies),
                received=rng.choice(days),
                channel=rng.choice(["online", "online", "letter", "in_person", "email"]),
                subject=f"申请公开{rng.choice(SUBJECTS)}",
                applicant=_applicant(rng, count),
            )
            if _handle(rng, req, calendar, plan[answered % len(plan)], year, heads):
                answered += 1
            count += 1
        if year == 2025:
            _answer_carried_over(2024, calendar)
    return count


def _answer_carried_over(year: int, calendar: WorkCalendar) -> None:
    """Cases carried over from ``year`` are answered early the next year (the carried-in path of Table 3)."""
    for req in InformationRequest.objects.filter(receipt_date__year=year, state="received").order_by("pk"):
        t.answer(
            ACTOR,
            req,
            on=calendar.add_working_days(req.receipt_date, 10),
            outcome="2019.disclosed",
            content=_answer_content("2019.disclosed", req.subject),
        )


def _handle(
    rng: random.Random,
    req: InformationRequest,
    calendar: WorkCalendar,
    outcome: str,
    year: int,
    heads: dict[int, Any],
) -> bool:
    """Walk one case to ``outcome`` (a supplement, a consultation, a fee or an extension on the way), unless it
    is still open at the end of its year (received after 15 December) or current 2026 work. True if settled."""
    receipt = req.receipt_date
    if year == 2026 or (receipt.month == 12 and receipt.day > 15):
        return False
    step = calendar.add_working_days
    if outcome == "2019.other.no_supplement":
        req = t.request_supplement(ACTOR, req, on=step(receipt, 3), note="请明确所需信息的时间范围")
        t.abandon(ACTOR, req, on=step(receipt, 25), reason="逾期未补正")
        return True
    if outcome == "2019.other.unpaid_fee":
        req = t.notify_fee(ACTOR, req, on=step(receipt, 4), amount_yuan="1200")
        t.abandon(ACTOR, req, on=step(receipt, 26), reason="逾期未缴纳信息处理费")
        return True
    roll = 0.0 if outcome == "2019.unable.unclear" else rng.random()  # "still unclear" follows a supplement
    if roll < 0.1:
        req = t.request_supplement(ACTOR, req, on=step(receipt, 3), note="请明确所需信息的时间范围")
        req = t.receive_supplement(ACTOR, req, on=step(receipt, 8))
    elif roll < 0.2:
        req = t.start_consultation(ACTOR, req, on=step(receipt, 5), party="third_party", name="相关企业")
        req = t.end_consultation(ACTOR, req, on=step(receipt, 12), reply="不同意公开")
    elif roll < 0.24:
        req = t.notify_fee(ACTOR, req, on=step(receipt, 4), amount_yuan="100")
        req = t.receive_fee(ACTOR, req, on=step(receipt, 9))
    due = req.due_date
    if req.body_id in heads and rng.random() < 0.3:
        req = t.extend(
            ACTOR, req, on=step(receipt, 15), days=10, reason="需调取档案核查", approved_by=heads[req.body_id]
        )
        due = req.extended_due_date or due
    last = req.events.order_by("-effective_on").values_list("effective_on", flat=True).first() or receipt
    on_time = min(step(receipt, rng.randint(5, 19)), due)
    answered = max(step(last, 1), on_time) if rng.random() < 0.95 else step(due, 2)  # a few answered late
    t.answer(ACTOR, req, on=answered, outcome=outcome, content=_answer_content(outcome, req.subject))
    return True


# (year, kind, outcome, filed after the answer, decided after filing): some decided, some pending at year end.
REMEDIES = (
    (2024, "review", "upheld", 20, 50),
    (2024, "review", "corrected", 25, 55),
    (2024, "direct", "upheld", 40, 120),
    (2025, "review", "upheld", 15, 45),
    (2025, "review", "other", 20, 60),
    (2025, "review", "", 30, 0),
    (2025, "after_review", "", 60, 0),
)


def build_recent_remedies() -> int:
    """Reviews and lawsuits against refused or partly disclosed answers of 2024 and 2025 (Table 4)."""
    created = 0
    for year, kind, outcome, filed_after, decided_after in REMEDIES:
        contested = (
            InformationRequest.objects.filter(answered_on__year=year, answered_on__month__lte=8)
            .filter(outcome__startswith="2019.refused")
            .order_by("answered_on", "id")
        )
        req = contested[created % max(1, contested.count())]
        assert req.answered_on is not None
        filed = req.answered_on + dt.timedelta(days=filed_after)
        decided = filed + dt.timedelta(days=decided_after) if outcome else None
        if kind == "review":
            remedy: AdministrativeReview | Lawsuit = remedies.file_review(ACTOR, req, filed_on=filed)
        else:
            remedy = remedies.file_lawsuit(ACTOR, req, filed_on=filed, after_review=kind == "after_review")
        if outcome and decided is not None:
            remedies.decide(ACTOR, remedy, outcome=outcome, decided_on=decided)
        created += 1
    return created
