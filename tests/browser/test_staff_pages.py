"""The staff pages people work in all day pass the same checks as the public ones (issue 12 §1, §6): axe-core
finds no WCAG 2.0/2.1 A or AA violation and nothing scrolls sideways on a laptop screen. 张老师 (the education
bureau's clerk) works her inbox, a case and a draft; 许主任 (the city office head) his home, the report studio
and the submissions; one round in English shows the translated staff chrome passes too.

Every page is visited and every problem reported together (page, check, element), as for the public pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.catalog import transitions as catalog
from tests.browser.support import page_problems, sign_in
from tests.cases.builders import new_case
from tests.conftest import Personas, Tree

pytestmark = [pytest.mark.browser]
LAPTOP = {"width": 1280, "height": 800}
YEAR = 2025


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_pages_pass_axe_and_do_not_scroll_sideways(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, settings: Any, tmp_path: Any, shots: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    req = new_case(tree, personas)
    draft, _warnings = catalog.create_draft(
        personas.clerk, tree.education, title="测试市教育局2025年招生工作方案", made_on=dt.date(2025, 3, 3)
    )
    problems: list[str] = []
    base = live_server.url

    def visit(page: Any, name: str, path: str) -> None:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, f"{name}: {path} answered {response}"
        found = page_problems(page, f"{name} ({path})")
        if found:
            shots(page, name)
        problems.extend(found)

    clerk = sign_in(browser, base, "clerk", "/staff/", viewport=LAPTOP)
    visit(clerk, "clerk home", "/staff/")
    visit(clerk, "inbox", "/staff/cases/")
    visit(clerk, "inbox overdue", "/staff/cases/?view=overdue")
    visit(clerk, "intake", "/staff/cases/new/")
    visit(clerk, "case", f"/staff/cases/{req.pk}/")
    visit(clerk, "numbering", "/staff/cases/numbering/")
    visit(clerk, "catalog", "/staff/catalog/")
    visit(clerk, "draft", f"/staff/catalog/{draft.pk}/")
    visit(clerk, "submission", f"/staff/submissions/{tree.education.org_code}/{YEAR}/")
    visit(clerk, "case (English)", f"/en/staff/cases/{req.pk}/")
    visit(clerk, "inbox (English)", "/en/staff/cases/")

    head = sign_in(browser, base, "office-head", "/staff/", viewport=LAPTOP)
    visit(head, "office head home", "/staff/")
    visit(head, "report studio", f"/staff/reports/{tree.city.org_code}/{YEAR}/")
    visit(head, "report studio (English)", f"/en/staff/reports/{tree.city.org_code}/{YEAR}/")

    if problems:
        (shots.directory / "problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert not problems, f"{len(problems)} problem(s) on the staff pages:\n" + "\n".join(problems)
