"""Markdown from a frozen report — the same text as ``document.to_markdown`` (a test keeps them equal)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongkai.reports.exports.common import Table, layout, notices


def render_markdown(frozen: dict[str, Any]) -> str:
    out = [f"# {frozen['title']}", ""]
    for notice in notices(frozen):
        out += [notice, ""]
    for heading, paragraphs, tables in layout(frozen):
        out += [f"## {heading}", ""]
        for paragraph in paragraphs:
            out += [paragraph, ""]
        for table in tables:
            out += _table(table)
    return "\n".join(out)


def _table(table: Table) -> list[str]:
    out: list[str] = []
    for block in table.blocks:
        out += [
            "| " + " | ".join((_("指标"), *block.columns)) + " |",
            "| --- |" + " ---: |" * len(block.columns),
        ]
        for line in block.lines:
            values = list(line.displays) or [""] * len(block.columns)
            out.append("| " + " | ".join(("　" * line.depth + line.label, *values)) + " |")
        out.append("")
    return out
