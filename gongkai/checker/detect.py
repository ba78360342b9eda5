"""Which report this is: format, body and year (docs/checker.md).

The format is told by the tables' own labels, not by the year (provincial tables of the 2008 era were used
until 2018; a 2014 report may use one): the 2021 and 2019 formats by the labels only each of them has
(本年制发件数 / 本年新制作数量 …), the 2014 national table by its rows (主动公开政府信息数, 申请办结数 …),
a 2008-era provincial table by its header (指标名称 / 计量单位 / 历年累计 …). A report with none is
"narrative-only". Body and year come from the title (the first line that names a year and a report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.checker.types import FormatCode

ONLY_2021 = (
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "逾期不补正",
    "逾期未按收费通知",
)
ONLY_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
    "其他对外管理服务事项",
)
NATIONAL_T3 = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "结转下年度继续办理",
    "本年度办理结果",
)
NATIONAL_2014 = ("主动公开政府信息数", "回应公众关注热点或重大舆情数", "申请办结数", "申请答复数", "同意部分公开答复数",
                 "维持具体行政行为数", "被依法纠错数", "举报投诉数量", "政府信息公开专项经费", "举办各类培训班数",
                 "政策解读稿件发布数", "属于已主动公开范围数", "告知作出更改补充数")  # fmt: skip
PROVINCIAL_HEADER = re.compile(r"指标名称|计量单位|历年累计|统计指标|指标项目")
_TITLE_WORDS = re.compile(r"年度?报|年报|工作报告")
_TITLE = re.compile(
    r"^(?:标题[:：]\s*)?(?P<before>.*?)(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<after>.*?)"
    r"(?:政府信息公开|政务公开|信息公开)"
)


@dataclass(frozen=True)
class Identity:
    format: FormatCode
    body: str
    year: int | None


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def detect_format(simplified: str, year: int | None) -> FormatCode:
    flat = squash(simplified)
    n2021 = sum(1 for m in ONLY_2021 if m in flat)
    n2019 = sum(1 for m in ONLY_2019 if m in flat)
    t3 = sum(1 for m in NATIONAL_T3 if m in flat)
    national = n2021 or n2019 or t3 >= 2
    if national and _has_numbers_after(flat, ONLY_2021 + ONLY_2019 + NATIONAL_T3):
        if n2021 > n2019:
            return "2021"
        if n2019 > n2021:
            return "2019"
        return "2021" if year is None or year >= 2021 else "2019"
    if sum(1 for m in NATIONAL_2014 if m in flat) >= 4 and _has_numbers_after(flat, NATIONAL_2014):
        return "2014"
    if PROVINCIAL_HEADER.search(flat) and re.search(r"统计表|情况表|指标名称", flat):
        return "2008-era"
    return "narrative-only"


def _has_numbers_after(flat: str, labels: tuple[str, ...]) -> bool:
    """A table row: some label followed (after a unit) by a number, not only a sentence that names it."""
    return any(re.search(re.escape(label) + r"[^\d。，]{0,12}\d", flat) for label in labels)


_TITLE_IN_TEXT = re.compile(
    r"[^\s，。；：:、|“”\"]{0,30}?(?:19|20)\d{2}\s*年\s*度?[^\s，。；：:|]{0,30}?(?:政府信息公开|政务公开|信息公开)"
    r"[^\s，。；]{0,12}?(?:年度报告|年报|工作报告)"
)


def title_line(text: str) -> tuple[int, str]:
    """(offset, text) of the report's title: a 标题 line, else the first short line naming a year and a report,
    else the first such phrase anywhere near the top (a page flattened to one line)."""
    offset = 0
    found: tuple[int, str] | None = None
    for printed in text.split("\n"):
        line = printed.lstrip()  # an indented line (spaces, U+3000) starts at its first character
        start = offset + len(printed) - len(line)
        if line.startswith(("标题:", "标题：")) and _TITLE.search(line):
            return start, line
        if (
            found is None
            and len(line.strip()) <= 100
            and _TITLE.search(line)
            and _TITLE_WORDS.search(line)
            and not re.match(r"https?://", line)
        ):
            found = (start, line)
        offset += len(printed) + 1
    if found is not None:
        return found
    m = _TITLE_IN_TEXT.search(text[:20000])
    return (m.start(), m.group(0)) if m else (0, "")


def identify(text: str, simplified: str) -> Identity:
    """Format, body (as printed) and year of a report (``text`` as printed, ``simplified`` at the same offsets)."""
    offset, line = title_line(simplified)
    body, year = "", None
    m = _TITLE.search(line)
    if m is not None:
        year = int(m.group("year"))
        start, end = m.span("before") if m.group("before").strip() else m.span("after")
        printed = text[offset + start : offset + end]
        body = squash(printed).strip("：:，,。 -—_·#*>《》")
        if body.startswith("关于") or len(body) > 40:
            body = ""
    if year is None:
        years = re.findall(r"((?:19|20)\d{2})\s*年", simplified[:3000])
        year = int(years[0]) if years else None
    return Identity(detect_format(simplified, year), body, year)
