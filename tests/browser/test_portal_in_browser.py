"""The public portal in a real browser (Debian's chromium via Playwright): a citizen on a phone-sized screen
searches from the home page with the keyboard only, opens a document, follows the link to its interpretation;
nothing overflows the screen sideways, and the text colours meet WCAG 2.1 AA contrast (4.5:1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.catalog import transitions as p
from gongkai.catalog.models import Channel, ChannelKind, Genre
from gongkai.search import rebuild
from tests.conftest import Personas, Tree

pytestmark = [pytest.mark.browser]

CONTRAST_JS = """
() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.offsetParent === null) continue;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(el.tagName + ' ' + el.textContent.trim().slice(0, 20) + ' ' + ratio.toFixed(2));
  }
  return bad;
}
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_citizen_searches_with_the_keyboard_on_a_phone(
    live_server: Any, browser: Any, tree: Tree, personas: Personas
) -> None:
    site = Channel.objects.create(
        name="测试市门户网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )
    day = dt.date(2025, 3, 3)
    policy, _w = p.create_draft(
        personas.clerk,
        tree.education,
        title="测试市保障性住房分配管理办法",
        made_on=day,
        text="第一条 为规范分配。",
    )
    p.review(personas.reviewer, policy, on=day, conclusion="passed")
    p.publish(personas.clerk, policy, on=day, channels=[site])
    reading, _w = p.create_draft(
        personas.clerk,
        tree.education,
        title="《测试市保障性住房分配管理办法》政策解读",
        made_on=day,
        genre=Genre.objects.get(code=Genre.INTERPRETATION),
        interprets=policy,
    )
    p.review(personas.reviewer, reading, on=day, conclusion="passed")
    p.publish(personas.clerk, reading, on=day, channels=[site])
    rebuild()

    page = browser.new_page(locale="zh-CN", viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}/")
    assert page.evaluate(CONTRAST_JS) == []
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#home-q")
    page.keyboard.type("保障性住房")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits")
    assert "找到 2 条" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("ol.hits li >> nth=0 >> a")
    page.wait_for_selector("article h1")
    assert page.evaluate(CONTRAST_JS) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    link = page.locator(".link-box a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("article h1")
    assert "保障性住房" in page.inner_text("article h1")
