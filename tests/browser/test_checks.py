"""The browser checks themselves can fail: axe-core (bundled, no download) reports a WCAG A/AA violation with its
rule and element, and the overflow check names what sticks out of a 360 px screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.support import NARROW, assert_accessible, axe_violations, describe_violations, overflow

pytestmark = [pytest.mark.browser]

BAD = """<!DOCTYPE html><html lang="zh-hans"><head><title>坏页面</title></head><body><main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="emblem">
<label>姓名</label><input type="text" id="name">
<table style="width:720px"><tr><td>很宽的表格</td></tr></table></main></body></html>"""
# Text that does not wrap runs out of its box without widening any element's box.
LONG_WORD = """<!DOCTYPE html><html lang="en"><head><title>Long</title></head><body><main>
<p class="lead">Freedomofinformationapplicationsarereceivedonlineandbypost</p></main></body></html>"""
GOOD = """<!DOCTYPE html><html lang="zh-hans"><head><title>好页面</title></head><body><main><h1>标题</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="测试市人民政府徽标">
<label for="name">姓名</label><input type="text" id="name"></main></body></html>"""


def test_axe_and_overflow_report_what_is_wrong(browser: Any) -> None:
    page = browser.new_page(viewport=NARROW)
    page.set_content(BAD)
    found = describe_violations(axe_violations(page))
    assert any(line.startswith("image-alt (critical) at img") and "emblem" in line for line in found), found
    assert any(line.startswith("label ") and "#name" in line for line in found), found
    assert "scrollWidth" in overflow(page) and "table" in overflow(page)
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "the bad page")
    page.set_content(LONG_WORD)
    assert "p.lead text=Freedomofinformation" in overflow(page)
    page.set_content(GOOD)
    assert_accessible(page, "the good page")
    assert overflow(page) == ""
