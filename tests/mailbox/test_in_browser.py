"""The mailbox's public pages on a 360 px wide phone (issue 12's layout rules): 王芳 writes a letter (first with an
error, which stays beside its field), reads her receipt, tracks the answered letter and rates it; the published
letter is listed. No page scrolls sideways and axe-core finds no WCAG A/AA violation."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.mailbox import actions
from gongkai.mailbox.models import Letter
from tests.browser.conftest import browser  # noqa: F401 - the browser tests' fixture
from tests.browser.support import NARROW, page_problems
from tests.conftest import Tree

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mailbox_fits_a_narrow_phone_and_passes_axe(
    live_server: Any,
    browser: Any,  # noqa: F811 - the fixture imported above
    tree: Tree,
    settings: Any,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page = browser.new_context(locale="zh-CN", viewport=NARROW).new_page()
    base = live_server.url
    problems: list[str] = []

    def check(name: str) -> None:
        problems.extend(page_problems(page, f"mailbox {name}"))

    page.goto(f"{base}/mailbox/write/")
    check("write")
    page.fill("#id_body_q", "教育")  # the body is found by search over the tree, as on the application form
    page.check(f"#id_body_{tree.education.pk}")
    page.check("input[name=kind][value=consult]")
    page.fill("#id_subject", "课后服务收费标准")
    page.fill("#id_phone", "13812345678")
    page.click("#letter-form button:has-text('提交来信')")
    assert page.is_visible("#id_text_error")  # the missing text, beside its field
    assert page.input_value("#id_subject") == "课后服务收费标准"  # everything typed kept
    check("write with an error")
    page.fill("#id_text", "请问本市中小学课后服务的收费标准是什么？")
    page.check("#id_consent_to_publish")
    page.click("#letter-form button:has-text('提交来信')")
    page.wait_for_selector("text=来信已提交")
    check("receipt")
    code, secret = (s.strip() for s in page.locator("main strong").all_inner_texts()[:2])

    letter = Letter.objects.get()
    actions.accept("test", letter)
    actions.reply("test", letter, text="按每生每学期不超过规定标准收取。")
    actions.publish("test", letter)

    page.goto(f"{base}/mailbox/track/")
    check("track form")
    page.fill("input[name=code]", code)
    page.fill("input[name=secret]", secret)
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.timeline")
    check("track result")
    page.check("input[name=satisfaction][value=satisfied]")
    page.click("main form.apply button[type=submit]")
    page.wait_for_selector("text=您的评价")
    page.goto(f"{base}/mailbox/")
    check("list")
    page.goto(f"{base}/mailbox/{letter.pk}/")
    check("detail")
    assert not problems, "\n".join(problems)
