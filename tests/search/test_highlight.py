"""Highlighted titles and snippets: escaped HTML with every match in <mark>, a window of the text around the
first match, Traditional text highlighted for a Simplified query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.catalog.models import Publication
from gongkai.search import Filters, reindex, search
from tests.conftest import Tree
from tests.search.conftest import make_publication

pytestmark = pytest.mark.django_db


def _pub(tree: Tree, serial: int, title: str, text: str = "", **extra: Any) -> Publication:
    pub = make_publication(tree.education, serial, title, text, day=dt.date(2025, 3, 2), **extra)
    reindex([pub.pk])
    return pub


def test_a_script_tag_in_a_title_comes_back_escaped(tree: Tree) -> None:
    _pub(tree, 1, '<script>alert("招生")</script>通知', text="<img src=x onerror=1>招生")
    hit = search("招生").hits[0]
    assert hit.title_html == "&lt;script&gt;alert(&quot;<mark>招生</mark>&quot;)&lt;/script&gt;通知"
    assert "<script" not in hit.snippet_html and "<img" not in hit.snippet_html
    assert hit.snippet_html == "&lt;img src=x onerror=1&gt;<mark>招生</mark>"
    assert search("script").hits[0].title_html.startswith("&lt;<mark>script</mark>&gt;")


def test_traditional_text_is_highlighted_for_a_simplified_query(tree: Tree) -> None:
    _pub(tree, 1, "關於做好義務教育招生工作的通知", text="各縣區教育局：義務教育招生……")
    hit = search("义务教育").hits[0]
    assert hit.title_html == "關於做好<mark>義務教育</mark>招生工作的通知"
    assert hit.snippet_html == "各縣區教育局：<mark>義務教育</mark>招生……"


def test_the_snippet_is_a_window_around_the_first_match(tree: Tree) -> None:
    text = "甲" * 300 + "保障性住房" + "乙" * 300 + "保障性住房"
    _pub(tree, 1, "通知", text=text)
    snippet = search("保障性住房").hits[0].snippet_html
    plain = snippet.replace("<mark>", "").replace("</mark>", "")
    assert plain.startswith("…") and plain.endswith("…")
    assert 110 <= len(plain) <= 125
    assert snippet.count("<mark>保障性住房</mark>") == 1
    assert plain.index("保障性住房") > 20  # context before the match


def test_all_terms_are_marked_and_overlaps_merge(tree: Tree) -> None:
    _pub(tree, 1, "行政审批制度改革", text="审批制度和行政审批")
    hit = search("行政审批 审批制度").hits[0]
    assert hit.title_html == "<mark>行政审批制度</mark>改革"
    assert hit.snippet_html == "<mark>审批制度</mark>和<mark>行政审批</mark>"


def test_no_snippet_when_only_the_title_matches(tree: Tree) -> None:
    _pub(tree, 1, "人事任免", text="某某同志任职")
    hit = search("任免").hits[0]
    assert hit.snippet_html == ""
    assert hit.title_html == "人事<mark>任免</mark>"


def test_the_description_serves_when_the_text_has_no_match(tree: Tree) -> None:
    _pub(tree, 1, "通知", text="正文", description="关于食品药品安全的概述")
    assert search("药品", Filters()).hits[0].snippet_html == "关于食品<mark>药品</mark>安全的概述"
