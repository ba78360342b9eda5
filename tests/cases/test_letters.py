"""Letters (告知书): every step and answer type, legal basis and remedies, DOCX and PDF with embedded CJK fonts,
stored unchanged once sent, delivery dates and the periods that run from them."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.audit.models import AuditEntry
from gongkai.cases import letters
from gongkai.cases import transitions as t
from gongkai.cases.models import InformationRequest, Letter
from gongkai.cases.outcomes import OUTCOMES
from tests.cases.builders import media, new_case  # noqa: F401 (media: a fixture)
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
D = dt.date


@pytest.mark.parametrize(
    "code",
    [
        o.code
        for o in OUTCOMES
        if o.regime == "2019"
        and not o.code.startswith("2019.other.no")
        and o.code not in {"2019.other.unpaid_fee", "2019.unable.unclear"}
    ],
)
def test_every_answer_type_has_a_letter_with_basis_and_remedies(
    tree: Tree, personas: Personas, code: str
) -> None:
    req = t.answer(personas.clerk, new_case(tree, personas), on=D(2026, 3, 20), outcome=code)
    content = letters.compose(req.events.get(kind="answered"))
    text = "".join(content.paragraphs)
    assert content.title == "政府信息公开申请答复书" and content.recipient == "陈七"
    assert "《中华人民共和国政府信息公开条例》第" in text and letters.ARTICLES_2019[code] in text
    assert "60日内向测试市人民政府申请行政复议" in content.remedies and "6个月内" in content.remedies


def test_each_step_has_its_letter(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas)
    req = t.request_supplement(personas.clerk, req, on=D(2026, 3, 10), note="请说明年度")
    req = t.receive_supplement(personas.clerk, req, on=D(2026, 3, 12))
    req = t.start_consultation(personas.clerk, req, on=D(2026, 3, 13), party="third_party", name="某置业公司")
    req = t.end_consultation(personas.clerk, req, on=D(2026, 3, 20), reply="同意")
    titles = {e.kind: letters.compose(e) for e in req.events.filter(kind__in=letters.LETTER_EVENTS)}
    assert titles["registered"].title == "政府信息公开申请登记回执"
    assert "请说明年度" in "".join(titles["supplement_requested"].paragraphs)
    assert titles["consultation_started"].recipient == "某置业公司"
    assert "第三十二条" in "".join(titles["consultation_started"].paragraphs)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_and_docx_carry_the_text_and_embed_cjk_fonts(tree: Tree, personas: Personas) -> None:
    req = t.answer(
        personas.clerk, new_case(tree, personas), on=D(2026, 3, 20), outcome="2019.partly_disclosed"
    )
    content = letters.compose(req.events.get(kind="answered"))
    pdf = letters.render_pdf(content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "政府信息公开申请答复书" in text and "陈七" in text and "行政复议" in text and "（盖章）" in text
    from docx import Document

    document = Document(io.BytesIO(letters.render_docx(content)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert (
        body.startswith("政府信息公开申请答复书") and "第三十七条" in body and "测试市教育局（盖章）" in body
    )


def test_pdffonts_shows_embedded_cjk(tree: Tree, personas: Personas, tmp_path: Path) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils is not installed")
    req = t.answer(personas.clerk, new_case(tree, personas), on=D(2026, 3, 20), outcome="2019.disclosed")
    path = tmp_path / "letter.pdf"
    path.write_bytes(letters.render_pdf(letters.compose(req.events.get(kind="answered"))))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # the "emb" column


def test_a_sent_letter_is_stored_and_never_changes(tree: Tree, personas: Personas) -> None:
    req = t.answer(personas.clerk, new_case(tree, personas), on=D(2026, 3, 20), outcome="2019.disclosed")
    event = req.events.get(kind="answered")
    letter = letters.send(personas.clerk, event, dispatched_on=D(2026, 3, 20))
    stored = letter.pdf.read()
    assert len(letter.checksum) == 64 and AuditEntry.objects.filter(action="letter.send").exists()
    with pytest.raises(ValueError, match="already sent"):
        letters.send(personas.clerk, event, dispatched_on=D(2026, 3, 21))
    InformationRequest.objects.filter(pk=req.pk).update(subject="改过的申请内容")
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    served = client.get(f"/staff/cases/{req.pk}/letters/{event.pk}.pdf")
    assert served.status_code == 200 and served.content == stored


def test_delivery_dates_and_periods_from_delivery(tree: Tree, personas: Personas) -> None:
    req = t.start_consultation(
        personas.clerk, new_case(tree, personas), on=D(2026, 3, 13), party="third_party", name="某公司"
    )
    letter = letters.send(
        personas.clerk, req.events.get(kind="consultation_started"), dispatched_on=D(2026, 3, 13)
    )
    with pytest.raises(ValidationError):
        letters.record_delivery(personas.clerk, letter, delivered_on=D(2026, 3, 12))
    letter = letters.record_delivery(personas.clerk, letter, delivered_on=D(2026, 3, 16))
    # The third party's 15 working days run from delivery (statutory-reference §1).
    assert letters.period_from_delivery(letter) == ("第三方答复期限", D(2026, 4, 7))
    assert Letter.objects.get().delivered_on == D(2026, 3, 16)


def test_letters_from_the_case_page(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas)
    event = req.events.get(kind="registered")
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    assert client.get(f"/staff/cases/{req.pk}/letters/{event.pk}.docx").status_code == 200
    response = client.post(f"/staff/cases/{req.pk}/letters/{event.pk}/send", {"on": "2026-03-09"})
    assert response.status_code == 302 and Letter.objects.filter(event=event).exists()
    page = client.get(f"/staff/cases/{req.pk}/").content.decode()
    assert "政府信息公开申请登记回执" in page and "2026-03-09发出" in page
    supervisor = Client()
    supervisor.login(username="supervisor", password=PASSWORD)
    assert (
        supervisor.post(
            f"/staff/cases/{req.pk}/letters/{event.pk}/delivered", {"on": "2026-03-10"}
        ).status_code
        == 403
    )
