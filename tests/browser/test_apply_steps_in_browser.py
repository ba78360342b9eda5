"""The application form's steps in a real browser (Debian's chromium via Playwright) on a phone-sized screen:
a company applies step by step (only its own fields shown), finds the body by typing, sees its counter and the
review, submits, and gets a receipt with a print button; nothing overflows the screen sideways."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gongkai.cases.models import Applicant, InformationRequest
from tests.conftest import Tree

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_company_applies_step_by_step_on_a_phone(
    live_server: Any, browser: Any, tree: Tree, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("GONGKAI_SCREENSHOTS", tmp_path))
    page = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/apply/")
    assert page.is_visible("#step-kind") and not page.is_visible("#step-applicant")
    page.click("[data-step-next]")
    assert "请选择" in page.inner_text("#step-kind")  # nothing chosen: the step says so and stays
    page.check("input[name=kind][value=business]")
    page.click("[data-step-next]")
    assert page.is_visible("#fields-organisation") and not page.is_visible("#fields-person")
    assert page.inner_text("label[for=id_name]").startswith("名称")
    page.click("[data-step-next]")
    assert page.locator("#step-applicant .js-error").count() >= 3  # name, credit code, contact, phone
    page.fill("#id_name", "某某科技有限公司")
    page.fill("#id_credit_code", "91350100M000100Y43")
    page.fill("#id_contact_name", "王五")
    page.fill("#id_phone", "13812345678")
    page.fill("#id_email", "wang@example.invalid")
    page.click("[data-step-next]")
    assert page.is_visible("#step-body")
    page.fill("#id_body_q", "教育局")
    page.wait_for_selector(f"#id_body_{tree.school_office.pk}")
    assert "测试市 › 市教育局 › 测试市教育局招生办公室" in page.inner_text("#body-results")
    page.check(f"#id_body_{tree.education.pk}")
    page.screenshot(path=str(shots / "apply-body-step.png"), full_page=True)
    page.click("[data-step-next]")
    page.fill("#id_subject", "2025年义务教育招生划片方案")
    assert "已输入15个字" in page.inner_text("#id_subject_counter")
    page.check("input[name=provision_form][value=electronic]")
    page.check("input[name=delivery_method][value=email]")
    page.click("[data-step-next]")
    review = page.inner_text("[data-review-list]")
    page.screenshot(path=str(shots / "apply-review-step.png"), full_page=True)
    assert "某某科技有限公司" in review and "测试市教育局" in review and "商业企业" in review
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("#step-review button[type=submit]")
    page.wait_for_selector(".receipt")
    page.screenshot(path=str(shots / "apply-receipt.png"), full_page=True)
    assert page.is_visible("[data-print]") and "2025年义务教育招生划片方案" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    applicant = Applicant.objects.get()
    assert (applicant.kind, applicant.id_document, applicant.contact_name) == ("business", "", "王五")
    assert InformationRequest.objects.get().body == tree.education
