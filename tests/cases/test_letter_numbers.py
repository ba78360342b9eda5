"""Letter numbers (文号) from a per-body, per-year template, allocated when a letter is sent and never reused; the
confirmation step before sending (issue 12 §3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import letters, numbering
from gongkai.cases import transitions as t
from gongkai.cases.models import InformationRequest, Letter, LetterNumbering
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


MARCH_9 = D(2026, 3, 9)


def registered(tree: Tree, personas: Personas, day: dt.date = MARCH_9) -> InformationRequest:
    return t.register(
        personas.clerk,
        tree.education,
        received=day,
        channel="letter",
        applicant_kind="natural",
        subject="招生计划",
    )


def send_receipt(personas: Personas, req: InformationRequest) -> Letter:
    return letters.send(personas.clerk, req.events.get(kind="registered"), dispatched_on=req.receipt_date)


def test_numbers_follow_the_default_template_in_sequence_per_body_and_year(
    tree: Tree, personas: Personas
) -> None:
    first = send_receipt(personas, registered(tree, personas))
    second = send_receipt(personas, registered(tree, personas))
    assert (first.number, second.number) == ("市教育局依申〔2026〕1号", "市教育局依申〔2026〕2号")
    assert (first.sequence, second.sequence) == (1, 2)
    next_year = send_receipt(personas, registered(tree, personas, D(2025, 12, 1)))
    assert next_year.number == "市教育局依申〔2025〕1号"  # the year of the letter's date
    other_body = t.register(
        personas.office_head,
        tree.city,
        received=D(2026, 3, 9),
        channel="letter",
        applicant_kind="natural",
        subject="s",
    )
    sent = letters.send(
        personas.office_head, other_body.events.get(kind="registered"), dispatched_on=D(2026, 3, 9)
    )
    assert sent.number == "测试市依申〔2026〕1号"
    audit = AuditEntry.objects.filter(action="letter.send").order_by("id").first()
    assert audit is not None and audit.after["number"] == "市教育局依申〔2026〕1号"


def test_the_number_is_on_the_stored_letter_and_the_draft_is_marked(tree: Tree, personas: Personas) -> None:
    req = registered(tree, personas)
    event = req.events.get(kind="registered")
    assert letters.compose(event).number == "市教育局依申〔2026〕1号（草稿，发出时编号）"
    sent = letters.send(personas.clerk, event, dispatched_on=D(2026, 3, 9))
    assert letters.compose(event).number == sent.number
    from docx import Document

    with sent.docx.open("rb") as handle:
        assert "市教育局依申〔2026〕1号" in [p.text for p in Document(handle).paragraphs]


def test_a_template_edit_is_audited_and_the_sequence_goes_on(tree: Tree, personas: Personas) -> None:
    send_receipt(personas, registered(tree, personas))
    numbering.set_template(personas.clerk, tree.education, 2026, "测教公开〔{year}〕第{seq}号")
    sent = send_receipt(personas, registered(tree, personas))
    assert sent.number == "测教公开〔2026〕第2号"
    entry = AuditEntry.objects.get(action="letter_numbering.template")
    assert (
        entry.before["template"] == numbering.DEFAULT_TEMPLATE
        and entry.after["template"] == "测教公开〔{year}〕第{seq}号"
    )
    # A new year starts at 1 with the latest template the body used.
    assert numbering.preview(tree.education, 2027) == "测教公开〔2027〕第1号"


@pytest.mark.parametrize(
    "template",
    [
        "{机关代字}〔{year}〕号",
        "{机关代字}{seq}号",
        "{seq.__class__}{year}",
        "{seq:>99}{year}",
        "{body}{seq}{year}",
        "{seq}{year",
    ],
)
def test_a_bad_template_is_refused(tree: Tree, personas: Personas, template: str) -> None:
    with pytest.raises(ValidationError) as refused:
        numbering.set_template(personas.clerk, tree.education, 2026, template)
    assert "template" in refused.value.message_dict
    assert not LetterNumbering.objects.exists()


def test_a_number_is_never_given_twice(tree: Tree, personas: Personas) -> None:
    first = send_receipt(personas, registered(tree, personas))
    with pytest.raises(ValueError, match="already sent"):
        letters.send(personas.clerk, first.event, dispatched_on=D(2026, 3, 10))
    row = LetterNumbering.objects.get(body=tree.education, year=2026)
    assert row.next_sequence == 2  # the refused send took nothing (its transaction rolled back)
    second = registered(tree, personas).events.get(kind="registered")
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            request=second.request,
            event=second,
            sent_at=first.sent_at,
            dispatched_on=D(2026, 3, 9),
            checksum="0" * 64,
            number=first.number,
            numbering=row,
            sequence=first.sequence,
        )


def test_sending_asks_for_confirmation_with_preview_and_number(tree: Tree, personas: Personas) -> None:
    req = registered(tree, personas)
    event = req.events.get(kind="registered")
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    case_page = client.get(f"/staff/cases/{req.pk}/").content.decode()
    confirm_url = f"/staff/cases/{req.pk}/letters/{event.pk}/send"
    assert f'href="{confirm_url}"' in case_page and "发出并存档</button>" not in case_page
    page = client.get(confirm_url)
    text = page.content.decode()
    assert page.status_code == 200 and "确认发出告知书" in text and "市教育局依申〔2026〕1号" in text
    assert "政府信息公开申请登记回执" in text and 'method="post"' in text
    assert not Letter.objects.exists()  # looking is not sending
    response = client.post(confirm_url, {"on": "2026-03-09"}, follow=True)
    assert "告知书已发出并存档。文号：市教育局依申〔2026〕1号。" in response.content.decode()
    assert client.get(confirm_url).status_code == 302  # already sent: back to the case
    assert client.get(f"/staff/cases/{req.pk}/letters/{event.pk}/delivered").status_code == 405
    supervisor = Client()
    supervisor.login(username="supervisor", password=PASSWORD)
    assert supervisor.get(confirm_url).status_code == 403


def test_the_numbering_page_edits_the_template_for_the_bodys_staff(tree: Tree, personas: Personas) -> None:
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    page = client.get("/staff/cases/numbering/").content.decode()
    assert "市教育局依申〔" in page and "{机关代字}依申〔{year}〕{seq}号" in page
    bad = client.post(
        "/staff/cases/numbering/", {"year": "2026", "template": "{机关代字}号"}
    ).content.decode()
    assert "须包含{year}和{seq}" in bad
    response = client.post(
        "/staff/cases/numbering/", {"year": "2026", "template": "测教依申〔{year}〕{seq}号"}
    )
    assert response.status_code == 302
    assert numbering.preview(tree.education, 2026) == "测教依申〔2026〕1号"
    for username in ("supervisor", "outsider"):
        other = Client()
        other.login(username=username, password=PASSWORD)
        assert other.get("/staff/cases/numbering/").status_code == 403
