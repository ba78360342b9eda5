"""Letters (告知书) of a case: one per step that the law requires in writing, and one for every answer type,
each stating its legal basis; answers and terminations also state the remedies (administrative review within 60
days, litigation within 6 months) and every letter ends with the body's seal line.

Rendered from the case when opened (DOCX with python-docx, PDF with WeasyPrint and Noto CJK fonts); when sent,
both files are stored with their checksum and the 文号 allocated then (``gongkai.cases.numbering``), so what was
sent never changes. An answer states the clerk's text, the part withheld and why (2019 art 37), the documents
provided by name and the legal basis chosen (``gongkai.cases.bases``). Text typed by staff or applicants is
embedded without its own closing punctuation (``clause``), so no letter reads "。”。" or "。，". The wording is a
template the body should review; per-body editable templates are not built yet."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record
from gongkai.cases import bases, numbering, outcomes
from gongkai.cases.models import CaseEvent, CaseEventKind, InformationRequest, Letter
from gongkai.cases.regimes import get_regime
from gongkai.exportsafe import xml_text
from gongkai.workdays.calendar import get_calendar

K = CaseEventKind
LETTER_EVENTS = frozenset(
    {
        K.REGISTERED,
        K.SUPPLEMENT_REQUESTED,
        K.CONSULTATION_STARTED,
        K.EXTENDED,
        K.FEE_NOTIFIED,
        K.ANSWERED,
        K.ABANDONED,
    }
)

# The article each 2019-regime outcome cites by default (statutory-reference §2; the choices are data in
# ``gongkai.cases.bases``); 2008-regime answers cite art 21.
ARTICLES_2019 = {code: citations[0].removeprefix("《条例》") for code, citations in bases.BASES_2019.items()}
SUPPLEMENT_DAYS = 15  # the "set time" for a supplement most bodies use; stated in the letter
# Punctuation a text typed by someone else may end with: dropped before the letter adds its own, so a letter
# never reads "。”。" or "。，" (issue 12).
TRAILING = "。．.，,；;：:！!？?、 \t\r\n"


@dataclass
class LetterContent:
    title: str
    number: str
    recipient: str
    paragraphs: list[str]
    body_name: str
    date: dt.date
    remedies: str = ""
    extra: list[str] = field(default_factory=list)


def clause(text: object) -> str:
    """Text to be embedded in a sentence of the letter, without its own closing punctuation."""
    return str(text).strip().rstrip(TRAILING)


def sentence(text: object) -> str:
    """Text that stands as a sentence: ends with exactly one full stop (or its own ！/？)."""
    stripped = str(text).strip()
    if stripped.endswith(("！", "？", "。”", "。）")):
        return stripped
    return clause(stripped) + "。" if clause(stripped) else ""


def _law(req: InformationRequest) -> str:
    return "《中华人民共和国政府信息公开条例》" + ("" if req.regime == "2019" else "（2008年）")


def _cite(req: InformationRequest, citation: str) -> str:
    """A stored citation ("《条例》第三十六条第（二）项") with the Regulations' full name."""
    return citation.replace("《条例》（2008年）", _law(req)).replace("《条例》", _law(req))


def _remedies(req: InformationRequest) -> str:
    parent = req.body.parent.name if req.body.parent else _("上一级行政机关")
    return _(
        "如对本告知不服，可以自收到本告知书之日起60日内向%(parent)s申请行政复议，或者自收到本告知书之日起6个月内"
        "依法向人民法院提起行政诉讼。"
    ) % {"parent": parent}


def _subject(req: InformationRequest) -> str:
    return clause(req.subject.removeprefix("申请公开"))


def _opening(req: InformationRequest) -> str:
    return _("本机关于%(day)s收到您提出的政府信息公开申请，申请获取“%(subject)s”。") % {
        "day": _cn(req.receipt_date),
        "subject": _subject(req),
    }


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class _Draft:
    """What every letter of one step shares: the case, the law cited, the letter's number and recipient."""

    event: CaseEvent
    req: InformationRequest
    law: str
    number: str
    recipient: str

    @property
    def is_2019(self) -> bool:
        return self.req.regime == "2019"

    def make(
        self, title: str, paragraphs: list[str], remedies: str = "", recipient: str = ""
    ) -> LetterContent:
        return LetterContent(
            title,
            self.number,
            recipient or self.recipient,
            [p for p in paragraphs if p],
            self.req.body.name,
            self.event.effective_on,
            remedies,
        )


