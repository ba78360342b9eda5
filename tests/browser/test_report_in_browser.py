"""In a real browser (Debian's chromium driven by Playwright): an office head logs in, opens the city report,
publishes it, and the public sees it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.catalog.actions import record_publication
from gongkai.catalog.models import Channel, ChannelKind
from gongkai.reports.actions import save_narrative
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_office_head_publishes_and_the_public_reads(
    live_server: object, browser: object, tree: Tree, personas: Personas, tmp_path: Path
) -> None:
    site = Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city)
    record_publication(
        "test",
        tree.education,
        title="关于招生的通知",
        made_on=dt.date(2014, 3, 3),
        published_on=dt.date(2014, 3, 4),
        channels=[site],
    )
    # Section 七's default is a blank to fill in (rule "fill_in"): the body writes it before publishing.
    save_narrative("test", tree.city, "2014", 7, "本年度工作中的问题已逐项整改。", year=2014)
    page = browser.new_page(locale="zh-CN")  # type: ignore[attr-defined]
    base = live_server.url  # type: ignore[attr-defined]
    public = f"{base}/reports/{tree.city.org_code}/2014/"
    assert page.goto(public).status == 404  # type: ignore[attr-defined]

    page.goto(f"{base}/accounts/login/?next=/staff/reports/{tree.city.org_code}/2014/")  # type: ignore[attr-defined]
    page.fill("input[name=username]", "office-head")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=测试市人民政府2014年政府信息公开工作年度报告")  # type: ignore[attr-defined]
    cell = page.locator("tr", has_text="（一）主动公开政府信息数").locator("td.value")  # type: ignore[attr-defined]
    assert cell.inner_text() == "1"
    page.click("text=发布年度报告")  # type: ignore[attr-defined]
    # Publishing is confirmed on a page of its own (issue 12): the summary, then the one button that publishes.
    page.wait_for_selector("#confirm-heading")  # type: ignore[attr-defined]
    assert "测试市人民政府" in page.inner_text("#publish-summary")  # type: ignore[attr-defined]
    page.click("#confirm-publish")  # type: ignore[attr-defined]
    page.wait_for_selector("text=年度报告已发布。")  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "staff-report.png"), full_page=True)  # type: ignore[attr-defined]

    anonymous = page.context.browser.new_page()  # type: ignore[attr-defined]
    assert anonymous.goto(public).status == 200
    assert "全市共主动公开政府信息1条" in anonymous.content()
