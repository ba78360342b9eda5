"""作出答复 carries the answer's text, the documents provided and the legal basis (issue 12 §3): the 答复书 states
all three; a partial disclosure names the part withheld, why and the article (2019 art 37); documents are
checked like catalog attachments and served only to the handling body's staff."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import bases, letters
from gongkai.cases import transitions as t
from gongkai.cases.models import AnswerDocument, InformationRequest
from tests.cases.builders import media, new_case  # noqa: F401 (media: a fixture)
from tests.conftest import PASSWORD, Personas, Tree, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def partial(tree: Tree, personas: Personas, *files: SimpleUploadedFile) -> InformationRequest:
    return t.answer(
        personas.clerk,
        new_case(tree, personas),
        on=D(2026, 3, 20),
        outcome="2019.partly_disclosed",
        content=t.AnswerContent(
            text="现将2025年招生计划提供给您。\n其中招生人数按学校列示",
            withheld_part="学生家庭住址",
            withheld_ground="third_party",
            documents=files,
        ),
    )


def test_the_answer_letter_states_text_documents_withheld_part_and_basis(
    tree: Tree, personas: Personas
) -> None:
    req = partial(
        tree,
        personas,
        SimpleUploadedFile("招生计划.pdf", PDF),
        SimpleUploadedFile("../../学校名单.pdf", PDF + b"2"),
    )
    event = req.events.get(kind="answered")
    assert event.legal_basis == "《条例》第三十七条"
    assert [d.name for d in AnswerDocument.objects.filter(request=req)] == ["招生计划.pdf", "学校名单.pdf"]
    text = "\n".join(letters.compose(event).paragraphs)
    assert "现将2025年招生计划提供给您。\n其中招生人数按学校列示。" in text
    assert "其中，学生家庭住址不予公开" in text and "《中华人民共和国政府信息公开条例》第十五条" in text
    assert "1. 招生计划.pdf；2. 学校名单.pdf" in text
    assert "依据：《中华人民共和国政府信息公开条例》第三十七条。" in text
    from docx import Document

    body = "\n".join(
        p.text for p in Document(io.BytesIO(letters.render_docx(letters.compose(event)))).paragraphs
    )
    assert "学校名单.pdf" in body and "第三十七条" in body and "学生家庭住址" in body
    assert AuditEntry.objects.filter(action="case.answer_document").count() == 2


def test_the_basis_is_one_that_fits_the_outcome(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas)
    with pytest.raises(ValidationError) as refused:
        t.answer(
            personas.clerk,
            req,
            on=D(2026, 3, 20),
            outcome="2019.disclosed",
            content=t.AnswerContent(basis="《条例》第三十八条"),
        )
    assert "basis" in refused.value.message_dict
    chosen = "《条例》第三十六条第（五）项"
    assert chosen in bases.choices("2019.unable.not_held")
    req = t.answer(
        personas.clerk,
        req,
        on=D(2026, 3, 20),
        outcome="2019.unable.not_held",
        content=t.AnswerContent(basis=chosen),
    )
    text = "".join(letters.compose(req.events.get(kind="answered")).paragraphs)
    assert "依据：《中华人民共和国政府信息公开条例》第三十六条第（五）项。" in text


def test_a_partial_disclosure_with_a_text_must_say_what_is_withheld_and_why(
    tree: Tree, personas: Personas
) -> None:
    req = new_case(tree, personas)
    with pytest.raises(ValidationError) as refused:
        t.answer(
            personas.clerk,
            req,
            on=D(2026, 3, 20),
            outcome="2019.partly_disclosed",
            content=t.AnswerContent(text="部分提供"),
        )
    assert "withheld_ground" in refused.value.message_dict
    with pytest.raises(ValidationError):  # a full disclosure has no withheld part
        t.answer(
            personas.clerk,
            req,
            on=D(2026, 3, 20),
            outcome="2019.disclosed",
            content=t.AnswerContent(withheld_part="住址", withheld_ground="third_party"),
        )
    assert InformationRequest.objects.get(pk=req.pk).state == "received"


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("setup.exe", b"MZ\x90\x00", "类型不允许"),
        ("fake.pdf", b"<html>not a pdf</html>", "内容与扩展名"),
        ("empty.pdf", b"", "空文件"),
        ("big.pdf", PDF + b"0" * (1024 * 1024), "超过大小上限1MB"),
    ],
)
def test_documents_are_checked_and_nothing_is_stored_when_one_is_refused(
    tree: Tree,
    personas: Personas,
    settings,
    name: str,
    data: bytes,
    why: str,  # type: ignore[no-untyped-def]
) -> None:
    settings.GONGKAI_ATTACHMENT_MAX_MB = 1
    req = new_case(tree, personas)
    with pytest.raises(ValidationError, match=why):
        t.answer(
            personas.clerk,
            req,
            on=D(2026, 3, 20),
            outcome="2019.disclosed",
            content=t.AnswerContent(
                text="现提供", documents=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile(name, data)]
            ),
        )
    req.refresh_from_db()
    assert req.state == "received" and not AnswerDocument.objects.exists()
    assert not req.events.filter(kind="answered").exists()


def test_the_answer_form_on_the_case_page_takes_text_basis_and_files(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas)
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    url = f"/staff/cases/{req.pk}/"
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "《条例》第三十六条第（二）项" in page
    post = {"action": "answer", "answer-on": "2026-03-20", "answer-outcome": "2019.partly_disclosed"}
    missing = client.post(url, post | {"answer-text": "部分提供"}).content.decode()
    assert "部分公开须选择不予公开部分的理由" in missing and "部分公开须写明不予公开的部分" in missing
    wrong = client.post(url, post | {"answer-basis": "《条例》第三十八条"}).content.decode()
    assert "不是该办理结果的依据" in wrong
    response = client.post(
        url,
        post
        | {
            "answer-text": "现提供招生计划。",
            "answer-withheld_part": "学生家庭住址",
            "answer-withheld_ground": "third_party",
            "answer-documents": [SimpleUploadedFile("招生计划.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.outcome == "2019.partly_disclosed"
    doc = AnswerDocument.objects.get(request=req)
    page = client.get(url).content.decode()
    assert "招生计划.pdf" in page and f"/staff/cases/{req.pk}/documents/{doc.pk}" in page


def test_documents_are_served_only_to_the_handling_bodys_staff(tree: Tree, personas: Personas) -> None:
    req = partial(tree, personas, SimpleUploadedFile("招生计划.pdf", PDF))
    doc = AnswerDocument.objects.get()
    assert not doc.file.name.startswith("/") and doc.file.name.startswith(f"answers/{req.pk}/")
    url = f"/staff/cases/{req.pk}/documents/{doc.pk}"
    make_user("city-supervisor", tree.office, "supervisor", supervises=tree.city)
    expected = {"clerk": 200, "reviewer": 200, "city-supervisor": 403, "supervisor": 403, "outsider": 403}
    for username, status in expected.items():
        client = Client()
        client.login(username=username, password=PASSWORD)
        response = client.get(url)
        assert response.status_code == status, username
        if status == 200:
            assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
            assert "attachment" in response["Content-Disposition"]
    assert Client().get(url).status_code == 302  # to the sign-in page
    other = partial(tree, personas, SimpleUploadedFile("另一份.pdf", PDF))
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    assert client.get(f"/staff/cases/{other.pk}/documents/{doc.pk}").status_code == 404
