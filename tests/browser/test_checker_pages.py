"""The batch checker's pages in a phone-sized browser (360 px) and on a laptop: 周科长 (the city office's
supervisor) uploads two reports, one of them unreadable, and reads the result. axe-core finds no WCAG A/AA
violation and nothing scrolls sideways, long file names and findings included."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gongkai.checker import batch as batches
from gongkai.checker.reading import Document
from gongkai.checker.types import Cell, Finding, Result
from tests.browser.support import page_problems, sign_in
from tests.conftest import Personas

pytestmark = [pytest.mark.browser]
LONG = "平潭综合实验区管理委员会办公室2021年度政府信息公开工作年度报告（正式发布版本）最终修改稿.txt"


def stand_in(doc: Document) -> Result:
    cell = Cell("表三", "（七）总计", "总计", 21)
    finding = Finding(
        "Table 3 总计", "error", "表三“（七）总计”列总计为21，而各项办理结果之和为27。" * 3, (cell,)
    )
    return Result(format="2021", body="平潭综合实验区", year=2021, findings=[finding])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}])
def test_the_batch_pages_pass_axe_and_do_not_scroll_sideways(
    live_server: Any,
    browser: Any,
    personas: Personas,
    settings: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    viewport: dict[str, int],
) -> None:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(batches, "check_document", stand_in)
    page = sign_in(browser, live_server.url, "supervisor", "/staff/checker/batch/", viewport=viewport)
    problems = page_problems(page, "batch form")
    page.set_input_files(
        "input[name=files]",
        [
            {"name": LONG, "mimeType": "text/plain", "buffer": "本年度全区共收到70件申请。".encode()},
            {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 broken"},
        ],
    )
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/staff/checker/batch/[0-9a-f-]{36}/$"))
    text = page.inner_text("main")
    assert "平潭综合实验区" in text and "无法读取" in text and "各项办理结果之和为27" in text
    problems += page_problems(page, "batch result")
    assert not problems, "\n".join(problems)
