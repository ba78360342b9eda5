"""The consultation and interview pages (docs/consultations.md, docs/interviews.md) on a 360 px wide screen, in
zh-Hans and English: no sideways scroll and no axe-core WCAG A/AA violation — the lists, an open consultation,
one closed with its feedback report, the comment form (also with its errors), a live interview with transcript,
the question form, and the staff pages of both as the education bureau's clerk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gongkai.consultations import actions as consult
from gongkai.interviews import actions as talks
from tests.browser.support import NARROW, page_problems, sign_in
from tests.conftest import Personas, Tree

pytestmark = [pytest.mark.browser]

LANGUAGES = {"zh-hans": "", "en": "/en"}


def _world(tree: Tree) -> dict[str, str]:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    body = tree.education
    open_one = consult.open_consultation(
        "test",
        consult.create(
            "test",
            body,
            title="测试市中小学课后服务管理办法（征求意见稿）",
            draft_text="第一条 为规范中小学课后服务，制定本办法。",
            opens_on=today - 3 * day,
            closes_on=today + 10 * day,
        ),
    )
    closed = consult.open_consultation(
        "test",
        consult.create(
            "test", body, title="校车管理办法", opens_on=today - 40 * day, closes_on=today - 30 * day
        ),
    )
    received = timezone.make_aware(dt.datetime.combine(today - 35 * day, dt.time(10)))
    for text, adoption, reason in (
        ("建议延长到18时。", "adopted", ""),
        ("建议取消。", "not_adopted", "不符合政策"),
    ):
        comment = consult.submit_comment(
            "public", closed, text=text, name="陈静", contact="13812345678", received_at=received
        )
        consult.classify(
            "test", consult.moderate("test", comment, approve=True), adoption=adoption, reason=reason
        )
    closed = consult.generate_feedback("test", consult.close("test", closed, on=today - 30 * day))
    consult.publish_feedback("test", closed)
    live = talks.announce(
        "test",
        body,
        kind="interview",
        topic="义务教育招生政策解读",
        starts_at=timezone.now(),
        guests=[talks.GuestRow("马局长", "测试市教育局局长", principal_leader=True)],
        video_url="https://video.example.cn/1",
    )
    talks.moderate(
        "test", talks.ask("public", live, text="随迁子女入学需要哪些材料？", asker="王芳"), approve=True
    )
    live = talks.go_live("test", live)
    talks.append("test", live, speaker="马局长", text="今年招生坚持免试就近入学。")
    future = talks.announce(
        "test", body, kind="press", topic="新闻发布会", starts_at=timezone.now() + 7 * day, guests=[]
    )
    return {
        "open": f"/consultations/{open_one.pk}/",
        "closed": f"/consultations/{closed.pk}/",
        "live": f"/interviews/{live.pk}/",
        "future": f"/interviews/{future.pk}/",
        "staff_consultation": f"/staff/consultations/{closed.pk}/",
        "staff_open": f"/staff/consultations/{open_one.pk}/",
        "staff_interview": f"/staff/interviews/{live.pk}/",
    }


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_consultation_and_interview_pages_fit_a_narrow_phone_and_pass_axe(
    live_server: Any, browser: Any, tree: Tree, personas: Personas, shots: Any, lang: str
) -> None:
    paths = _world(tree)
    base = live_server.url + LANGUAGES[lang]
    page = browser.new_context(locale="zh-CN", viewport=NARROW).new_page()
    problems: list[str] = []

    def check(name: str, path: str | None = None, status: int = 200) -> None:
        nonlocal page
        if path is not None:
            response = page.goto(base + path)
            assert response is not None and response.status == status, f"{name}: {path} answered {response}"
        found = page_problems(page, f"[{lang}] {name} ({page.url.removeprefix(live_server.url)})")
        if found:
            shots(page, name)
        problems.extend(found)

    check("consultations", "/consultations/")
    check("open consultation", paths["open"])
    check("closed consultation with feedback", paths["closed"])
    check("comment form", paths["open"] + "comment/")
    page.click("main form button[type=submit]")  # empty: errors beside the fields
    check("comment form with errors")
    check("interviews", "/interviews/")
    check("live interview", paths["live"])
    check("question form", paths["future"] + "ask/")
    page = sign_in(browser, base, "clerk", "/staff/consultations/", viewport=NARROW)
    check("staff consultations")
    check("staff consultation with feedback", paths["staff_consultation"])
    check("staff open consultation", paths["staff_open"])
    check("staff interviews", "/staff/interviews/")
    check("staff interview", paths["staff_interview"])
    check("staff announce", "/staff/interviews/new/")
    check("staff new consultation", "/staff/consultations/new/")
    if problems:
        (shots.directory / "problems.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
