"""Public consultation (意见征集): a comment's life from the form to the published feedback report, refusals,
overdue feedback, idempotency, throttling, masking and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from gongkai import crypto
from gongkai.audit.models import AuditEntry
from gongkai.consultations import actions
from gongkai.consultations.models import Adoption, Comment, Consultation, ConsultationState, Moderation
from tests.consultations.conftest import Cast, at, comment_form, open_consultation, signed_in

pytestmark = pytest.mark.django_db


def _post(client: Client, consultation: Consultation, data: dict[str, Any]) -> Any:
    return client.post(f"/consultations/{consultation.pk}/comment/", data)


def test_a_comment_runs_from_the_form_to_the_published_feedback_report(cast: Cast) -> None:
    draft = open_consultation(cast.tree.education)
    chen_jing, huang_lei, spammer = Client(), Client(), Client()
    assert _post(chen_jing, draft, comment_form()).status_code == 302
    assert (
        _post(huang_lei, draft, comment_form(text="第五条收费标准应当公开。", name="黄磊")).status_code == 302
    )
    assert _post(spammer, draft, comment_form(text="广告：代写论文", name="", contact="")).status_code == 302
    chen, huang, spam = Comment.objects.order_by("id")
    assert {c.moderation for c in (chen, huang, spam)} == {Moderation.PENDING}
    assert (
        "延长到18时" not in Client().get(f"/consultations/{draft.pk}/").content.decode()
    )  # not yet moderated

    li_ming = signed_in(cast.li_ming)
    page = f"/staff/consultations/{draft.pk}/"
    for comment, action in ((chen, "approve"), (huang, "approve"), (spam, "reject")):
        assert li_ming.post(page, {"action": action, "comment": comment.pk}).status_code == 302
    public = Client().get(f"/consultations/{draft.pk}/").content.decode()
    assert "延长到18时" in public and "收费标准" in public and "代写论文" not in public

    assert (
        li_ming.post(page, {"action": "classify", "comment": chen.pk, "adoption": "adopted"}).status_code
        == 302
    )
    refused = li_ming.post(page, {"action": "classify", "comment": huang.pk, "adoption": "not_adopted"})
    assert refused.status_code == 400  # 不予采纳 needs a reason
    reason = {
        "action": "classify",
        "comment": huang.pk,
        "adoption": "not_adopted",
        "reason": "收费标准另行公布",
    }
    assert li_ming.post(page, reason).status_code == 302
    assert li_ming.post(page, {"action": "generate"}).status_code == 409  # still open
    assert li_ming.post(page, {"action": "close"}).status_code == 302
    assert li_ming.post(page, {"action": "generate"}).status_code == 302
    draft.refresh_from_db()
    assert actions.feedback_counts(draft) | {} == {
        "adopted": 1,
        "partly": 0,
        "not_adopted": 1,
        "received": 2,
        "approved": 2,
        "unclassified": 0,
    }
    assert "共收到有效意见2条，其中采纳1条、部分采纳0条、不予采纳1条" in draft.feedback_text
    assert "延长到18时" in draft.feedback_text and "收费标准另行公布" in draft.feedback_text
    assert li_ming.post(page, {"action": "publish"}).status_code == 403  # the office head publishes
    assert signed_in(cast.liu_yang).post(page, {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.feedback_published_on == timezone.localdate()
    public = Client().get(f"/consultations/{draft.pk}/").content.decode()
    assert "意见采纳情况反馈" in public and "收费标准另行公布" in public
    with pytest.raises(actions.IllegalStep):
        actions.classify("test", chen, adoption=Adoption.PARTLY, reason="改")  # the report is out
    kinds = set(
        AuditEntry.objects.filter(action__startswith="consultations.").values_list("action", flat=True)
    )
    assert {
        "consultations.created",
        "consultations.opened",
        "consultations.comment.submitted",
        "consultations.comment.moderated",
        "consultations.comment.classified",
        "consultations.closed",
        "consultations.feedback.generated",
        "consultations.feedback.published",
    } <= kinds


def test_the_list_shows_open_consultations_with_days_left_newest_first(cast: Cast) -> None:
    today = timezone.localdate()
    older = open_consultation(
        cast.tree.education,
        title="旧的征集",
        opens_on=today - dt.timedelta(days=90),
        closes_on=today - dt.timedelta(days=60),
    )
    newer = open_consultation(cast.tree.education, title="新的征集", closes_on=today + dt.timedelta(days=4))
    actions.create("test", cast.tree.education, title="未发布的征集", opens_on=today, closes_on=today)
    page = Client().get("/consultations/").content.decode()
    assert page.index(newer.title) < page.index(older.title)
    assert "还剩5天" in page and "未发布的征集" not in page
    assert "已截止" in page


def test_a_comment_on_a_closed_consultation_is_refused_with_the_close_date(cast: Cast) -> None:
    today = timezone.localdate()
    closed_on = today - dt.timedelta(days=2)
    consultation = open_consultation(
        cast.tree.education, opens_on=today - dt.timedelta(days=20), closes_on=closed_on
    )
    response = _post(Client(), consultation, comment_form())
    assert response.status_code == 400
    assert f"本次意见征集已于{closed_on:%Y-%m-%d}截止" in response.content.decode()
    assert (
        f"已于{closed_on:%Y-%m-%d}截止" in Client().get(f"/consultations/{consultation.pk}/").content.decode()
    )
    with pytest.raises(ValidationError, match=f"{closed_on:%Y-%m-%d}"):
        actions.submit_comment("public", consultation, text="迟到的意见")
    assert not Comment.objects.exists()
    # closed early by staff: refused from the next day, with that day
    early = open_consultation(cast.tree.education, opens_on=today - dt.timedelta(days=5))
    actions.close("test", early, on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match=f"{today - dt.timedelta(days=1):%Y-%m-%d}"):
        actions.submit_comment("public", early, text="意见")


def test_feedback_not_published_in_time_is_flagged_overdue(cast: Cast, settings: Any) -> None:
    today = timezone.localdate()
    late = open_consultation(
        cast.tree.education,
        title="逾期未反馈的征集",
        opens_on=today - dt.timedelta(days=90),
        closes_on=today - dt.timedelta(days=60),
    )
    recent = open_consultation(
        cast.tree.education,
        title="刚截止的征集",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today - dt.timedelta(days=2),
    )
    assert actions.feedback_overdue(late, today) and not actions.feedback_overdue(recent, today)
    page = signed_in(cast.li_ming).get("/staff/consultations/").content.decode()
    assert page.count("反馈已超期") == 1
    late_row = page[page.index("逾期未反馈的征集") :]
    assert "反馈已超期" in late_row[: late_row.index("</tr>")]
    settings.GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS = 100
    assert not actions.feedback_overdue(late, today)


def test_the_same_comment_sent_twice_is_stored_once(cast: Cast) -> None:
    consultation = open_consultation(cast.tree.education)
    client, data = Client(), comment_form()
    first, again = _post(client, consultation, data), _post(client, consultation, data)
    assert first.status_code == again.status_code == 302
    assert again["Idempotent-Replay"] == "true"
    assert Comment.objects.count() == 1


def test_comments_from_one_address_are_throttled(cast: Cast, settings: Any) -> None:
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"comment": (2, 3600)}
    consultation = open_consultation(cast.tree.education)
    client = Client()
    answers = [_post(client, consultation, comment_form()).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_name_and_contact_are_stored_encrypted_and_shown_masked(cast: Cast) -> None:
    consultation = open_consultation(cast.tree.education)
    data = comment_form(text="陈静建议：联系电话13812345678，身份证11010519491231002X。")
    assert _post(Client(), consultation, data).status_code == 302
    comment = Comment.objects.get()
    assert crypto.decrypt(comment.contact_encrypted) == "13812345678"
    assert crypto.decrypt(comment.name_encrypted) == "陈静"
    assert (comment.name_masked, comment.contact_masked) == ("陈*", "138****5678")
    actions.moderate("test", comment, approve=True)
    staff = signed_in(cast.li_ming).get(f"/staff/consultations/{consultation.pk}/").content.decode()
    public = Client().get(f"/consultations/{consultation.pk}/").content.decode()
    for page in (staff, public):
        assert "13812345678" not in page and "11010519491231002X" not in page
    assert "陈*" in public and "138****5678" in staff
    entries = " ".join(
        str(e.after) for e in AuditEntry.objects.filter(action__startswith="consultations.comment")
    )
    assert "13812345678" not in entries and "陈静" not in entries


def test_a_consultation_requiring_contact_refuses_a_comment_without_it(cast: Cast) -> None:
    consultation = open_consultation(cast.tree.education, requires_contact=True)
    response = _post(Client(), consultation, comment_form(name="", contact=""))
    assert response.status_code == 400 and "aria-invalid" in response.content.decode()
    assert "延长到18时" in response.content.decode()  # what was typed is kept
    assert not Comment.objects.exists()
    assert _post(Client(), consultation, comment_form()).status_code == 302


def test_staff_of_other_bodies_and_supervisors_get_only_what_they_may(cast: Cast) -> None:
    police = open_consultation(cast.tree.county_police, title="县公安局征集")
    page = f"/staff/consultations/{police.pk}/"
    assert signed_in(cast.li_ming).get(page).status_code == 403
    assert signed_in(cast.li_ming).post(page, {"action": "close"}).status_code == 403
    assert "县公安局征集" not in signed_in(cast.li_ming).get("/staff/consultations/").content.decode()
    zhou_jian = signed_in(cast.zhou_jian)
    assert zhou_jian.get(page).status_code == 200
    assert zhou_jian.post(page, {"action": "close"}).status_code == 403  # a supervisor reads
    assert zhou_jian.get("/staff/consultations/new/").status_code == 403
    assert signed_in(cast.zhao_qiang).post(page, {"action": "close"}).status_code == 302
    assert signed_in(cast.outsider).get("/staff/consultations/").status_code == 403
    assert Client().get(page).status_code == 302  # to the login page
    draft = actions.create(
        "test",
        cast.tree.education,
        title="草稿",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
    )
    assert Client().get(f"/consultations/{draft.pk}/").status_code == 404
    assert Client().get(f"/consultations/{draft.pk}/comment/").status_code == 404


def test_staff_create_and_open_a_consultation_in_the_browser(cast: Cast) -> None:
    li_ming = signed_in(cast.li_ming)
    today = timezone.localdate()
    data = {
        "title": "征集A",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    created = li_ming.post("/staff/consultations/new/", data)
    assert created.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.state == ConsultationState.DRAFT
    li_ming.post(f"/staff/consultations/{consultation.pk}/", {"action": "open"})
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPEN
    assert "征集A" in Client().get("/consultations/").content.decode()


def test_bad_input_writes_nothing(cast: Cast) -> None:
    today = timezone.localdate()
    li_ming = signed_in(cast.li_ming)
    before = AuditEntry.objects.count()
    bad = {
        "title": "征集B",
        "opens_on": today.isoformat(),
        "closes_on": (today - dt.timedelta(days=1)).isoformat(),
    }
    assert li_ming.post("/staff/consultations/new/", bad).status_code == 400
    assert not Consultation.objects.exists() and AuditEntry.objects.count() == before
    consultation = open_consultation(cast.tree.education)
    before = AuditEntry.objects.count()
    assert _post(Client(), consultation, comment_form(text="  ")).status_code == 400
    assert _post(Client(), consultation, comment_form(contact="abc")).status_code == 400
    assert not Comment.objects.exists() and AuditEntry.objects.count() == before
    comment = actions.submit_comment("public", consultation, text="意见", received_at=at(today))
    with pytest.raises(actions.IllegalStep):
        actions.classify("test", comment, adoption=Adoption.ADOPTED)  # not moderated yet
    actions.moderate("test", comment, approve=True)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        actions.classify("test", comment, adoption=Adoption.PARTLY)
    comment.refresh_from_db()
    assert comment.adoption == "" and AuditEntry.objects.count() == before
