"""Drawing the frozen chart data (``gongkai.reports.charts``) with matplotlib (Agg, no pyplot): SVG with text
as paths for HTML/PDF, PNG for DOCX. CJK labels use the house font list (``gongkai.portal.charts``); a "$"
in a label is escaped (it would start mathtext). A chart whose values are all 0 still draws (axis 0–1) and
says so."""

from __future__ import annotations

import functools
import io
import json
import re
from typing import Any

import matplotlib
from django.utils.translation import gettext as _
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gongkai.portal.charts import ACCENT, cjk_family

PALETTE = (ACCENT, "#1f5f8b", "#d18f00", "#4b7b3a", "#6b4c9a")


def _esc(text: str) -> str:
    return str(text).replace("$", r"\$")


def _figure(chart: dict[str, Any]) -> Figure:
    family = cjk_family()
    labels = [_esc(x) for x in chart.get("labels", [])]
    series = chart.get("series", [])
    fig = Figure(figsize=(7.6, 3.6), dpi=100)
    ax = fig.subplots()
    peak = max((v for s in series for v in s.get("values", [])), default=0)
    if chart.get("kind") == "line":
        _lines(ax, series, len(labels))
    else:
        _bars(ax, series, len(labels))
    _axes(ax, chart, labels, family)
    if not peak:
        _all_zero(ax, chart, family)
    else:
        ax.margins(y=0.15)
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _lines(ax: Axes, series: list[dict[str, Any]], n_labels: int) -> None:
    """One line per series over the labels, each point annotated with its value."""
    for i, s in enumerate(series):
        ax.plot(
            range(n_labels), s["values"], marker="o", color=PALETTE[i % len(PALETTE)], label=_esc(s["name"])
        )
        for x, v in enumerate(s["values"]):
            ax.annotate(str(v), (x, v), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=7)


def _bars(ax: Axes, series: list[dict[str, Any]], n_labels: int) -> None:
    """Grouped bars, one group per label, each bar labelled with its value."""
    width = 0.8 / max(len(series), 1)
    for i, s in enumerate(series):
        xs = [x - 0.4 + width * (i + 0.5) for x in range(n_labels)]
        bars = ax.bar(xs, s["values"], width=width, color=PALETTE[i % len(PALETTE)], label=_esc(s["name"]))
        ax.bar_label(bars, labels=[str(v) for v in s["values"]], fontsize=7, padding=2)


def _axes(ax: Axes, chart: dict[str, Any], labels: list[str], family: list[str]) -> None:
    """Tick labels (slanted when a bar chart's labels are long), title, and a legend for several series."""
    rotate = chart.get("kind") != "line" and sum(len(x) for x in labels) > 40
    ax.set_xticks(
        range(len(labels)),
        labels,
        fontfamily=family,
        fontsize=7 if rotate else 8,
        rotation=30 if rotate else 0,
        ha="right" if rotate else "center",
    )
    for tick in ax.get_yticklabels():
        tick.set_fontfamily(family)
    legend = len(chart.get("series", [])) > 1
    # with a legend: the title at the left and the legend at the right, both above the plot (a fixed place:
    # matplotlib's "best" place tries every corner against every point, two fifths of a drawing's time)
    ax.set_title(
        _esc(chart.get("title", "")), fontfamily=family, fontsize=11, loc="left" if legend else "center"
    )
    if legend:
        ax.legend(
            prop={"family": family, "size": 8},
            frameon=False,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=len(chart["series"]),
            borderaxespad=0.2,
        )


def _all_zero(ax: Axes, chart: dict[str, Any], family: list[str]) -> None:
    """A chart whose values are all 0 still draws (axis 0–1) and says so."""
    ax.set_ylim(0, 1)
    ax.text(
        0.5,
        0.5,
        _esc(_("本年度各项数值均为0")) if chart.get("kind") != "line" else _esc(_("各年度数值均为0")),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontfamily=family,
        fontsize=10,
        color="#666666",
    )


def _key(chart: dict[str, Any]) -> str:
    return json.dumps(chart, ensure_ascii=False, sort_keys=True)


def chart_svg(chart: dict[str, Any], prefix: str = "chart") -> str:
    """The chart as an SVG element (no XML declaration), to be put inline in HTML; its element ids (clip paths,
    glyphs) get ``prefix`` so that several charts on one page do not share ids."""
    text = _svg(_key(chart))
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    return re.sub(
        r'(\bid="|#)([^"\s)]+)',
        lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids else m.group(2)),
        text,
    )


@functools.lru_cache(maxsize=64)
def _svg(key: str) -> str:
    """Drawn once per chart data (a publication renders HTML and PDF of the same charts)."""
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "gongkai"}):
        _figure(json.loads(key)).savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    return text[text.index("<svg") :]


def chart_png(chart: dict[str, Any]) -> bytes:
    return _png(_key(chart))


@functools.lru_cache(maxsize=64)
def _png(key: str, dpi: int = 150) -> bytes:
    out = io.BytesIO()
    _figure(json.loads(key)).savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()
