"""Chart data of an annual report (issue 5, deliverable 4): the year's key figures and the five-year trend of a
few headline figures, as plain data stored in the frozen report under ``"charts"`` (so a published snapshot
redraws the same charts). Drawing is done by the exporters (``gongkai.reports.exports.draw``).

Each chart is ``{"title", "kind": "bar"|"line", "labels": [...], "series": [{"name", "values": [...]}]}``.

- 2014 table (国办发〔2014〕32号, statutory-reference §3.1): items published by channel (一（二）1–5) and
  answers by type (三（三）1–8).
- 2019 trial / 2021 formats (statutory-reference §3.2–3.3): Table 3 总计 column — 本年新收, 上年结转, each outcome
  group （一）–（六） (sum of its rows), （七）总计 and 结转下年; Table 4 reviews and lawsuits by result.
- Trend: 收到申请数 (2014 三（一） / Table 3 本年新收·总计), 行政复议 and 行政诉讼 totals for the five years up to
  the report's year, each year counted with the statistic of that year's format (2014–2018 → 2014,
  2019–2020 → 2019, 2021 on → 2021), same body and scope.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongkai.reports.build import Report
from gongkai.reports.formats import default_format_for_year
from gongkai.reports.registry import REGISTRY, Context, Number, json_value

FIRST_YEAR = 2008  # the 2008 Regulations: no annual report before
TREND_YEARS = 5

T3 = "三、收到和处理政府信息公开申请情况"
T4 = "四、政府信息公开行政复议、行政诉讼情况"
T14 = "政府信息公开情况统计表"
T14_CHANNELS = "一、主动公开情况/（二）通过不同渠道和方式公开政府信息的情况/"
T14_ANSWERS = "三、依申请公开情况/（三）申请答复数/"
T4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结")

# headline → statistic keys summed, per format (statistic keys differ between the 2014 and later formats)
HEADLINE_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "requests": {
        "2014": ("a14.received",),
        "2019": ("t3.new.6",),
        "2021": ("t3.new.6",),
    },
    "reviews": {
        "2014": ("rv14.total",),
        "2019": ("t4.review.total",),
        "2021": ("t4.review.total",),
    },
    "lawsuits": {
        "2014": ("ls14.total",),
        "2019": ("t4.suit_direct.total", "t4.suit_after_review.total"),
        "2021": ("t4.suit_direct.total", "t4.suit_after_review.total"),
    },
}


def headline_names() -> dict[str, str]:
    return {"requests": _("收到政府信息公开申请数"), "reviews": _("行政复议数"), "lawsuits": _("行政诉讼数")}


def chart_data(report: Report) -> list[dict[str, Any]]:
    """The charts of ``report`` as plain data (JSON-serialisable: ints and floats)."""
    values = {
        (c.cell.table, c.cell.row, c.cell.column): json_value(c.statistic, c.value) for c in report.cells
    }
    charts = _charts_2014(values) if report.format == "2014" else _charts_requests(values)
    charts.append(trend(report))
    return charts


def drawn_charts(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The charts as the web page shows them (as ``exports.html.chart_figures``: data, inline SVG with ids
    prefixed per chart, a table of the numbers), each kept in the shared cache by its content, place and
    language: a change redraws only the charts whose figures it moved."""
    return [_drawn(chart, number) for number, chart in enumerate(charts, start=1)]


def _drawn(chart: dict[str, Any], number: int) -> dict[str, Any]:
    from django.conf import settings
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from gongkai import pagecache
    from gongkai.reports.exports import draw

    content = json.dumps([get_language(), number, chart], sort_keys=True, ensure_ascii=False)
    key = "report-chart:" + hashlib.sha256(content.encode()).hexdigest()
    found = pagecache.cache().get(key) if settings.GONGKAI_REPORT_CACHE else None
    if found is None:
        title = escape(chart.get("title", ""))
        svg = draw.chart_svg(chart, f"webchart{number}")
        found = svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)
        if settings.GONGKAI_REPORT_CACHE:
            pagecache.cache().set(key, found, settings.GONGKAI_PAGE_CACHE_TIMEOUT)
    values = [s["values"] for s in chart.get("series", [])]
    rows = [(label, [v[i] for v in values]) for i, label in enumerate(chart.get("labels", []))]
    return {**chart, "svg": mark_safe(found), "rows": rows}  # noqa: S308 — matplotlib output, labels escaped by it


