"""Exports of an annual report (issue 5, deliverable 4): one entry point, ``render_frozen(frozen, suffix)``,
rendering the frozen plain-data form of a report (``gongkai.reports.document.freeze``) — never the live
records — so a published snapshot re-exports the same content (the published files themselves are stored
with the version; XLSX, DOCX and PDF carry creation times, so a re-export is equal in content, not in bytes).

Suffixes: .json (``report_json``: the cells as in the foundation), .md (``document.to_markdown``), .html
(standalone page, inline CSS and SVG charts), .docx (government document style), .pdf (WeasyPrint, Noto CJK
fonts embedded, A4, page numbers), .xlsx (one sheet per table plus a cover sheet). See docs/report-exports.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from gongkai.exportsafe import xml_text

SUFFIXES: tuple[str, ...] = (".json", ".md", ".html", ".docx", ".pdf", ".xlsx")


class UnsupportedSuffix(ValueError):
    def __init__(self, suffix: str) -> None:
        super().__init__(
            _("不支持的导出文件类型“%(suffix)s”，可用：%(allowed)s")
            % {"suffix": suffix, "allowed": "、".join(SUFFIXES)}
        )
        self.suffix = suffix


def _json(frozen: dict[str, Any]) -> bytes:
    return (json.dumps(frozen["json"], ensure_ascii=False, indent=1) + "\n").encode()


def _md(frozen: dict[str, Any]) -> bytes:
    from gongkai.reports.exports.markdown import render_markdown

    return (render_markdown(frozen) + "\n").encode()


def _html(frozen: dict[str, Any]) -> bytes:
    from gongkai.reports.exports.html import render_html

    return render_html(frozen).encode()


def _pdf(frozen: dict[str, Any]) -> bytes:
    from gongkai.reports.exports.html import render_pdf

    return render_pdf(frozen)


def _docx(frozen: dict[str, Any]) -> bytes:
    from gongkai.reports.exports.docx import render_docx

    return render_docx(frozen)


def _xlsx(frozen: dict[str, Any]) -> bytes:
    from gongkai.reports.exports.xlsx import render_xlsx

    return render_xlsx(frozen)


RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    ".json": _json,
    ".md": _md,
    ".html": _html,
    ".docx": _docx,
    ".pdf": _pdf,
    ".xlsx": _xlsx,
}


# Files whose text must be XML-compatible (DOCX, XLSX, the HTML and the PDF made from it).
XML_SUFFIXES = frozenset({".html", ".docx", ".pdf", ".xlsx"})


def render_frozen(frozen: dict[str, Any], suffix: str) -> bytes:
    """The file of a frozen report for ``suffix`` (case-insensitive, with its dot). XML-based files get the
    frozen text without control characters (``printable``)."""
    renderer = RENDERERS.get(suffix.lower())
    if renderer is None:
        raise UnsupportedSuffix(suffix)
    return renderer(printable(frozen) if suffix.lower() in XML_SUFFIXES else frozen)


def printable(value: Any) -> Any:
    """``value`` (the frozen report: dicts, lists, strings, numbers) with every string cleaned by
    ``gongkai.exportsafe.xml_text``: a narrative or name stored with a control character still exports."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable(item) for item in value]
    if isinstance(value, tuple):
        return tuple(printable(item) for item in value)
    return value