def letter_year(event: CaseEvent) -> int:
    """The year of the letter's 文号: the year of its date."""
    return event.effective_on.year


def draft_number(event: CaseEvent) -> str:
    """The number of a sent letter; before sending, the number it would get, marked as a draft."""
    sent = Letter.objects.filter(event=event).only("number").first()
    if sent is not None:
        return sent.number
    upcoming = numbering.preview(event.request.body, letter_year(event))
    return _("%(number)s（草稿，发出时编号）") % {"number": upcoming}


def compose(event: CaseEvent, *, number: str | None = None) -> LetterContent:
    """The letter of one step, from the case as it stands (``number``: the one allocated when sending)."""
    req = event.request
    recipient = req.applicant.name if req.applicant else _("申请人")
    draft = _Draft(event, req, _law(req), draft_number(event) if number is None else number, recipient)
    return _COMPOSERS.get(event.kind, _answer)(draft)


def _registered(d: _Draft) -> LetterContent:
    """The receipt: the reply period of 2019 art 33 (2008 art 24)."""
    req = d.req
    due = _cn(req.due_date) + ("（暂定，所跨年度的节假日安排尚未公布）" if req.provisional else "")
    return d.make(
        _("政府信息公开申请登记回执"),
        [
            _opening(req),
            _(
                "本机关将依照%(law)s%(article)s的规定，于%(due)s前作出答复（因补正、征求意见等依法不计算在"
                "期限内的时间，期限相应顺延）。"
            )
            % {"law": d.law, "article": "第三十三条" if d.is_2019 else "第二十四条", "due": due},
        ],
    )


def _supplement(d: _Draft) -> LetterContent:
    """A request to supplement an unclear application (2019 art 30)."""
    return d.make(
        _("补正申请告知书"),
        [
            _opening(d.req),
            _("经审查，您的申请内容不明确。根据%(law)s第三十条的规定，请您作出补正：%(note)s。")
            % {"law": d.law, "note": clause(d.event.data.get("note", ""))},
            _(
                "请于收到本告知书之日起%(days)d个工作日内补正。答复期限自本机关收到补正的申请之日起计算；无正当理由逾期不补正的，"
                "视为放弃申请，本机关不再处理。"
            )
            % {"days": SUPPLEMENT_DAYS},
        ],
    )


def _consultation(d: _Draft) -> LetterContent:
    """A third party's opinion (2019 art 32, 2008 art 23) or another body's (2019 art 34)."""
    days = get_regime(d.req.regime).third_party_days
    other_body = d.event.data.get("party") == "other_body"
    why = _("该信息需要与贵机关确认是否公开") if other_body else _("公开该信息可能损害贵方合法权益")
    article = "第三十四条" if other_body else "第三十二条" if d.is_2019 else "第二十三条"
    return d.make(
        _("政府信息公开征求意见函"),
        [
            _("本机关收到一件政府信息公开申请，申请获取“%(subject)s”，%(why)s。")
            % {"subject": _subject(d.req), "why": why},
            _(
                "根据%(law)s%(article)s的规定，现征求贵方意见。请于收到本函之日起%(days)s内书面提出意见；逾期未提出意见的，"
                "由本机关依照该条例的规定决定是否公开。"
            )
            % {
                "law": d.law,
                "article": article,
                "days": _("%(n)d个工作日") % {"n": days} if days and not other_body else _("合理期限"),
            },
        ],
        recipient=clause(d.event.data.get("name", _("第三方"))),
    )


def _extended(d: _Draft) -> LetterContent:
    """An extension of the reply period (2019 art 33, 2008 art 24)."""
    req, data = d.req, d.event.data
    return d.make(
        _("延期答复告知书"),
        [
            _opening(req),
            _(
                "因%(reason)s，经本机关政府信息公开工作机构负责人同意，根据%(law)s%(article)s的规定，答复期限延长"
                "%(days)s个工作日，至%(due)s。"
            )
            % {
                "reason": clause(data.get("reason", "")),
                "law": d.law,
                "article": "第三十三条" if d.is_2019 else "第二十四条",
                "days": data.get("days"),
                "due": _cn(req.extended_due_date or req.due_date),
            },
        ],
    )