def short_label(segment: str) -> str:
    """A row label short enough for an axis: '（二）部分公开（区分处理的…）' → '（二）部分公开'; '1.政府公报公开
    政府信息数' stays whole."""
    match = re.match(r"^(（[一二三四五六七八九十]+）[^（]*)", segment)
    return match.group(1) if match else segment


def _bar(title: str, labels: list[str], series: list[tuple[str, list[int | float]]]) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "bar",
        "labels": labels,
        "series": [{"name": name, "values": vals} for name, vals in series],
    }


def _children(values: dict[tuple[str, str, str], int | float], table: str, prefix: str) -> list[str]:
    """The rows directly below ``prefix`` in ``table``, in document order."""
    seen: list[str] = []
    for t, row, _col in values:
        if t == table and row.startswith(prefix) and "/" not in row[len(prefix) :] and row not in seen:
            seen.append(row)
    return seen


def _charts_2014(values: dict[tuple[str, str, str], int | float]) -> list[dict[str, Any]]:
    charts = []
    for title, prefix in (
        (_("主动公开政府信息数（按渠道）"), T14_CHANNELS),
        (_("申请答复数（按类型）"), T14_ANSWERS),
    ):
        rows = _children(values, T14, prefix)
        labels = [re.sub(r"^\d+\.", "", r[len(prefix) :]) for r in rows]
        charts.append(_bar(title, labels, [(_("统计数"), [values[(T14, r, "统计数")] for r in rows])]))
    return charts


def _charts_requests(values: dict[tuple[str, str, str], int | float]) -> list[dict[str, Any]]:
    total = "总计"
    rows = list(dict.fromkeys(row for t, row, _col in values if t == T3))
    groups: dict[str, int | float] = {}
    for row in rows:
        # an outcome group of 三、本年度办理结果 sums its rows; the other rows stand alone
        parts = row.split("/")
        label = short_label(parts[1]) if len(parts) > 1 else re.sub(r"政府信息公开申请数量$", "", parts[0])
        groups[label] = groups.get(label, 0) + values[(T3, row, total)]
    charts = [_bar(_("申请办理情况（总计）"), list(groups), [(_("件数"), list(groups.values()))])]
    t4_rows = list(dict.fromkeys(row for t, row, _col in values if t == T4))
    series: list[tuple[str, list[int | float]]] = []
    for name, prefix in ((_("行政复议"), "行政复议"), (_("行政诉讼"), "行政诉讼")):
        matching = [r for r in t4_rows if r == prefix or r.startswith(prefix + "/")]
        series.append((name, [sum(values[(T4, r, col)] for r in matching) for col in T4_RESULTS]))
    charts.append(_bar(_("行政复议和行政诉讼（按结果）"), list(T4_RESULTS), series))
    return charts


def trend_years(year: int) -> list[int]:
    return list(range(max(FIRST_YEAR, year - TREND_YEARS + 1), year + 1))


def _headline(keys: Iterable[str], value: Any) -> int | float:
    total: Number = sum((value(k) for k in keys), start=0)
    return json_value(REGISTRY[next(iter(keys))], total)


def trend(report: Report) -> dict[str, Any]:
    """Headline figures over the five years up to the report's year; the report's own year comes from the
    report itself, earlier years from the registry (aggregate queries, one Context per year)."""
    names = headline_names()
    own = report.values()
    series: dict[str, list[int | float]] = {key: [] for key in HEADLINE_KEYS}
    years = trend_years(report.year)
    for year in years:
        if year == report.year:
            fmt, value = report.format, own.__getitem__
        else:
            fmt = default_format_for_year(year)
            value = Context(org=report.org, year=year, scope=report.scope).value
        for key, by_format in HEADLINE_KEYS.items():
            series[key].append(_headline(by_format[fmt], value))
    return {
        "title": _("近%(n)d年主要指标") % {"n": len(years)},
        "kind": "line",
        "labels": [str(y) for y in years],
        "series": [{"name": names[key], "values": vals} for key, vals in series.items()],
    }
