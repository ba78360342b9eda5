"""A standalone HTML page of a frozen report (lang="zh-Hans", inline CSS, bordered tables, charts as inline
SVG each with its numbers as a table — WCAG 1.1.1), and the PDF made from it with WeasyPrint: A4, page
numbers in the footer, text in Noto Serif CJK SC / tables in Noto Sans CJK SC (Debian fonts-noto-cjk; the
fonts are embedded as subsets)."""

from __future__ import annotations

import base64
from typing import Any

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongkai.reports.exports.common import Block, Table, charts, layout, notices
from gongkai.reports.exports.draw import chart_svg

SERIF = '"仿宋_GB2312", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC", serif'
TITLE = '"方正小标宋简体", "Noto Serif CJK SC", "Source Han Serif SC", serif'
SANS = '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'

CSS = f"""
@page {{ size: A4; margin: 25mm 20mm 25mm 20mm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {SANS}; font-size: 10pt; }} }}
body {{ font-family: {SERIF}; font-size: 14pt; line-height: 1.6; max-width: 60em; margin: 1em auto;
  padding: 0 1em; color: #111; }}
h1 {{ font-family: {TITLE}; font-size: 22pt; text-align: center; margin: 0 0 1em; }}
h2 {{ font-family: {SANS}; font-size: 15pt; margin: 1.2em 0 0.5em; }}
p.text {{ text-indent: 2em; margin: 0 0 0.4em; }}
p.notice {{ text-align: center; color: #7a1010; }}
table {{ border-collapse: collapse; margin: 0.6em 0 1em; font-family: {SANS}; font-size: 9pt; width: 100%;
  line-height: 1.35; page-break-inside: auto; }}
th, td {{ border: 1px solid #333; padding: 2px 4px; vertical-align: middle; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
th {{ background: #eee; font-weight: bold; text-align: center; }}
td.value {{ text-align: right; white-space: nowrap; }}
tr.heading td {{ font-weight: bold; background: #f7f7f7; }}
figure {{ margin: 1em 0; page-break-inside: avoid; }}
figure svg {{ width: 100%; height: auto; }}
figcaption {{ font-family: {SANS}; font-size: 10pt; text-align: center; }}
table.chart-data {{ font-size: 8pt; }}
"""


# In the PDF the installed Noto CJK faces come first, so the embedded fonts do not depend on a 仿宋 being
# installed on the server (a reader's browser uses its 仿宋 from the list above).
PDF_CSS = """
body { font-family: "Noto Serif CJK SC", serif; max-width: none; margin: 0; padding: 0; }
h1 { font-family: "Noto Serif CJK SC", serif; }
"""


def render_html(frozen: dict[str, Any], *, for_pdf: bool = False) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        f"<title>{escape(frozen['title'])}</title>",
        f"<style>{CSS}{PDF_CSS if for_pdf else ''}</style></head><body>",
        f"<h1>{escape(frozen['title'])}</h1>",
    ]
    out += [f'<p class="notice">{escape(n)}</p>' for n in notices(frozen)]
    figures = [_figure(chart, f"chart{i}", for_pdf) for i, chart in enumerate(charts(frozen), start=1)]
    for number, (heading, paragraphs, tables) in enumerate(layout(frozen)):
        out.append(f"<section><h2>{escape(heading)}</h2>")
        out += [f'<p class="text">{escape(p)}</p>' for p in paragraphs]
        for table in tables:
            out.append(_table(table))
        if number == 0 and figures:  # the charts illustrate the overview (section 一)
            out += figures
        out.append("</section>")
    if not frozen.get("sections") and figures:
        out += figures
    out.append("</body></html>")
    return "\n".join(out)


def _table(table: Table) -> str:
    return "\n".join(_block(table.title, block, i == 0) for i, block in enumerate(table.blocks))


def _block(title: str, block: Block, first: bool) -> str:
    rows = ["<table>"]
    if first:
        rows.append(f"<caption>{escape(title)}</caption>")
    rows.append("<thead>")
    for i, header in enumerate(block.header):
        cells = []
        if i == 0:
            span = f' rowspan="{len(block.header)}"' if len(block.header) > 1 else ""
            cells.append(f'<th scope="col"{span}>{escape(_("指标"))}</th>')
        for h in header:
            attrs = (f' colspan="{h.colspan}"' if h.colspan > 1 else "") + (
                f' rowspan="{h.rowspan}"' if h.rowspan > 1 else ""
            )
            cells.append(f'<th scope="col"{attrs}>{escape(h.label)}</th>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</thead><tbody>")
    for line in block.lines:
        pad = f' style="padding-left: {line.depth * 1.2 + 0.3:.1f}em"'
        if line.displays:
            values = "".join(f'<td class="value">{escape(d)}</td>' for d in line.displays)
            rows.append(f"<tr><td{pad}>{escape(line.label)}</td>{values}</tr>")
        else:
            width = len(block.columns) + 1
            rows.append(f'<tr class="heading"><td colspan="{width}"{pad}>{escape(line.label)}</td></tr>')
    rows.append("</tbody></table>")
    return "\n".join(rows)


def chart_table(chart: dict[str, Any]) -> str:
    """The chart's numbers as a table (the text alternative of the drawing)."""
    head = "".join(f'<th scope="col">{escape(x)}</th>' for x in chart.get("labels", []))
    body = "".join(
        f'<tr><th scope="row">{escape(s["name"])}</th>'
        + "".join(f'<td class="value">{escape(str(v))}</td>' for v in s["values"])
        + "</tr>"
        for s in chart.get("series", [])
    )
    return (
        f'<table class="chart-data"><thead><tr><th scope="col">{escape(_("项目"))}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _figure(chart: dict[str, Any], prefix: str, as_image: bool = False) -> str:
    """A chart with its caption and numbers; inline SVG on the page, an SVG image in the PDF (WeasyPrint
    draws an ``<img>`` SVG with its own renderer)."""
    title = escape(chart.get("title", ""))
    svg = chart_svg(chart, prefix)
    if as_image:
        data = base64.b64encode(svg.encode()).decode()
        svg = f'<img src="data:image/svg+xml;base64,{data}" alt="{title}" style="width: 100%">'
    else:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)
    return f"<figure>{svg}<figcaption>{title}</figcaption>{chart_table(chart)}</figure>"


def chart_figures(frozen_charts: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The charts for the web page (``reports/_report.html`` shows them when a view passes
    ``chart_figures``): each chart's data plus its inline SVG (ids prefixed per chart), as safe markup."""
    out = []
    for i, chart in enumerate(frozen_charts or [], start=1):
        title = escape(chart.get("title", ""))
        svg = chart_svg(chart, f"webchart{i}").replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)
        values = [s["values"] for s in chart.get("series", [])]
        rows = [(label, [v[i] for v in values]) for i, label in enumerate(chart.get("labels", []))]
        out.append({**chart, "svg": mark_safe(svg), "rows": rows})  # noqa: S308 — matplotlib output, labels escaped by it
    return out


def render_pdf(frozen: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_html(frozen, for_pdf=True)).write_pdf())