def _fee(d: _Draft) -> LetterContent:
    """A processing fee (2019 art 42; 国办函〔2020〕109号)."""
    return d.make(
        _("信息处理费缴费通知书"),
        [
            _opening(d.req),
            _(
                "您的申请数量、频次明显超过合理范围，根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
                "需缴纳信息处理费%(amount)s元。"
            )
            % {"amount": d.event.data.get("amount_yuan", "")},
            _(
                "请于收到本通知书之日起20个工作日内缴纳；逾期未缴纳的，视为放弃申请，本机关不再处理。缴费期间不计算在答复期限内。"
            ),
        ],
    )


def _abandoned(d: _Draft) -> LetterContent:
    """The end of an application not supplemented (2019 art 30) or not paid for (art 42)."""
    code = d.event.data.get("outcome", d.req.outcome)
    reason = _("逾期未补正") if code == "2019.other.no_supplement" else _("逾期未按收费通知缴纳费用")
    return d.make(
        _("政府信息公开申请终止处理告知书"),
        [
            _opening(d.req),
            _("因您%(reason)s，根据%(law)s%(article)s的规定，视为放弃申请，本机关不再处理该申请。")
            % {"reason": reason, "law": d.law, "article": ARTICLES_2019.get(code, "")},
        ],
        remedies=_remedies(d.req),
    )


def _answer(d: _Draft) -> LetterContent:
    """The answer (2019 arts 36-39; 2008 art 21): the decision, the clerk's text, each item, the withheld part
    and why (art 37), the documents provided, the legal basis, and the remedies."""
    code = str(d.event.data.get("outcome") or d.req.outcome)
    return d.make(
        _("政府信息公开申请答复书"),
        [
            _opening(d.req),
            _("经审查，本机关答复如下：%(label)s。") % {"label": clause(outcomes.BY_CODE[code].label)},
            *_answer_text(d.event),
            *_item_lines(d.req),
            _withheld_line(d),
            _documents_line(d.event),
            _basis_line(d, code),
        ],
        remedies=_remedies(d.req),
    )


def _answer_text(event: CaseEvent) -> list[str]:
    """The clerk's answer, one paragraph per line typed."""
    return [sentence(line) for line in str(event.data.get("text", "")).splitlines() if clause(line)]


def _item_lines(req: InformationRequest) -> list[str]:
    return [
        _("第%(n)s项“%(what)s”：%(label)s。")
        % {
            "n": item.position,
            "what": clause(item.description),
            "label": outcomes.BY_CODE[item.outcome].label,
        }
        for item in req.items.order_by("position")
        if item.outcome
    ]


def _withheld_line(d: _Draft) -> str:
    """A partial disclosure names the part withheld, why, and the article (2019 art 37)."""
    withheld = d.event.data.get("withheld") or {}
    ground = bases.GROUND_BY_CODE.get(str(withheld.get("ground", "")))
    if ground is None:
        return ""
    return _("其中，%(part)s不予公开，理由是该部分信息%(why)s，依据为%(article)s。") % {
        "part": clause(withheld.get("part", "")) or _("部分内容"),
        "why": clause(ground.label),
        "article": _cite(d.req, ground.article),
    }


def _documents_line(event: CaseEvent) -> str:
    """The documents provided with the answer, by name (2019 art 36 (二))."""
    names = [doc.name for doc in event.documents.order_by("id")] if event.pk else []
    if not names:
        return ""
    listed = "；".join(f"{n}. {name}" for n, name in enumerate(names, start=1))
    return _("随本答复书向您提供以下政府信息：%(list)s。") % {"list": listed}


def _basis_line(d: _Draft, code: str) -> str:
    chosen = str(d.event.data.get("basis") or "")
    if not chosen:
        chosen = bases.default(code) if d.is_2019 else "《条例》（2008年）第二十一条"
    return _("依据：%(basis)s。") % {"basis": _cite(d.req, chosen)}


