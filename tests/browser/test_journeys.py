"""The journeys of issue 12 §6 in a real browser (Debian's chromium via Playwright), each step's full page saved as
an artefact (``shots``, under ``$GONGKAI_ARTEFACTS``):

(a) a citizen on a phone searches, reads a document, applies online, keeps the receipt and tracks the request;
(b) a clerk answers a request with a partial disclosure and a document provided, sends the 答复书 after its
    preview, and downloads it: the letter states the answer's text and names the document;
(c) a reviewer passes an item in 保密审查, the clerk publishes it, and the public finds it in search;
(d) the city's publisher (the city government's OGI office head) sees a validation error in the city report (a
    number typed into section 一 that differs from table 二), fixes it with the placeholder, publishes after the
    confirmation page, and the public reads the corrected text."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from gongkai.cases import transitions as cases
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import InformationRequest, Letter
from gongkai.catalog import transitions as catalog
from gongkai.catalog.figures import save_proactive_figures
from gongkai.catalog.models import Genre, Publication
from gongkai.reports.actions import save_narrative
from gongkai.reports.models import ReportPublication
from gongkai.search import rebuild
from tests.browser.support import MOBILE_UA, PHONE, document_path, overflow, published, sign_in, website
from tests.conftest import Personas, Tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_citizen_on_a_phone_searches_reads_applies_and_tracks(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, shots: Any
) -> None:
    site = website(tree)
    day = dt.date(2025, 3, 3)
    policy = published(
        personas,
        tree.education,
        site,
        "测试市2025年义务教育招生工作实施方案",
        day,
        genre=Genre.objects.get(code="tongzhi"),
        text="一、招生对象为本市户籍适龄儿童。\n二、按学区划片招生。",
    )
    published(personas, tree.education, site, "测试市教育局2024年度部门预算", day)
    rebuild()
    phone = browser.new_context(
        locale="zh-CN", viewport=PHONE, user_agent=MOBILE_UA, is_mobile=True, has_touch=True
    ).new_page()
    base = live_server.url

    phone.goto(f"{base}/")
    shots(phone, "home")
    phone.fill("#home-q", "招生")
    phone.press("#home-q", "Enter")
    phone.wait_for_selector("ol.hits")
    shots(phone, "search results")
    hits = phone.locator("ol.hits li")
    assert hits.count() == 1 and "义务教育招生工作实施方案" in hits.first.inner_text()
    assert overflow(phone) == ""

    hits.first.locator("a").first.click()
    phone.wait_for_selector("article h1")
    assert phone.url.endswith(document_path(policy))
    assert "按学区划片招生" in phone.inner_text("article")
    shots(phone, "document")
    assert overflow(phone) == ""

    # Not in the document: the citizen applies for the school zoning map of the bureau.
    phone.goto(f"{base}/apply/")
    phone.get_by_label("公民（个人）").check()
    shots(phone, "apply 1 kind")
    phone.click("[data-step-next]")
    phone.fill("#id_name", "孙九")
    phone.select_option("#id_id_document", value="resident_id")
    phone.fill("#id_id_number", "11010519491231002X")
    phone.fill("#id_phone", "13812345678")
    shots(phone, "apply 2 applicant")
    phone.click("[data-step-next]")
    phone.fill("#id_body_q", "教育局")
    phone.wait_for_selector(f"#id_body_{tree.education.pk}")
    phone.check(f"#id_body_{tree.education.pk}")
    shots(phone, "apply 3 body")
    phone.click("[data-step-next]")
    phone.fill("#id_subject", "2025年义务教育学区划片图")
    phone.check("input[name=provision_form][value=electronic]")
    phone.check("input[name=delivery_method][value=online]")
    shots(phone, "apply 4 request")
    phone.click("[data-step-next]")
    review = phone.inner_text("[data-review-list]")
    assert "孙九" in review and "测试市教育局" in review and "2025年义务教育学区划片图" in review
    shots(phone, "apply 5 review")
    assert overflow(phone) == ""
    phone.click("#step-review button[type=submit]")

    phone.wait_for_selector(".receipt")
    shots(phone, "receipt")
    receipt = phone.inner_text("main")
    assert "2025年义务教育学区划片图" in receipt and "110***********002X" in receipt
    assert "11010519491231002X" not in receipt and "13812345678" not in receipt
    code, secret = (s.strip() for s in phone.locator(".codes strong").all_inner_texts()[:2])
    req = InformationRequest.objects.get()
    assert req.tracking_code == code and req.body == tree.education
    assert overflow(phone) == ""

    phone.goto(f"{base}/track/")
    phone.fill("input[name=code]", code)
    phone.fill("input[name=secret]", secret)
    shots(phone, "track form")
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("ol.timeline")
    shots(phone, "track result")
    tracked = phone.inner_text("main")
    assert code in tracked and "2025年义务教育学区划片图" in tracked
    assert req.receipt_date.isoformat() in phone.inner_text("ol.timeline")
    assert overflow(phone) == ""


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        xml = docx.read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml)


def test_a_clerk_answers_in_part_with_a_document_and_downloads_the_letter(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, settings: Any, tmp_path: Path, shots: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    applicant = create_applicant(
        "test", kind="natural", name="陈七", id_document="resident_id", id_number="11010519491231002X"
    )
    req = cases.register(
        personas.clerk,
        tree.education,
        received=timezone.localdate() - dt.timedelta(days=7),
        channel="letter",
        subject="申请公开2025年各校招生计划",
        applicant=applicant,
    )
    provided = tmp_path / "2025年招生计划.pdf"
    provided.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    clerk = sign_in(browser, live_server.url, "clerk", f"/staff/cases/{req.pk}/", accept_downloads=True)
    shots(clerk, "case")

    clerk.click("summary:text-is('作出答复')")
    form = clerk.locator("details[open] form")
    form.get_by_label("办理结果").select_option("2019.partly_disclosed")
    form.get_by_label("答复内容").fill("现将2025年各校招生计划提供给您。")
    form.get_by_label("不予公开的部分（部分公开时填写）").fill("学生家庭住址")
    form.get_by_label("不予公开部分的理由（部分公开时选择）").select_option("third_party")
    form.get_by_label("提供的文件").set_input_files(str(provided))
    shots(clerk, "answer form")
    form.locator("button[type=submit]").click()
    clerk.wait_for_selector("text=已完成：作出答复")
    assert "2025年招生计划.pdf" in clerk.inner_text("main")
    shots(clerk, "answered")

    clerk.locator("tr", has_text="政府信息公开申请答复书").get_by_role("link", name="预览并发出").click()
    clerk.wait_for_selector("text=确认发出告知书")
    preview = clerk.inner_text("main")
    assert "现将2025年各校招生计划提供给您" in preview and "2025年招生计划.pdf" in preview
    shots(clerk, "letter preview")
    clerk.get_by_role("button", name="确认发出并存档").click()
    clerk.wait_for_selector("text=告知书已发出并存档。")
    shots(clerk, "letter sent")

    row = clerk.locator("tr", has_text="政府信息公开申请答复书")
    with clerk.expect_download() as download:
        row.get_by_role("link", name="DOCX").click()
    saved = tmp_path / "letter.docx"
    download.value.save_as(saved)
    text = _docx_text(saved.read_bytes())
    letter = Letter.objects.get(request=req, event__kind="answered")
    assert letter.number and letter.number in text
    assert (
        "现将2025年各校招生计划提供给您" in text and "2025年招生计划.pdf" in text and "学生家庭住址" in text
    )
    req.refresh_from_db()
    assert (req.state, req.outcome) == ("answered", "2019.partly_disclosed")


def test_a_reviewer_passes_an_item_and_the_public_finds_it(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, shots: Any
) -> None:
    site = website(tree)
    draft, _w = catalog.create_draft(
        personas.clerk,
        tree.education,
        title="测试市校外培训机构白名单",
        made_on=timezone.localdate(),
        text="经审核，下列校外培训机构可以开展培训。",
    )
    rebuild()
    base = live_server.url
    anonymous = browser.new_context(locale="zh-CN").new_page()
    anonymous.goto(f"{base}/search/?q=校外培训")
    assert "测试市校外培训机构白名单" not in anonymous.inner_text("main")
    shots(anonymous, "search before")

    reviewer = sign_in(browser, base, "reviewer", f"/staff/catalog/{draft.pk}/")
    shots(reviewer, "draft")
    reviewer.click("#action-review summary")
    form = reviewer.locator("#action-review form")
    assert form.locator("input[name=review-conclusion][value=passed]").is_checked()
    form.get_by_role("button", name="保密审查").click()
    reviewer.wait_for_selector("text=已完成：保密审查")
    shots(reviewer, "reviewed")

    clerk = sign_in(browser, base, "clerk", f"/staff/catalog/{draft.pk}/")
    clerk.click("#action-publish summary")
    form = clerk.locator("#action-publish form")
    form.get_by_label(re.compile(site.name)).check()
    shots(clerk, "publish form")
    form.get_by_role("button", name="发布").click()
    clerk.wait_for_selector("text=已完成：发布")
    shots(clerk, "published")
    assert Publication.objects.get(pk=draft.pk).status == "published"

    anonymous.goto(f"{base}/search/?q=校外培训")
    anonymous.wait_for_selector("ol.hits")
    shots(anonymous, "search after")
    hit = anonymous.locator("ol.hits li", has_text="测试市校外培训机构白名单")
    assert hit.count() == 1
    hit.locator("a").first.click()
    anonymous.wait_for_selector("article h1")
    assert "下列校外培训机构可以开展培训" in anonymous.inner_text("article")
    shots(anonymous, "document")


SH = dt.timezone(dt.timedelta(hours=8))
NARRATIVES = Path(__file__).resolve().parents[2] / "gongkai" / "reports" / "narratives"
BOUND = "{t2.licensing.decisions}"  # 公开行政许可处理决定{...}件 in the default text of section 一


def test_the_city_publisher_fixes_an_error_and_publishes_after_confirming(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, settings: Any, tmp_path: Path, shots: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # In January, before the 31 January deadline (2019 art 49), so the deadline is a reminder, not an error;
    # the browser's clock stays real, so the session must outlive the travel back.
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    year = dt.date.today().year - 1
    traveller = time_machine.travel(dt.datetime(year + 1, 1, 12, 10, tzinfo=SH), tick=True)
    traveller.start()
    try:
        save_proactive_figures("test", tree.education, year, licensing_items=5, licensing_decisions=7)
        default = (NARRATIVES / "2021-1.md").read_text(encoding="utf-8")
        assert BOUND in default
        save_narrative("test", tree.city, "2021", 1, default.replace(BOUND, "12"), year=year)
        _publisher_journey(live_server.url, browser, tree, year, shots)
    finally:
        traveller.stop()


def _publisher_journey(base: str, browser: Any, tree: Tree, year: int, shots: Any) -> None:
    staff_path = f"/staff/reports/{tree.city.org_code}/{year}/"
    page = sign_in(browser, base, "office-head", staff_path)
    page.wait_for_selector("ul.findings")
    errors = page.locator("ul.findings li.error")
    assert errors.count() == 1, errors.all_inner_texts()
    assert "12" in errors.inner_text() and "7" in errors.inner_text()
    shots(page, "report with an error")

    page.locator("h2", has_text="一、").get_by_role("link", name="编辑").click()
    text = page.locator("#id_text")
    typed = text.input_value()
    assert "公开行政许可处理决定12件" in typed
    text.fill(typed.replace("公开行政许可处理决定12件", f"公开行政许可处理决定{BOUND}件"))
    shots(page, "section fixed")
    page.get_by_role("button", name="保存").click()
    page.goto(base + staff_path)
    assert page.locator("ul.findings li.error").count() == 0
    assert "公开行政许可处理决定7件" in page.inner_text("main")
    shots(page, "report without errors")

    page.get_by_role("button", name="发布年度报告").click()
    # Nothing is published until the publisher confirms what will be frozen.
    page.wait_for_selector("#confirm-heading:text-is('确认发布年度报告')")
    assert not ReportPublication.objects.filter(org=tree.city, year=year, published_at__isnull=False).exists()
    assert f"测试市人民政府{year}年政府信息公开工作年度报告" in page.inner_text("main")
    assert page.inner_text("#validation-state").startswith("错误0项")
    shots(page, "confirm publishing")
    page.get_by_role("button", name="确认发布", exact=True).click()
    page.wait_for_selector("text=年度报告已发布。")
    shots(page, "published")

    public = browser.new_context(locale="zh-CN").new_page()
    response = public.goto(f"{base}/reports/{tree.city.org_code}/{year}/")
    assert response is not None and response.status == 200
    assert "公开行政许可处理决定7件" in public.inner_text("main")
    shots(public, "public report")
