"""A mailbox letter's life in the browser: 王芳 writes to the education bureau, 李明 signs for it and transfers it to
the county police, 赵强 signs for it there, answers and publishes it; 王芳 tracks it and rates the answer. Also the
form's conventions, anonymous letters, idempotency, masking, throttling and permissions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.mailbox import actions
from gongkai.mailbox.models import Letter, LetterEvent, LetterState
from tests.mailbox.conftest import Cast, letter_form, signed_in

pytestmark = pytest.mark.django_db


def receipt_codes(response: Any) -> tuple[str, str]:
    page = response.content.decode()
    code, secret = re.findall(r"<strong>([A-Z0-9-]+)</strong>", page)[:2]
    return code, secret


def write(client: Client, data: dict[str, Any]) -> Any:
    return client.post("/mailbox/write/", data)


def test_a_letters_whole_life_in_the_browser(cast: Cast) -> None:
    tree = cast.tree
    wang_fang = Client()
    form_page = wang_fang.get(f"/mailbox/write/?body={tree.education.pk}")
    assert form_page.status_code == 200 and "no-store" in form_page["Cache-Control"]
    posted = write(wang_fang, letter_form(tree.education.pk))
    assert posted.status_code == 302 and posted["Location"] == "/mailbox/receipt/"
    receipt = wang_fang.get("/mailbox/receipt/")
    code, secret = receipt_codes(receipt)
    letter = Letter.objects.get()
    assert letter.tracking_code == code and letter.state == LetterState.SUBMITTED
    assert letter.phone_masked == "138****5678" and "13812345678" not in letter.phone_encrypted
    assert letter.due_on > letter.received_on

    li_ming = signed_in(cast.li_ming)
    queue = li_ming.get("/staff/mailbox/")
    assert queue.status_code == 200 and "学校门口道路积水" in queue.content.decode()
    assert "13812345678" not in queue.content.decode()  # only the masked number is listed
    page = f"/staff/mailbox/{letter.pk}/"
    assert li_ming.post(page, {"action": "accept"}).status_code == 302
    moved = li_ming.post(
        page, {"action": "transfer", "to_body": tree.county_police.pk, "reason": "属于公安机关职责"}
    )
    assert moved.status_code == 302
    letter.refresh_from_db()
    assert letter.body == tree.county_police and letter.state == LetterState.TRANSFERRED
    assert li_ming.get(page).status_code == 403  # no longer the bureau's letter

    zhao_qiang = signed_in(cast.zhao_qiang)
    page = f"/staff/mailbox/{letter.pk}/"
    assert zhao_qiang.post(page, {"action": "accept"}).status_code == 302
    replied = zhao_qiang.post(page, {"action": "reply", "text": "已安排疏通排水。", "channel": "site"})
    assert replied.status_code == 302
    published = zhao_qiang.post(page, {"action": "publish", "subject": "", "text": "", "reply_text": ""})
    assert published.status_code == 302

    public = Client().get("/mailbox/").content.decode()
    assert "学校门口道路积水" in public
    detail = Client().get(f"/mailbox/{letter.pk}/").content.decode()
    assert "已安排疏通排水" in detail
    assert "13812345678" not in detail and "王芳" not in detail

    tracked = wang_fang.post("/mailbox/track/", {"code": code, "secret": secret})
    assert tracked.status_code == 200 and "已安排疏通排水" in tracked.content.decode()
    rated = wang_fang.post(
        "/mailbox/track/",
        {"code": code, "secret": secret, "action": "rate", "satisfaction": "mostly", "comment": "处理及时"},
    )
    assert rated.status_code == 200
    letter.refresh_from_db()
    assert letter.state == LetterState.CLOSED and letter.satisfaction == "mostly"
    kinds = list(letter.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "accepted", "transferred", "accepted", "replied", "published", "rated"]
    assert list(letter.events.values_list("actor_label", flat=True))[:3] == ["public", "clerk", "clerk"]
    actions_logged = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "mailbox.submitted",
        "mailbox.transferred",
        "mailbox.replied",
        "mailbox.published",
    } <= actions_logged


def test_the_form_keeps_everything_and_says_each_error_beside_its_field(cast: Cast) -> None:
    before = AuditEntry.objects.count()
    response = write(Client(), letter_form(cast.tree.education.pk, subject="", text=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_subject_error"' in page and 'id="id_text_error"' in page
    assert "wangfang@example.invalid" in page and "王芳" in page  # what was typed is kept
    assert 'class="req"' in page  # required marks
    assert not Letter.objects.exists() and not LetterEvent.objects.exists()
    assert AuditEntry.objects.count() == before  # nothing half-written


def test_a_letter_without_contact_details_is_refused_unless_the_body_allows_it(cast: Cast) -> None:
    tree = cast.tree
    anonymous = letter_form(tree.city.pk, phone="", email="", writer_name="")
    refused = write(Client(), anonymous)
    assert refused.status_code == 400 and "不受理匿名来信" in refused.content.decode()
    assert not Letter.objects.exists()
    sun_li = signed_in(cast.sun_li)  # the city's office head allows anonymous letters
    assert sun_li.post("/staff/mailbox/", {"accepts_anonymous": "on"}).status_code == 302
    assert actions.accepts_anonymous(tree.city)
    assert signed_in(cast.li_ming).post("/staff/mailbox/", {"accepts_anonymous": "on"}).status_code == 403
    anonymous["idempotency_key"] = letter_form(tree.city.pk)["idempotency_key"]
    accepted = write(Client(), anonymous)
    assert accepted.status_code == 302
    assert Letter.objects.get().phone_masked == ""


def test_the_same_form_sent_twice_is_one_letter_with_one_receipt(cast: Cast) -> None:
    client = Client()
    data = letter_form(cast.tree.education.pk)
    first, again = write(client, data), write(client, data)
    assert first["Location"] == again["Location"] == "/mailbox/receipt/"
    assert again["Idempotent-Replay"] == "true"
    assert Letter.objects.count() == 1
    code, secret = receipt_codes(client.get("/mailbox/receipt/"))
    assert actions.lookup(code, secret) == Letter.objects.get()


def test_the_public_list_shows_only_consented_letters_with_personal_data_masked(cast: Cast) -> None:
    tree = cast.tree
    shown = actions.submit(
        "test",
        tree.education,
        kind="consult",
        subject="王芳询问招生政策",
        text="我是王芳，身份证11010519491231002X，电话13812345678。",
        writer_name="王芳",
        phone="13812345678",
        consent_to_publish=True,
    ).letter
    hidden = actions.submit(
        "test", tree.education, kind="consult", subject="不同意公开的来信", text="内容", phone="13900001111"
    ).letter
    for letter in (shown, hidden):
        actions.accept("test", letter)
        actions.reply("test", letter, text="请致电13812345678咨询。")
    with pytest.raises(actions.IllegalStep):
        actions.publish("test", hidden)  # no consent, no publication
    actions.publish("test", shown)
    page = Client().get("/mailbox/").content.decode()
    assert "不同意公开的来信" not in page
    detail = Client().get(f"/mailbox/{shown.pk}/").content.decode()
    for secret in ("王芳", "11010519491231002X", "13812345678"):
        assert secret not in detail and secret not in page
    assert Client().get(f"/mailbox/{hidden.pk}/").status_code == 404


def test_letters_from_one_address_are_throttled(cast: Cast, settings: Any) -> None:
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"apply": (2, 3600)}
    client = Client()
    answers = [write(client, letter_form(cast.tree.education.pk)).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert Letter.objects.count() == 2


def test_other_bodies_staff_and_supervisors_get_only_what_they_may(cast: Cast) -> None:
    tree = cast.tree
    letter = actions.submit(
        "test", tree.county_police, kind="consult", subject="户籍", text="t", phone="13900002222"
    ).letter
    page = f"/staff/mailbox/{letter.pk}/"
    assert signed_in(cast.li_ming).get(page).status_code == 403
    assert signed_in(cast.li_ming).post(page, {"action": "accept"}).status_code == 403
    assert signed_in(cast.outsider).get("/staff/mailbox/").status_code == 403
    assert Client().get(page).status_code == 302  # to the login page
    zhou_jian = signed_in(cast.zhou_jian)
    assert zhou_jian.get(page).status_code == 200
    assert zhou_jian.post(page, {"action": "accept"}).status_code == 403  # a supervisor reads, does not work
    pressed = zhou_jian.post(page, {"action": "supervise", "note": "请加快办理"})
    assert pressed.status_code == 302
    assert signed_in(cast.zhao_qiang).post(page, {"action": "supervise", "note": "x"}).status_code == 403
    assert letter.events.filter(kind="supervised", actor_label="supervisor").exists()
    assert "户籍" not in signed_in(cast.li_ming).get("/staff/mailbox/?view=all").content.decode()


def test_a_step_the_state_does_not_allow_is_refused_and_writes_nothing(cast: Cast) -> None:
    letter = actions.submit(
        "test", cast.tree.education, kind="consult", subject="s", text="t", phone="13900002222"
    ).letter
    li_ming = signed_in(cast.li_ming)
    before = AuditEntry.objects.count()
    response = li_ming.post(f"/staff/mailbox/{letter.pk}/", {"action": "transfer", "reason": ""})
    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.state == LetterState.SUBMITTED and AuditEntry.objects.count() == before
    with pytest.raises(actions.IllegalStep):
        actions.reply("test", letter, text="答复")  # not signed for yet


def test_the_body_is_found_by_search_without_javascript_and_nothing_is_stored(cast: Cast) -> None:
    """Issue 13 §1 with issue 12's form conventions: the 查找 button posts the form to the search, which answers
    with the matching bodies as choices and everything typed kept; no letter is stored until it is sent."""
    client = Client()
    typed = letter_form(cast.tree.education.pk, body=None, body_q="教育", subject="学校门口积水")
    response = client.post("/mailbox/write/body/", typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_body_{cast.tree.education.pk}"' in html  # offered as a choice
    assert f'id="id_body_{cast.tree.county_police.pk}"' not in html  # 公安 does not match 教育
    assert 'value="学校门口积水"' in html and 'class="field-error"' not in html
    assert not Letter.objects.exists()
    unchosen = client.post("/mailbox/write/", letter_form(cast.tree.education.pk, body=None))
    assert unchosen.status_code == 400 and "请查找并选择收信的机关" in unchosen.content.decode()
    assert not Letter.objects.exists()
