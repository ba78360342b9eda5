"""The page chrome of a rendered page: the text of the header, navigation, footer, headings, form labels,
buttons and table headers, and the labels in attributes (placeholder, aria-label, title, alt) — without what is
marked as data or as another language: an element with ``translate="no"``, or a ``lang`` other than the page's
(the language switcher's own names, a body's Chinese name)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

CHROME_TAGS = {
    "header",
    "nav",
    "footer",
    "label",
    "legend",
    "button",
    "h1",
    "h2",
    "h3",
    "th",
    "title",
    "caption",
}
LABEL_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


class _Chrome(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool, bool]] = []  # tag, in chrome, excluded
        self.parts: list[str] = []

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.page_lang = values.get("lang", "").lower()
        chrome, excluded = self._state()
        lang = values.get("lang", "").lower()
        excluded = excluded or values.get("translate") == "no" or bool(lang and lang != self.page_lang)
        chrome = chrome or tag in CHROME_TAGS
        if not excluded and tag not in {"html", "option"}:
            self.parts.extend(values[a] for a in LABEL_ATTRIBUTES if values.get(a))
            if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
                self.parts.append(values["value"])
        if tag == "option":
            excluded = True  # choices are often data (bodies, years)
        if tag not in VOID:
            self.stack.append((tag, chrome, excluded))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        chrome, excluded = self._state()
        if chrome and not excluded and self.stack and self.stack[-1][0] not in {"script", "style"}:
            self.parts.append(data)


def chrome_text(page: str) -> str:
    parser = _Chrome()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def han(text: str) -> list[str]:
    return sorted(set(HAN.findall(text)))
