"""Every public page on a 360 px wide screen, in each of the site's languages (issue 12 §1, §4, §6): it does not
scroll sideways (``scrollWidth <= clientWidth``) and axe-core finds no WCAG 2.0/2.1 A or AA violation.

One test per language visits every page and reports all the problems it finds (page, check, element), so one
bad page does not hide the others; a full-page screenshot of each page with a problem is saved as an artefact,
with the list of problems next to them (``problems.txt``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from gongkai.catalog import transitions as p
from gongkai.catalog.figures import save_proactive_figures
from gongkai.catalog.models import Channel, ChannelKind, Genre, Publication
from gongkai.portal.actions import save_guide
from gongkai.reports.actions import publish_report
from gongkai.search import rebuild
from tests.browser.support import NARROW, page_problems
from tests.conftest import Personas, Tree

pytestmark = [pytest.mark.browser]

LANGUAGES = {"zh-hans": "", "zh-hant": "/zh-hant", "en": "/en"}
REPORT_YEAR = 2024


def _published(tree: Tree, personas: Personas, site: Channel, title: str, **extra: Any) -> Publication:
    day = dt.date(2025, 3, 3)
    pub, _w = p.create_draft(personas.clerk, tree.education, title=title, made_on=day, **extra)
    p.review(personas.reviewer, pub, on=day, conclusion="passed")
    return p.publish(personas.clerk, pub, on=day, channels=[site])


def public_site(tree: Tree, personas: Personas) -> dict[str, str]:
    """A small public site: a notice and its interpretation, the education bureau's guide with one rule, and
    the city's published annual report. Returns the paths of the pages that need an object."""
    site = Channel.objects.create(
        name="测试市门户网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )
    policy = _published(
        tree,
        personas,
        site,
        "测试市保障性住房分配管理办法",
        genre=Genre.objects.get(code="tongzhi"),
        text="第一条 为规范保障性住房分配，制定本办法。\n第二条 本办法适用于本市行政区域。",
    )
    _published(
        tree,
        personas,
        site,
        "《测试市保障性住房分配管理办法》政策解读",
        genre=Genre.objects.get(code=Genre.INTERPRETATION),
        interprets=policy,
    )
    rule = _published(tree, personas, site, "测试市教育局政府信息公开保密审查制度")
    save_guide(
        personas.clerk,
        tree.education,
        revised_on=dt.date(2025, 3, 5),
        office="测试市教育局办公室",
        address="测试市人民路1号",
        hours="工作日 8:30-12:00，14:30-17:30",
        phone="0374-1234567",
        rules=[rule],
    )
    save_proactive_figures("test", tree.education, REPORT_YEAR, licensing_items=5, licensing_decisions=12)
    publish_report(personas.office_head, tree.city, REPORT_YEAR, "2021", "subtree")
    rebuild()
    edu = tree.education.org_code
    return {
        "document": f"/documents/{policy.index_code}/{policy.index_year}/{policy.index_serial}/",
        "body": f"/bodies/{edu}/",
        "guide": f"/bodies/{edu}/guide/",
        "rules": f"/bodies/{edu}/rules/",
        "report": f"/reports/{tree.city.org_code}/{REPORT_YEAR}/",
    }


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_fit_a_narrow_phone_and_pass_axe(
    live_server: Any,
    browser: Any,
    tree: Tree,
    personas: Personas,
    settings: Any,
    tmp_path: Any,
    shots: Any,
    lang: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    paths = public_site(tree, personas)
    base = live_server.url + LANGUAGES[lang]
    page = browser.new_context(locale="zh-CN", viewport=NARROW).new_page()
    problems: list[str] = []

    def check(name: str, path: str | None = None, status: int = 200) -> None:
        if path is not None:
            response = page.goto(base + path)
            assert response is not None and response.status == status, f"{name}: {path} answered {response}"
        found = page_problems(page, f"[{lang}] {name} ({page.url.removeprefix(live_server.url)})")
        if found:  # the picture of what is wrong (a full page of every page would double the test's time)
            shots(page, name)
        problems.extend(found)

    check("home", "/")
    check("catalog filtered", "/catalog/?year=2025&genre=tongzhi")
    check("bodies", "/bodies/")
    check("body", paths["body"])
    check("body guide", paths["guide"])
    check("body rules", paths["rules"])
    check("document", paths["document"])
    check("search", "/search/?q=保障性住房")
    check("reports", "/reports/")
    check("report", paths["report"])
    check("not found", "/no-such-page/", status=404)

    # The application, each step as the visitor sees it (apply.js shows one step at a time).
    check("apply step 1 kind", "/apply/")
    page.check("input[name=kind][value=natural]")
    page.click("[data-step-next]")
    check("apply step 2 applicant")
    page.fill("#id_name", "孙九")
    page.select_option("#id_id_document", value="resident_id")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_phone", "13812345678")
    page.click("[data-step-next]")
    page.fill("#id_body_q", "教育局")
    page.wait_for_selector(f"#id_body_{tree.school_office.pk}")
    page.check(f"#id_body_{tree.education.pk}")
    check("apply step 3 body")
    page.click("[data-step-next]")
    page.fill("#id_subject", "2025年义务教育招生划片方案")
    page.check("input[name=provision_form][value=electronic]")
    page.check("input[name=delivery_method][value=online]")
    check("apply step 4 request")
    page.click("[data-step-next]")
    check("apply step 5 review")
    page.click("#step-review button[type=submit]")
    page.wait_for_selector(".receipt")
    check("receipt")
    code, secret = (s.strip() for s in page.locator(".codes strong").all_inner_texts()[:2])
    assert re.fullmatch(r"[A-Z0-9-]+", code) and secret

    check("track form", "/track/")
    page.fill("input[name=code]", code)
    page.fill("input[name=secret]", secret)
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.timeline")
    check("track result")

    # The elderly-friendly mode (适老化): larger type must still fit; chosen by a link, remembered by a cookie.
    prefix = LANGUAGES[lang]
    page.goto(f"{base}/care/?on=1&next={prefix}/")
    assert page.url.removeprefix(live_server.url) == f"{prefix}/"
    assert page.is_visible(".care-leave") and not page.is_visible(".care-enter")  # the mode is on
    check("care home")
    check("care document", paths["document"])
    check("care search", "/search/?q=保障性住房")
    check("care apply", "/apply/")
    check("care report", paths["report"])
    page.goto(f"{base}/care/?on=0&next={prefix}/")

    if problems:
        (shots.directory / "problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert not problems, f"{len(problems)} problem(s) on the public pages:\n" + "\n".join(problems)
