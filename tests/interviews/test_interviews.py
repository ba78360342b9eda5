"""Interviews and press conferences: announced, questions before, a live transcript the public page shows (its
cache invalidated on each line), ended as a response action the 2014 statistics count, published; refusals,
idempotency, throttling and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.engagement.actions import record_event
from gongkai.engagement.models import ResponseAction
from gongkai.interviews import actions
from gongkai.interviews.models import Interview, InterviewState, Question, QuestionState
from gongkai.reports.registry import Context, Scope
from tests.interviews.conftest import DEPUTY, DIRECTOR, Cast, announced, local, question_form, signed_in

pytestmark = pytest.mark.django_db


def _value(cast: Cast, key: str, year: int = 2014) -> object:
    return Context(org=cast.tree.education, year=year, scope=Scope.OWN).value(key)


def test_an_interview_runs_from_announcement_to_published_record_and_counts(
    cast: Cast, settings: Any
) -> None:
    settings.GONGKAI_PAGE_CACHE = True  # the live page is cached and each line invalidates it
    li_ming = signed_in(cast.li_ming)
    data = {
        "kind": "interview",
        "topic": "义务教育招生政策解读",
        "starts_at": "2030-09-01T10:00",
        "guest_0_name": "马局长",
        "guest_0_post": "局长",
        "guest_0_leader": "on",
        "guest_1_name": "吴处长",
        "guest_1_post": "处长",
    }
    assert li_ming.post("/staff/interviews/new/", data).status_code == 302
    interview = Interview.objects.get()
    assert [g.name for g in interview.guests.all()] == ["马局长", "吴处长"]
    public = f"/interviews/{interview.pk}/"
    assert "义务教育招生政策解读" in Client().get("/interviews/").content.decode()

    wang_fang, zhang_wei = Client(), Client()
    assert wang_fang.post(f"{public}ask/", question_form()).status_code == 302
    assert zhang_wei.post(f"{public}ask/", question_form(text="广告", asker="")).status_code == 302
    asked, spam = Question.objects.order_by("id")
    page = f"/staff/interviews/{interview.pk}/"
    assert li_ming.post(page, {"action": "approve", "question": asked.pk}).status_code == 302
    assert li_ming.post(page, {"action": "reject", "question": spam.pk}).status_code == 302
    shown = Client().get(public).content.decode()
    assert "随迁子女" in shown and "广告" not in shown and "data-live " not in shown

    assert li_ming.post(page, {"action": "live"}).status_code == 302
    live = Client().get(public).content.decode()
    assert "data-live " in live
    assert wang_fang.post(f"{public}ask/", question_form()).status_code == 400  # too late to ask
    line = {"action": "line", "speaker": "马局长", "text": "今年招生坚持免试就近入学。"}
    assert li_ming.post(page, line).status_code == 302
    assert "免试就近入学" in Client().get(public).content.decode()  # the cached page was invalidated
    assert (
        li_ming.post(page, {"action": "line", "speaker": "主持人", "text": "感谢收看。"}).status_code == 302
    )
    assert "感谢收看" in Client().get(public).content.decode()

    assert li_ming.post(page, {"action": "end"}).status_code == 302
    interview.refresh_from_db()
    action = interview.response
    assert interview.state == InterviewState.ENDED and action is not None
    assert (action.kind, action.principal_leader, action.body_id) == (
        "online_interview",
        True,
        interview.body_id,
    )
    assert action.held_on == interview.held_on
    assert actions._page_url("https://gk.example.cn", interview) == f"https://gk.example.cn{public}"
    ended = Client().get(public).content.decode()
    assert "data-live " not in ended
    assert li_ming.post(page, {"action": "publish"}).status_code == 302
    interview.refresh_from_db()
    assert interview.state == InterviewState.PUBLISHED
    assert {"interviews.announced", "interviews.live", "interviews.ended", "interviews.published"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_a_press_conference_held_in_2014_counts_in_the_statistics(cast: Cast) -> None:
    education = cast.tree.education
    event = record_event("test", education, title="校车安全关切", noticed_on=local(2014, 4, 1).date())
    press = announced(education, kind="press", starts_at=local(2014, 4, 2), guests=(DIRECTOR,))
    press.event = event
    press.save(update_fields=["event"])
    interview = announced(education, starts_at=local(2014, 6, 3), guests=(DEPUTY,))
    for item, day in ((press, local(2014, 4, 2)), (interview, local(2014, 6, 3))):
        actions.go_live("test", item, at=day)
        actions.append("test", item, speaker="主持人", text="开始")
        actions.end("test", item)
    assert _value(cast, "r14.press") == 1 and _value(cast, "r14.press_leader") == 1
    assert _value(cast, "r14.interview") == 1 and _value(cast, "r14.interview_leader") == 0
    assert _value(cast, "r14.events") == 1  # the conference answered the event
    assert ResponseAction.objects.filter(event=event, kind="press_conference").count() == 1


def test_the_same_question_sent_twice_is_stored_once_and_questions_are_throttled(
    cast: Cast, settings: Any
) -> None:
    interview = announced(cast.tree.education)
    client, data = Client(), question_form()
    first, again = (
        client.post(f"/interviews/{interview.pk}/ask/", data),
        client.post(f"/interviews/{interview.pk}/ask/", data),
    )
    assert first.status_code == again.status_code == 302 and again["Idempotent-Replay"] == "true"
    assert Question.objects.count() == 1
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"comment": (2, 3600)}
    other = Client(REMOTE_ADDR="10.0.0.9")
    answers = [other.post(f"/interviews/{interview.pk}/ask/", question_form()).status_code for _ in range(3)]
    assert answers == [302, 302, 429]


def test_questions_are_shown_masked(cast: Cast) -> None:
    interview = announced(cast.tree.education)
    question = actions.ask(
        "public", interview, text="我的电话13812345678，身份证11010519491231002X", asker="13900001111"
    )
    actions.moderate("test", question, approve=True)
    page = Client().get(f"/interviews/{interview.pk}/").content.decode()
    assert "13812345678" not in page and "11010519491231002X" not in page and "13900001111" not in page
    assert "138****5678" in page


def test_staff_of_other_bodies_and_supervisors_get_only_what_they_may(cast: Cast) -> None:
    police = announced(cast.tree.county_police, topic="县公安局访谈")
    page = f"/staff/interviews/{police.pk}/"
    assert signed_in(cast.li_ming).get(page).status_code == 403
    assert signed_in(cast.li_ming).post(page, {"action": "live"}).status_code == 403
    zhou_jian = signed_in(cast.zhou_jian)
    assert zhou_jian.get(page).status_code == 200
    assert zhou_jian.post(page, {"action": "live"}).status_code == 403
    assert zhou_jian.get("/staff/interviews/new/").status_code == 403
    assert signed_in(cast.outsider).get("/staff/interviews/").status_code == 403
    assert Client().get(page).status_code == 302
    assert signed_in(cast.zhao_qiang).post(page, {"action": "live"}).status_code == 302


def test_bad_input_writes_nothing(cast: Cast) -> None:
    li_ming = signed_in(cast.li_ming)
    before = AuditEntry.objects.count()
    assert li_ming.post("/staff/interviews/new/", {"kind": "interview", "topic": ""}).status_code == 400
    bad_guest = {"kind": "press", "topic": "t", "starts_at": "2030-01-01T10:00", "guest_0_post": "局长"}
    assert li_ming.post("/staff/interviews/new/", bad_guest).status_code == 400  # a post without a name
    assert not Interview.objects.exists() and AuditEntry.objects.count() == before
    interview = announced(cast.tree.education)
    before = AuditEntry.objects.count()
    page = f"/staff/interviews/{interview.pk}/"
    assert (
        li_ming.post(page, {"action": "line", "speaker": "马局长", "text": "x"}).status_code == 409
    )  # not live
    assert li_ming.post(page, {"action": "end"}).status_code == 409
    assert li_ming.post(page, {"action": "video", "video_url": "javascript:alert(1)"}).status_code == 400
    assert Client().post(f"/interviews/{interview.pk}/ask/", question_form(text=" ")).status_code == 400
    interview.refresh_from_db()
    assert interview.state == InterviewState.ANNOUNCED and interview.response is None
    assert not Question.objects.exists() and AuditEntry.objects.count() == before
    # an event answered before it was noticed: record_response refuses, the interview stays live
    event = record_event("test", cast.tree.education, title="关切", noticed_on=local(2014, 5, 2).date())
    early = announced(cast.tree.education, starts_at=local(2014, 5, 1))
    Interview.objects.filter(pk=early.pk).update(event=event)
    actions.go_live("test", early, at=local(2014, 5, 1))
    with pytest.raises(ValidationError):
        actions.end("test", early)
    early.refresh_from_db()
    assert early.state == InterviewState.LIVE and not ResponseAction.objects.exists()
    assert QuestionState.PENDING == "pending"
