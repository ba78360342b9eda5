"""Charts for the public pages (matplotlib, SVG, CJK labels). Glyphs are embedded as paths, so the SVG looks
the same without the font on the reader's device; every chart also comes with its numbers as a table on the
page (WCAG 1.1.1: a text alternative)."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure  # a Figure without pyplot needs no GUI backend

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei")
ACCENT = "#a8151b"


@functools.cache
def cjk_family() -> list[str]:
    """The installed CJK families we know, best first (Debian: fonts-noto-cjk), then a Latin fallback."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in CJK_FAMILIES if name in installed] + ["DejaVu Sans"]


def bar_chart_svg(title: str, labels: Sequence[str], values: Sequence[int], *, unit: str = "") -> str:
    """A bar chart as an SVG document (text as paths); labels and values are the same length."""
    return _render(title, tuple(labels), tuple(values), unit)


@functools.lru_cache(maxsize=256)
def _render(title: str, labels: tuple[str, ...], values: tuple[int, ...], unit: str) -> str:
    fig = Figure(figsize=(7.2, 3.2), dpi=100)
    ax = fig.subplots()
    family = cjk_family()
    bars = ax.bar(range(len(values)), values, color=ACCENT)
    ax.set_xticks(range(len(labels)), [x.replace("$", r"\$") for x in labels], fontfamily=family, fontsize=9)
    ax.set_title(title.replace("$", r"\$"), fontfamily=family, fontsize=11)  # "$" would start mathtext
    if unit:
        ax.set_ylabel(unit, fontfamily=family, fontsize=9)
    ax.bar_label(bars, labels=[str(v) for v in values], fontsize=8, fontfamily=family, padding=2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15)
    fig.tight_layout()
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "gongkai"}):
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
