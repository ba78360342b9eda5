"""A case's whole life in the browser (Debian's chromium via Playwright): an online application, a supplement,
a third-party pause, an extension by the office head, a partial disclosure with its letter, and a review."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine

from gongkai.accounts.models import Role
from gongkai.cases.models import AdministrativeReview, InformationRequest, Letter
from tests.conftest import PASSWORD, Personas, Tree, make_user

pytestmark = [pytest.mark.browser]


def sign_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{base}/accounts/login/?next=/staff/cases/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/cases/.*"))
    return page


SH = dt.timezone(dt.timedelta(hours=8))


def step(page: Any, action: str, fields: dict[str, str], clock: Any = None) -> None:
    """Run one step; the clock moves to the step's date first (steps may not be dated in the future)."""
    if clock is not None and "on" in fields:
        clock.move_to(dt.datetime.combine(dt.date.fromisoformat(fields["on"]), dt.time(10), tzinfo=SH))
    page.click(f"summary:text-is('{action}')")
    form = page.locator("details[open] form")
    for name, value in fields.items():
        element = form.locator(f"[name$='-{name}']")
        if element.get_attribute("type") == "file":
            element.set_input_files(value)
        elif element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=已完成：{action}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_life_in_the_browser(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.GONGKAI_NEXT_WORKING_DAY_RECEIPT = True
    # The case's clock moves weeks ahead while the staff stay signed in (staff sessions last 12 hours).
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    head = make_user("edu-head", tree.education, Role.OFFICE_HEAD)
    del head
    base = live_server.url
    traveller = time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=SH), tick=True)
    clock = traveller.start()
    public = browser.new_page(locale="zh-CN")
    public.goto(f"{base}/apply/")
    # The form in steps (issue 12): the applicant's kind, the applicant, the body, the request, the review.
    public.check("input[name=kind][value=natural]")
    public.click("[data-step-next]")
    public.fill("input[name=name]", "孙九")
    public.select_option("select[name=id_document]", value="resident_id")
    public.fill("input[name=id_number]", "11010519491231002X")
    public.fill("input[name=phone]", "13812345678")
    public.click("[data-step-next]")
    public.check(f"#id_body_{tree.education.pk}")
    public.click("[data-step-next]")
    public.fill("textarea[name=subject]", "2025年义务教育招生划片方案及依据")
    public.check("input[name=provision_form][value=electronic]")
    public.check("input[name=delivery_method][value=online]")
    public.click("[data-step-next]")
    public.click("#step-review button[type=submit]")
    public.wait_for_selector("text=申请已提交")
    code, secret = re.findall(r"<strong>([A-Z0-9-]+)</strong>", public.content())[:2]

    req = InformationRequest.objects.get()
    received = req.receipt_date
    clerk = sign_in(browser, base, "clerk")
    clerk.goto(f"{base}/staff/cases/{req.pk}/")
    assert "110***********002X" in clerk.content() and "为什么是这个期限" in clerk.content()
    day = received + dt.timedelta(days=1)
    step(clerk, "告知补正", {"on": day.isoformat(), "note": "请说明所在学区"}, clock)
    step(clerk, "登记补正材料", {"on": (day + dt.timedelta(days=2)).isoformat()}, clock)
    step(
        clerk,
        "征求意见（暂停计时）",
        {"on": (day + dt.timedelta(days=3)).isoformat(), "party": "third_party", "name": "某学校"},
        clock,
    )
    step(
        clerk,
        "登记征求意见答复",
        {"on": (day + dt.timedelta(days=9)).isoformat(), "reply": "部分同意公开"},
        clock,
    )
    req.refresh_from_db()
    due_before_extension = req.due_date

    head_page = sign_in(browser, base, "edu-head")
    head_page.goto(f"{base}/staff/cases/{req.pk}/")
    step(
        head_page,
        "延长答复期限（本人审批）",
        {"on": (day + dt.timedelta(days=10)).isoformat(), "days": "20", "reason": "需核实多所学校的信息"},
        clock,
    )
    req.refresh_from_db()
    assert req.extended_due_date and req.extended_due_date > due_before_extension
    provided = tmp_path / "招生划片方案.pdf"
    provided.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    step(
        head_page,
        "作出答复",
        {
            "on": (day + dt.timedelta(days=14)).isoformat(),
            "outcome": "2019.partly_disclosed",
            "text": "现将2025年义务教育招生划片方案提供给您。",
            "withheld_part": "划片依据中的学生个人信息",
            "withheld_ground": "third_party",
            "documents": str(provided),
        },
        clock,
    )
    # Sending a letter asks for confirmation first: the preview with its 文号, then the POST (no JavaScript).
    head_page.locator("tr", has_text="政府信息公开申请答复书").locator("a", has_text="预览并发出").click()
    head_page.wait_for_selector("text=确认发出告知书")
    preview = head_page.content()
    assert "市教育局依申〔" in preview and "招生划片方案.pdf" in preview and "第十五条" in preview
    head_page.click("button:text-is('确认发出并存档')")
    head_page.wait_for_selector("text=告知书已发出并存档。")
    clock.move_to(dt.datetime.combine(day + dt.timedelta(days=15), dt.time(10), tzinfo=SH))
    head_page.locator("select[name=kind]").select_option("review")
    head_page.fill("input[name=filed_on]", (day + dt.timedelta(days=15)).isoformat())
    head_page.click("text=登记复议或诉讼")
    head_page.wait_for_selector("text=已登记。")
    head_page.screenshot(path=str(tmp_path / "case.png"), full_page=True)

    req.refresh_from_db()
    assert (req.state, req.outcome) == ("answered", "2019.partly_disclosed")
    sent = Letter.objects.get(request=req, event__kind="answered")
    assert sent.number == f"市教育局依申〔{sent.event.effective_on.year}〕1号"
    assert AdministrativeReview.objects.filter(request=req).exists()
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds == [
        "registered",
        "supplement_requested",
        "supplement_received",
        "consultation_started",
        "consultation_ended",
        "extended",
        "answered",
    ]

    public.goto(f"{base}/track/")
    public.fill("input[name=code]", code)
    public.fill("input[name=secret]", secret)
    public.click("button[type=submit]")
    public.wait_for_selector("text=已答复")
    assert "某学校" not in public.content()
    traveller.stop()
