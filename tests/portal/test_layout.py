"""The site's layout (issue 12 §1): the 适老化 mode chosen by a plain link and remembered in a cookie, without
leaking between visitors through the shared page cache; the columns on every page; form text and touch targets
in the stylesheet; and (browser) no horizontal scroll at 360 px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gongkai.portal import care
from tests.conftest import Tree

SITE_CSS = Path(__file__).resolve().parents[2] / "gongkai" / "static" / "gongkai" / "site.css"


@pytest.mark.django_db
def test_care_mode_is_a_link_remembered_in_a_cookie() -> None:
    grandma = Client()
    page = grandma.get("/catalog/?q=%E4%BD%8F%E6%88%BF").content.decode()
    link = re.search(r'class="care-link care-enter" href="([^"]+)"', page)
    assert link is not None
    response = grandma.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == "/catalog/?q=%E4%BD%8F%E6%88%BF"
    assert response.cookies[care.COOKIE].value == "1"
    sheet = grandma.get("/care.css")
    assert sheet["Content-Type"].startswith("text/css")
    assert "html { font-size: 125%; }" in sheet.content.decode()
    assert "private" in sheet["Cache-Control"] and "Cookie" in sheet["Vary"]
    # Back to the standard mode: the cookie goes, the sheet is empty.
    back = grandma.get("/care/?on=0&next=/reports/")
    assert back["Location"] == "/reports/" and back.cookies[care.COOKIE].value == ""
    assert "font-size" not in grandma.get("/care.css").content.decode()


@pytest.mark.django_db
def test_care_link_never_sends_a_visitor_off_site() -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = Client().get("/care/", {"on": "1", "next": target})
        assert response["Location"] == "/", target


@pytest.mark.django_db
def test_care_mode_does_not_leak_through_the_page_cache(tree: Tree, settings: Any) -> None:
    """Grandma (care mode) and a student (standard) read the same cached page; each gets their own mode sheet."""
    settings.GONGKAI_PAGE_CACHE = True
    grandma, student = Client(), Client()
    grandma.get("/care/?on=1&next=/")
    first = grandma.get("/catalog/")
    second = student.get("/catalog/")
    assert first.content == second.content  # one shared page, nothing of either visitor in it
    assert second["ETag"] == first["ETag"]
    assert "font-size: 125%" in grandma.get("/care.css").content.decode()
    assert "font-size" not in student.get("/care.css").content.decode()
    # The other way round: the student's page is cached first, grandma still gets the care sheet.
    student.get("/reports/")
    grandma.get("/reports/")
    assert "font-size: 125%" in grandma.get("/care.css").content.decode()


@pytest.mark.django_db
def test_every_page_has_the_columns_and_the_footer(tree: Tree) -> None:
    for url in ("/", "/catalog/", "/reports/", "/bodies/", "/search/", "/apply/", "/track/", "/no-such/"):
        page = Client().get(url).content.decode()
        nav = re.search(r'<nav class="columns-main".*?</nav>', page, flags=re.S)
        assert nav is not None, url
        for column in ("指南", "制度", "法定主动公开内容", "年报", "依申请公开", "检索"):
            assert f">{column}</a>" in nav.group(0), (url, column)
        assert '<footer class="site">' in page, url
        assert "gongkai/site.css" in page and "/care.css" in page, url


def test_stylesheet_rules_for_phones() -> None:
    css = SITE_CSS.read_text()
    assert "font-size: max(1rem, 16px)" in css  # form text never under 16 px (iOS zooms below)
    assert re.search(r"input:not.*?min-height: 44px", css, flags=re.S)
    assert "nav.columns-main a" in css and "white-space: nowrap" in css  # "法定主动公开内容" never broken
    assert "img, svg, video, canvas" in css and "max-width: 100%" in css
    assert ":focus-visible" in css


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_horizontal_scroll_at_360px(live_server: Any, tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian chromium not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        for care_on in (False, True):
            page = browser.new_page(viewport={"width": 360, "height": 780})
            if care_on:
                page.goto(f"{live_server.url}/care/?on=1&next=/")
            for url in (
                "/",
                "/catalog/",
                "/reports/",
                "/bodies/",
                "/search/",
                "/apply/",
                "/track/",
                "/x404/",
            ):
                page.goto(live_server.url + url)
                # The header offers the other mode only; the care mode's body text is at least 20 px.
                assert page.is_visible("a.care-leave") is care_on, url
                assert page.is_visible("a.care-enter") is not care_on, url
                body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
                assert body_px >= (20 if care_on else 16), (url, body_px)
                width = page.evaluate("document.documentElement.scrollWidth")
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > 361)
                        .map(e => e.outerHTML.slice(0, 100))"""
                )
                assert width <= 360, (url, care_on, width, wide[-3:])
                # Controls at least 44 px tall; a checkbox or radio button counts by its label (the target).
                small = page.evaluate(
                    """() => [...document.querySelectorAll(
                            'nav.columns-main a, button, input:not([type=hidden]), select, textarea')]
                        .map(e => ['checkbox', 'radio'].includes(e.type)
                            ? (e.closest('label') || document.querySelector(`label[for="${e.id}"]`) || e) : e)
                        .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
                        .map(e => e.outerHTML.slice(0, 80))"""
                )
                assert small == [], (url, small)
                # No column label broken over two lines.
                broken = page.evaluate(
                    """() => [...document.querySelectorAll('nav.columns-main a')]
                        .filter(a => a.getClientRects().length > 1 || a.scrollWidth > a.clientWidth + 1)
                        .map(a => a.textContent)"""
                )
                assert broken == [], (url, broken)
            page.close()
        browser.close()