_COMPOSERS: dict[str, Callable[[_Draft], LetterContent]] = {
    K.REGISTERED: _registered,
    K.SUPPLEMENT_REQUESTED: _supplement,
    K.CONSULTATION_STARTED: _consultation,
    K.EXTENDED: _extended,
    K.FEE_NOTIFIED: _fee,
    K.ABANDONED: _abandoned,
}


def printable(content: LetterContent) -> LetterContent:
    """``content`` with every text as XML-based files and the PDF renderer can hold it: stored text may carry
    control characters from before input was normalised (``gongkai.exportsafe.xml_text``)."""
    return dataclasses.replace(
        content,
        title=xml_text(content.title),
        number=xml_text(content.number),
        recipient=xml_text(content.recipient),
        paragraphs=[xml_text(p) for p in content.paragraphs],
        body_name=xml_text(content.body_name),
        remedies=xml_text(content.remedies),
        extra=[xml_text(p) for p in content.extra],
    )


def render_docx(content: LetterContent) -> bytes:
    """Government document style: centred title in a 小标宋-style face, 仿宋 body, seal line at the right."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    content = printable(content)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(content.title)
    run.font.size, run.font.name = Pt(22), "方正小标宋简体"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    doc.add_paragraph(content.number).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{content.recipient}：")
    for text in [*content.paragraphs, *([content.remedies] if content.remedies else [])]:
        paragraph = doc.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(32)
    for text in (_("%(body)s（盖章）") % {"body": content.body_name}, _cn(content.date)):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(content: LetterContent) -> bytes:
    from weasyprint import HTML

    content = printable(content)
    html = render_to_string("cases/letter.html", {"letter": content, "date": _cn(content.date)})
    return bytes(HTML(string=html).write_pdf())


def digest(*files: bytes) -> str:
    h = hashlib.sha256()
    for data in files:
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


@transaction.atomic
def send(actor: Actor, event: CaseEvent, *, dispatched_on: dt.date) -> Letter:
    """Store the letter as sent (both files and their checksum); it is never re-rendered afterwards."""
    if event.kind not in LETTER_EVENTS:
        raise ValueError(f"no letter for {event.kind}")
    # The body's numbering row is locked first: two sends of one body's letters run one after the other, so
    # the check below sees a letter sent a moment ago, and no number is taken twice.
    row, seq, number = numbering.allocate(event.request.body, letter_year(event))
    if Letter.objects.filter(event=event).exists():
        raise ValueError("this letter was already sent")
    content = compose(event, number=number)
    docx, pdf = render_docx(content), render_pdf(content)
    name = f"{event.request_id}-{event.pk}-{event.kind}"
    letter = Letter(
        request=event.request,
        event=event,
        sent_at=timezone.now(),
        dispatched_on=dispatched_on,
        checksum=digest(docx, pdf),
        number=number,
        numbering=row,
        sequence=seq,
    )
    letter.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    letter.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    letter.full_clean()
    letter.save()
    record(
        actor,
        "letter.send",
        letter,
        after={
            "event": event.pk,
            "kind": event.kind,
            "dispatched_on": dispatched_on.isoformat(),
            "checksum": letter.checksum,
            "number": number,
        },
        summary=number,
    )
    return letter


@transaction.atomic
def record_delivery(actor: Actor, letter: Letter, *, delivered_on: dt.date) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    before = {"delivered_on": letter.delivered_on.isoformat() if letter.delivered_on else None}
    letter.delivered_on = delivered_on
    letter.full_clean()
    letter.save(update_fields=["delivered_on"])
    record(actor, "letter.delivered", letter, before=before, after={"delivered_on": delivered_on.isoformat()})
    return letter


def period_from_delivery(letter: Letter) -> tuple[str, dt.date] | None:
    """Periods that run from delivery: the third party's reply (2019 art 32) and payment of a fee."""
    if letter.delivered_on is None:
        return None
    calendar = get_calendar()
    if letter.event.kind == K.CONSULTATION_STARTED:
        return _("第三方答复期限"), calendar.add_working_days(letter.delivered_on, 15)
    if letter.event.kind == K.FEE_NOTIFIED:
        return _("缴费期限"), calendar.add_working_days(letter.delivered_on, 20)
    return None
