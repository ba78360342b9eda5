"""The figures a report's text states (report-checker issue, Deliver 1: ``narrative``).

Every Arabic number in a sentence of the narrative is a figure, except what is not a count: dates and years,
times, document numbers (〔2019〕60号), article and ordinal numbers (第N), section numbering (1.门户网站, （1）),
numbers inside book titles (《…》) and short quotations (“12345”热线), telephone numbers, post codes, addresses
(7号楼14层), e-mail and web addresses, letters-and-digits names (H5, 5G) and the count of measures a sentence
has just listed (等7项新举措). Table rows (``|``, tabs, rows of bare numbers) are the tables' business.

A figure keeps its printed number: 约/多/余/超/突破 do not change it, 万 stays in 万, a percentage is its number;
回落/下降/减少 before it make it negative. A sentence that says nothing happened states a 0 (暂不收费,
未收到…申请, 无收取…费). ``text`` is the sentence as printed: sentences are cut on ``doc.simplified`` and sliced
from ``doc.text`` (same offsets), so a Traditional report keeps its Traditional sentence.

``analyse`` returns :class:`Figure` (with the concept a figure counts, for the rules); ``extract`` the
:class:`~gongkai.checker.types.NarrativeFigure` of the output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from gongkai.checker.types import NarrativeFigure, Number


class TextDocument(Protocol):
    """What the narrative needs of ``reading.Document``."""

    text: str
    simplified: str


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # offsets in the document
    end: int
    text: str  # as printed (doc.text)
    simple: str  # simplified, same length
    line: int  # the line (paragraph) it belongs to


@dataclass(frozen=True)
class Figure:
    """A stated figure: ``concept`` names what it counts when the wording tells (see ``_CONCEPTS``), else ""."""

    sentence: Sentence
    start: int  # offset of the number in the sentence (-1 for a figure stated in words, e.g. 暂不收费)
    end: int
    value: Number
    unit: str  # 件/条/%/…
    concept: str
    label: str
    implicit: bool = False  # not printed as digits (a 0 said in words, a count restated)

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    def as_narrative(self) -> NarrativeFigure:
        return NarrativeFigure(text=self.sentence.text, value=self.value, label=self.label)


def extract(doc: TextDocument, extraction: Any = None) -> list[NarrativeFigure]:
    """Every figure the report's text states, in document order (``extraction`` is not needed: table rows are
    recognised by their layout)."""
    return [f.as_narrative() for f in analyse(doc)]


def analyse(doc: TextDocument) -> list[Figure]:
    figures: list[Figure] = []
    previous: Sentence | None = None
    for sentence in sentences(doc):
        continued = (
            previous is not None
            and previous.line == sentence.line
            and bool(_ABOUT_OGI.search(previous.simple))
            and bool(_CONTINUES.match(sentence.simple))
        )
        figures += _sentence_figures(sentence, continued)
        previous = sentence
    return figures


_ABOUT_OGI = re.compile(r"(?:信息|资讯)公开|依申请|公开答[复覆]")  # 资讯: Taiwan phrasing (政府資訊公開)
# a sentence that goes on with the subject of the one before it ("…引发行政复议14件。引发行政诉讼9件，…",
# "…共收到政府信息公开申请653件。其中，当面申请118件…")
_CONTINUES = re.compile(r"^\s*(?:其中|另有|另|此外|同时|引发|被提起|提起|被申请|申请|办结|答[复覆])")


# Sentences ---------------------------------------------------------------------------------------------------

_META_LINE = re.compile(
    r"^\s*(?:https?://|via[:：]|(?:标题|發布時間|发布时间|发布日期|發布日期|文号|文號|发布机构|發布機構|栏目|欄目|"
    r"原文链接|本地目录|索引号|索引號|来源|來源|页面链接|分类|主题分类|成文日期)\s*[:：]|=+\s*正文|页面链接与图片)"
)
_TERMINATORS = "。！？!?"
_UNCLOSED = 150  # a bracket or quote still open this far on was never closed (a typo): sentences end again
_OPEN, _CLOSE = "《“（(<〈「『", "》”）)>〉」』"
# a heading run together with the text after it in a flattened page: "二、主动公开政府信息情况 （一）数量 正文…"
_HEADING = re.compile(
    r"(?<!\S)(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d))"
    r"[^\s，。；：,;:！？]{0,40}?\s+"
)
_TABLE_RUN = re.compile(r"\d\s+\d")  # bare numbers separated by blanks: a flattened table row


def sentences(doc: TextDocument) -> list[Sentence]:
    simple, text = doc.simplified, doc.text
    if len(simple) != len(text):  # a reader that broke the contract: work on the text itself
        simple = text
    result: list[Sentence] = []
    offset = 0
    for number, line in enumerate(simple.split("\n")):
        start_of_line, offset = offset, offset + len(line) + 1
        if not line.strip() or _META_LINE.match(line) or "|" in line or "\t" in line:
            continue
        for a, b in _split(line):
            a, b = _strip_heading(line, a, b)
            piece = line[a:b]
            if not re.search(r"[\d０-９]", piece) and not _ZERO_HINT.search(piece):
                continue
            if not re.search(r"[\u4e00-\u9fff]", piece):
                continue  # no Chinese: a page number ("- 3 -"), a code, an address line
            if _TABLE_RUN.search(_masked(simple[start_of_line + a : start_of_line + b])) or (
                piece[-1:] not in _TERMINATORS and re.search(r"\d\s*$", piece)
            ):
                continue  # a (flattened) table row, not a sentence
            s, e = start_of_line + a, start_of_line + b
            result.append(Sentence(len(result), s, e, text[s:e], simple[s:e], number))
    return result


def _split(line: str) -> list[tuple[int, int]]:
    """Sentence spans of a line: cut after 。！？ outside brackets and quotes."""
    spans: list[tuple[int, int]] = []
    depth, start, opened = 0, 0, 0
    for i, ch in enumerate(line):
        if ch in _OPEN:
            opened = i if depth == 0 else opened
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in _TERMINATORS and (depth == 0 or i - opened > _UNCLOSED):
            spans.append((start, i + 1))
            start, depth = i + 1, 0
    if start < len(line):
        spans.append((start, len(line)))
    return spans


def _strip_heading(line: str, a: int, b: int) -> tuple[int, int]:
    piece = line[a:b]
    cut = 0
    for match in _HEADING.finditer(piece):
        if re.search(r"[\d０-９]", piece[cut : match.start()]):
            break  # a figure before it: the sentence has started
        cut = match.end()
    while a + cut < b and line[a + cut].isspace():
        cut += 1
    end = b
    while end > a + cut and line[end - 1].isspace():
        end -= 1
    return a + cut, end


# Figures -------------------------------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\d.．])([0-9０-９]{1,3}(?:,[0-9]{3})+|[0-9０-９]{1,3}(?:，[0-9０-９]{3})+(?=\s*[件条个次人项元万%％])|[0-9０-９]+)"
    r"(?:[.．]([0-9０-９]+))?"
)  # thousands separators: 1,234; a full-width one only right before a unit (１，０４１件), else it ends a clause
_MASKS = [
    re.compile(r"《[^》]*》|<[^>]*>|〈[^〉]*〉"),  # titles
    re.compile(r"[〔\[［【(（]\s*[12]\d{3}\s*[〕\]］】)）]\s*\d*\s*[号號]?"),  # document numbers
    re.compile(r"\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?"),  # dates
    re.compile(r"(?:19|20)\d{2}\s*[-—–~～至到]\s*(?:19|20)\d{2}"),  # year ranges: 2021-2035
    re.compile(r"\d+海里"),  # the place name 68海里 (a distance is not what an OGI report counts)
    re.compile(r"\d+\s*[×xX*]\s*24\s*小时|24\s*小时|365\s*天"),  # service hours: 7×24小时, 365天
    re.compile(r"\d+\s*个?工作日内"),  # a time limit, not a result
    re.compile(r"共\s*\d+\s*页"),  # page footers of a PDF
    re.compile(r"(?:浏览次数|点击数|点击量|阅读数|阅读次数|访问次数|浏览量)\s*[:：]\s*\d+"),  # page chrome
    re.compile(r"(?:网站标识码|标识码|备案号|ICP备|公网安备|备案编号)[^\d，。]{0,6}\d+"),  # site registration
    re.compile(r"\d+\s*周?岁"),  # ages
    re.compile(r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?"),  # times
    re.compile(r"[\w.+-]+@[\w.-]+|(?:https?://|www\.)[\w./%?=&#:-]+"),  # e-mail, web
    re.compile(
        r"(?:电话|传真|热线电话|联系电话|邮编|邮政编码|手机|QQ|qq|微信号)\s*[:：]?\s*[\d\-－—() （）转]{5,}"
    ),  # telephone, post code
    re.compile(r"\d{3,4}\s*[-－]\s*\d{7,8}"),
    re.compile(r"“[^”]{0,10}”"),  # short quotations: names such as “12345”热线, “十四五”
    re.compile(r"\d{3,6}(?=[^\d，。；]{0,8}热线)"),  # hotline numbers
    re.compile(r"第\s*[\d０-９]+"),  # ordinals, article numbers
    re.compile(r"[（(][\d０-９]{1,2}[）)]"),  # (1) numbering
    re.compile(r"[A-Za-z]+[\d０-９]+[A-Za-z\d]*|[\d０-９]+[A-Za-z]+"),  # H5, 5G, iOS7
]
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s*(?:年|月|日|号|號|时(?!间)|周年|世纪|年代|届|号楼|层|楼|室|栋|幢|单元|版|"
    r"(?:个|项|条|大)?(?:新)?(?:举措|措施)|个部分|部分|个方面|方面|点\d)"
)
_UNIT = re.compile(
    r"^\s*(%|％|万|亿|千|百)?\s*(余|多)?\s*(个工作日|工作日|人次|条次|万元|亿元|小时|个|件|条|次|项|人|期|篇|家|户|封|份|"
    r"场|本|部|批|轮|所|名|元|天|日|类|起|宗|台|套|处|间|张|位|组|支|块|辆|座|页)?"
)
_NEGATIVE = re.compile(r"(回落|下降|减少|降低|下滑|缩减|减幅|降幅)[了约近达为]?\s*$")
_CLAUSE_BREAK = re.compile(r"[，。；：、,;:（）()“”！？\n]")
_LEAD_FILLER = re.compile(
    r"^(?:其中|另有|共计|共有|总计|合计|累计|全年|全市|全区|全县|全省|本年度|本年|年内|今年|共|均|已|并|达到|达|为|有|约|"
    r"超过|超|突破|近|逾|涉及|依法|及时|主动|总共|目前|现有|现|同比|较去年|较上年|比去年|比上年|\s)+"
)
_ZERO_HINT = re.compile(
    r"暂不收费|不收费|未收取|无收取|没有收取|不收取|未收到|没有收到|未接到|未发生|未出现|没有发生"
)
_ZERO_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"(?:暂不收费|不收取[^，。；]{0,8}费|(?:未|无|没有)(?:收取|收费)[^，。；]{0,10}费?)"),
        "fees",
        "收取的费用",
    ),
    (
        re.compile(r"(?:未|没有)(?:收到|接到|发生|出现)[^，。；]{0,24}?(?:行政复议)"),
        "reviews.total",
        "政府信息公开行政复议",
    ),
    (
        re.compile(r"(?:未|没有)(?:收到|接到|发生|出现)[^，。；]{0,24}?(?:行政诉讼)"),
        "lawsuits.total",
        "政府信息公开行政诉讼",
    ),
    (
        re.compile(r"(?:未|没有)(?:收到|接到)[^，。；]{0,20}?政府(?:信息|资讯)公开[^，。；]{0,6}?申请"),
        "requests.received",
        "收到政府信息公开申请",
    ),
]


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _masked(s: str) -> str:
    for pattern in _MASKS:
        s = pattern.sub(lambda m: "\x00" * len(m.group(0)), s)
    return s


def _sentence_figures(sentence: Sentence, continued: bool = False) -> list[Figure]:
    simple = sentence.simple
    masked = _masked(simple)
    found: list[Figure] = []
    for match in _NUMBER.finditer(masked):
        start, end = match.span()
        after, before = masked[end:], masked[:start]
        if _NOT_A_COUNT_AFTER.match(after) or re.match(r"[-－]\d", after):
            continue  # a date, an address, a range run into a telephone number
        if re.match(r"^[.．、]\D", after) and (
            not before.strip("\x00 ") or before.rstrip()[-1:] in "，。；：、 "
        ):
            continue  # section numbering: "1.门户网站"
        if _is_measure_count(before, after):
            continue
        whole = _ascii(match.group(1)).replace(",", "").replace("，", "")
        fraction = match.group(2)
        value: Number = Decimal(f"{whole}.{_ascii(fraction)}") if fraction else int(whole)
        unit_match = _UNIT.match(after)
        unit = ""
        if unit_match:
            scale, _more, counter = unit_match.groups()
            unit = "%" if scale in ("%", "％") else (scale or "") + (counter or "")
        clause = _clause_before(simple, start)
        if _NEGATIVE.search(clause):
            value = -value
        found.append(Figure(sentence, start, end, value, unit, "", ""))
    found = [_classified(sentence, f, found, continued) for f in found]
    found += _implicit(sentence, found)
    found = [_plain_received(f, found) for f in found]
    return sorted(found, key=lambda f: f.start if f.start >= 0 else 10**6)


def _plain_received(f: Figure, siblings: list[Figure]) -> Figure:
    """A total received by one channel (收到…信函申请1条) is the total; a channel count after a total is not."""
    if "|channel." not in f.concept:
        return f
    earlier = [g for g in siblings if g.concept.startswith("requests.received") and g.start < f.start]
    channels = [g for g in siblings if "channel." in g.concept and not g.implicit]
    alone = not earlier and len(channels) == 1
    channel = f.concept.split("channel.")[1]
    if alone:
        return Figure(f.sentence, f.start, f.end, f.value, f.unit, "requests.received", f.label, f.implicit)
    label = f"{channel}申请（{f.unit or '件'}）"  # one channel's share of the requests, not the total
    return Figure(f.sentence, f.start, f.end, f.value, f.unit, "channel." + channel, label, f.implicit)


def _is_measure_count(before: str, after: str) -> bool:
    return bool(re.match(r"^(?:个|项|条|大)?(?:新)?(?:举措|措施|方面|部分)", after))


def _clause_before(simple: str, position: int) -> str:
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(simple, 0, position)), default=0)
    return simple[start:position]


def _clause_after(simple: str, position: int) -> str:
    match = _CLAUSE_BREAK.search(simple, position)
    return simple[position : match.start() if match else len(simple)]


# Concepts: what a figure counts, from the words right before it (the rules compare these with the tables).
_CHANNELS = {
    "当面": "当面",
    "网上": "网络",
    "网络": "网络",
    "在线": "网络",
    "信函": "信函",
    "传真": "传真",
    "电子邮件": "网络",
    "网路": "网络",
    "邮寄": "信函",
    "电话": "电话",
}
_OUTCOMES: list[tuple[str, str]] = [
    ("予以公开及部分公开", "outcome.disclosed+partly"),
    ("予以公开和部分公开", "outcome.disclosed+partly"),
    ("公开及部分公开", "outcome.disclosed+partly"),
    ("同意部分公开", "outcome.partly"),
    ("部分公开", "outcome.partly"),
    ("不同意公开", "outcome.refused"),
    ("同意公开", "outcome.disclosed"),
    ("予以公开", "outcome.disclosed"),
    ("不予公开", "outcome.refused"),
    ("无法提供", "outcome.unable"),
    ("不予处理", "outcome.not_processed"),
    ("其他处理", "outcome.other"),
]
_APPLICANTS = {
    "自然人": "自然人",
    "商业企业": "法人或其他组织/商业企业",
    "科研机构": "法人或其他组织/科研机构",
    "社会公益组织": "法人或其他组织/社会公益组织",
    "法律服务机构": "法人或其他组织/法律服务机构",
}
_LABELS = {
    "requests.received": "收到政府信息公开申请",
    "requests.answered": "答复政府信息公开申请",
    "requests.carried_in": "上年结转的申请",
    "requests.carried_out": "结转下年度办理的申请",
    "reviews.total": "政府信息公开行政复议",
    "lawsuits.total": "政府信息公开行政诉讼",
    "proactive.total": "主动公开政府信息",
    "proactive.category": "主动公开政府信息（分类）",
    "normative.in_force": "现行有效规范性文件",
    "normative.issued": "本年制发规范性文件",
    "normative.repealed": "本年废止规范性文件",
    "rules.published": "主动公开规章",
    "normative.published": "主动公开规范性文件",
    "fees": "收取的费用",
}


def _classified(sentence: Sentence, f: Figure, siblings: list[Figure], continued: bool = False) -> Figure:
    simple = sentence.simple
    clause = _clause_before(simple, f.start)
    head = simple[: f.start]
    # “同意公开”的183件: quotes around the words do not end the clause that names the figure
    unquoted = _clause_before(re.sub(r"[“”]", "\x01", simple), f.start).replace("\x01", "")
    concept = _concept(simple, unquoted, head, f, continued)
    label = _label(clause, concept, f, siblings, simple)
    return Figure(f.sentence, f.start, f.end, f.value, f.unit, concept, label)


@dataclass(frozen=True)
class _Where:
    """Where a figure stands: its sentence (simplified), the clause before it, the sentence up to it, and
    whether the sentence is about OGI requests."""

    simple: str
    clause: str
    head: str
    f: Figure
    about_ogi: bool

    @property
    def tail(self) -> str:
        return self.clause[-14:]


_SHARE = re.compile(r"占(?:[^\d，。；]{0,8}的)?(?:比例|比重|比)?(?:约|为|达)?\s*$")


def _concept(simple: str, clause: str, head: str, f: Figure, continued: bool = False) -> str:
    """What a figure counts (a key of the checker's concepts, "" when none), from the words before and after
    it. The detectors are tried in order; the first that knows the figure decides."""
    if f.percent:
        return "share" if _SHARE.search(clause) else ""
    at = _Where(simple, clause, head, f, continued or bool(_ABOUT_OGI.search(simple)))
    for detect in _DETECTORS:
        if concept := detect(at):
            return concept
    return ""


def _remedies_and_carry_over(at: _Where) -> str:
    if re.search(r"行政复议(?:案件)?(?:申请)?(?:共|数|为)?\s*$", at.tail) and at.about_ogi:
        return "reviews.total"
    if re.search(r"(?:行政)?诉讼(?:案件)?(?:共|数|为)?\s*$", at.tail) and at.about_ogi:
        return "lawsuits.total"
    if re.search(r"(?:上年度?|去年)结转(?:的)?(?:申请)?\s*$", at.tail):
        return "requests.carried_in"
    after = _clause_after(at.simple, at.f.end)
    if re.search(r"(?:顺延|结转)(?:(?:到|至)?下(?:一)?年度?|(?:到|至)\d{4}年)", after) or re.search(
        r"(?:顺延|结转)(?:到|至)?下(?:一)?年度?(?:继续)?(?:办理|答[复覆])?(?:的)?(?:申请)?(?:共|为)?\s*$",
        at.tail,
    ):
        return "requests.carried_out"
    return ""


def _outcome(at: _Where) -> str:
    outcome_words = sum(1 for word, _c in _OUTCOMES if word in at.simple)
    for word, concept in _OUTCOMES:
        if re.search(re.escape(word) + r"(?:答[复覆]|决定|的)?(?:申请)?(?:共|为)?\s*$", at.clause) and (
            at.about_ogi or outcome_words >= 2
        ):
            return concept
    return ""


def _applicant(at: _Where) -> str:
    if not (at.about_ogi and "申请" in at.simple):
        return ""
    for word, column in _APPLICANTS.items():
        if re.search(word + r"(?:提出|提交)?(?:的)?(?:申请)?\s*$", at.clause):
            return "applicant." + column
    return ""


def _requests_by_channel(at: _Where) -> str:
    """ "…申请N件": received (by a channel), by a channel alone, or answered."""
    if not (
        at.about_ogi
        and re.search(r"(?:申请|依申请公开事项)(?:共|数|数量|总数)?(?:为|达)?\s*$", at.clause)
        and not re.search(r"复议|诉讼", at.clause)
    ):
        return ""
    channel = next((c for w, c in _CHANNELS.items() if re.search(w + r"(?:方式)?(?:的)?申请", at.clause)), "")
    if re.search(r"(?:收到|受理|接收|新收|接到)", at.head) and not re.search(
        r"答[复覆]|办结|回[复覆]", at.clause
    ):
        return "requests.received" + ("|channel." + channel if channel else "")
    if channel:
        return "channel." + channel
    if re.search(r"答[复覆]|办结|回[复覆]|办理", at.clause):
        return "requests.answered"
    return ""


def _requests_received_or_answered(at: _Where) -> str:
    """ "收到…N件申请", "答复申请N件", "…申请…办结N件"."""
    if re.search(r"(?:答[复覆]|办结)(?:政府信息公开)?申请\s*$|^\s*答[复覆]\s*$", at.clause) and at.about_ogi:
        return "requests.answered"
    if not (at.about_ogi or "申请" in at.simple):
        return ""
    after_unit = at.simple[at.f.end :]
    if re.match(r"\s*[件条个]\s*(?:政府信息公开|信息公开|依申请公开)?申请", after_unit) and re.search(
        r"收到|受理|接收|新收|接到", at.clause
    ):
        return "requests.received"
    if (
        re.search(r"(?:办结|答[复覆])\s*$", at.clause)
        and not re.search(r"(?:类型|类|公开|范围|其他)(?:的)?答[复覆]\s*$", at.clause)
        and re.search(r"申请", at.head)
        and not re.search(r"复议|诉讼|热线|信箱|来电|来信", at.head)
    ):
        return "requests.answered"
    return ""


def _normative(at: _Where) -> str:
    if at.f.unit not in ("件", "个", "份", "") or not re.search(r"规范性文件\s*$", at.clause):
        return ""
    for pattern, concept in (
        (r"现行有效", "normative.in_force"),
        (r"制发|印发|出台", "normative.issued"),
        (r"废止", "normative.repealed"),
    ):
        if re.search(pattern, at.clause):
            return concept
    if re.search(r"主动公开", at.simple) and not re.search(r"刊登|公报", at.clause):
        return "normative.published"
    return ""


def _fees(at: _Where) -> str:
    if (
        at.about_ogi
        and at.f.unit in ("万元", "元")
        and re.search(r"(?:收取|收费)[^，。；]*$", at.head)
        and not re.search(r"(?:行政事业性|减免|退还|退费)[^，。；]*$", at.head)
    ):
        return "fees"
    return ""


def _proactive(at: _Where) -> str:
    if (
        re.search(r"规章\s*$", at.clause)
        and re.search(r"主动公开", at.clause)
        and not re.search(r"刊登", at.clause)
    ):
        return "rules.published"
    if re.search(r"主动公开(?:政府)?信息(?:共|数|总数)?(?:为|达)?\s*$", at.clause):
        return "proactive.total"
    if re.search(r"类(?:信息)?\s*$", at.clause) or (re.search(r"类别", at.simple) and at.f.unit == "条"):
        return "proactive.category" if re.search(r"类别|分类", at.simple) else ""
    return ""


_DETECTORS = (
    _remedies_and_carry_over,
    _outcome,
    _applicant,
    _requests_by_channel,
    _requests_received_or_answered,
    _normative,
    _fees,
    _proactive,
)


def _label(clause: str, concept: str, f: Figure, siblings: list[Figure], simple: str) -> str:
    unit = f"（{f.unit}）" if f.unit and f.unit != "%" else ""
    if concept.startswith("requests.received"):
        return _LABELS["requests.received"] + unit
    if concept in _LABELS and concept != "proactive.category":
        return _LABELS[concept] + unit
    words = _LEAD_FILLER.sub("", clause).strip("\x00 ，,")
    if f.percent:
        earlier = [s for s in siblings if s.start < f.start and not s.percent]
        words = re.sub(r"^(?:约)?占(?:比)?(?:约|为)?", "", words)
        counted = (
            _LEAD_FILLER.sub("", _clause_before(simple, earlier[-1].start)).strip("\x00 ，,")
            if earlier
            else ""
        )
        base = words or (counted + "占比" if counted else "")
        return f"{base or '比例'}（%）"
    return (words or "数量") + unit


_ANSWERED_ALREADY = r"已(?:受理)?(?:并)?(?:回复|答复)(?:完毕)?"


def _implicit(sentence: Sentence, found: list[Figure]) -> list[Figure]:
    """Figures stated without their own digits: the total of requests that all came by one channel
    (收到…信函申请1条), requests answered (…申请1条，已受理回复) and a 0 said in words (暂不收费)."""
    extra: list[Figure] = []
    channels = [g for g in found if "channel." in g.concept]
    for f in found:
        earlier = [g for g in found if g.concept.startswith("requests.received") and g.start < f.start]
        if f.concept.startswith("requests.received|channel.") and not earlier and len(channels) == 1:
            extra += _one_channel_total(sentence, f)
        elif f.concept == "requests.received":
            nxt = sentence.simple[f.end + len(f.unit) :].lstrip("，, ")
            if re.match(_ANSWERED_ALREADY + r"[；;，,。]", nxt):
                extra.append(_same_number(sentence, f, "requests.answered", _LABELS["requests.answered"]))
    return extra + _zeros_in_words(sentence)


def _same_number(sentence: Sentence, f: Figure, concept: str, label: str) -> Figure:
    """Another figure the digits of ``f`` state (implicit: they are not its own)."""
    return Figure(
        sentence, f.start, f.end, f.value, f.unit, concept, f"{label}（{f.unit or '件'}）", implicit=True
    )


def _one_channel_total(sentence: Sentence, f: Figure) -> list[Figure]:
    """Requests received that all came by one channel: the number is that channel's too, and the requests
    answered when the sentence goes on “已受理回复”."""
    channel = f.concept.split("channel.")[1]
    found = [_same_number(sentence, f, "channel." + channel, f"{channel}申请")]
    simple = sentence.simple
    after = _clause_after(simple, f.end + len(f.unit))
    nxt = simple[f.end + len(f.unit) :].lstrip("，, ")
    clause = _clause_after(nxt, 0) if nxt else after
    if re.fullmatch(_ANSWERED_ALREADY, clause.strip()):
        found.append(_same_number(sentence, f, "requests.answered", _LABELS["requests.answered"]))
    return found


def _zeros_in_words(sentence: Sentence) -> list[Figure]:
    """A 0 said in words (暂不收费, 未收到…申请): one per concept."""
    zeros: list[Figure] = []
    taken: set[str] = set()
    for pattern, concept, label in _ZERO_PATTERNS:
        for match in pattern.finditer(sentence.simple):
            if concept in taken:
                continue
            if concept == "requests.received" and re.search(r"复议|诉讼", match.group(0)):
                continue
            taken.add(concept)
            zeros.append(
                Figure(sentence, -1, -1, 0, "", concept, f"{label}（{match.group(0)}：0）", implicit=True)
            )
    return zeros
