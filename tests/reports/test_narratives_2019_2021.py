"""Section texts of the 2019 trial and 2021 formats (statutory-reference §3.2/§3.3): defaults generated from the
numbers through placeholders (no hand-typed digits, §3.4 rule 7), the 2021 section 六 fee statement bound to
the fee statistics, the ``{if}`` conditional, and the staff editor for every section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from gongkai.cases.models import FeeCollected
from gongkai.catalog.figures import save_proactive_figures
from gongkai.organisations.models import Organisation
from gongkai.reports.build import build_report
from gongkai.reports.document import narrative_sections
from gongkai.reports.formats import sections
from gongkai.reports.narrative import NarrativeError, default_text, render, validate_template
from gongkai.reports.narrative_checks import hand_typed_numbers
from gongkai.reports.registry import REGISTRY, Context, Scope, format_value
from tests.conftest import PASSWORD, Personas, Tree

pytestmark = pytest.mark.django_db


def section_text(org: Organisation, year: int, fmt: str, number: int, scope: Scope = Scope.SUBTREE) -> str:
    report = build_report(org, year, fmt, scope)
    return "\n".join(narrative_sections(report)[number - 1].paragraphs)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_section_has_a_default_bound_to_the_registry_without_typed_digits(tree: Tree, fmt: str) -> None:
    for org in (tree.city, tree.education):
        for number in range(1, len(sections(fmt)) + 1):
            text = default_text(fmt, number, org)
            assert text, f"{fmt} section {number} has no default"
            validate_template(text)
            assert hand_typed_numbers(text) == [], (fmt, number)


@pytest.mark.parametrize(("fmt", "year"), [("2019", 2020), ("2021", 2024)])
def test_section_one_prints_the_table_values(tree: Tree, fmt: str, year: int) -> None:
    save_proactive_figures("test", tree.education, year, licensing_items=4, licensing_decisions=17)
    report = build_report(tree.city, year, fmt)
    shown = report.displays()
    text = "\n".join(narrative_sections(report)[0].paragraphs)
    assert (
        f"公开行政许可处理决定{shown['t2.licensing.decisions']}件" in text
        and shown["t2.licensing.decisions"] == "17"
    )
    assert f"本年新收政府信息公开申请{shown['t3.new.6']}件" in text
    assert f"行政复议{shown['t4.review.total']}件" in text
    for heading in (
        "（一）主动公开",
        "（二）依申请公开",
        "（三）政府信息管理",
        "（四）平台建设",
        "（五）监督保障",
    ):
        assert heading in text
    assert "{" not in text and text.startswith(f"{year}年，测试市人民政府")
    assert "全市" in text and "本机关" in section_text(tree.education, year, fmt, 1)


def test_the_2021_fee_statement_follows_the_fees_collected(tree: Tree) -> None:
    assert "本年度全市未收取信息处理费" in section_text(tree.city, 2024, "2021", 6)
    FeeCollected.objects.create(
        body=tree.county_police, amount_yuan=Decimal("3000"), collected_on=dt.date(2024, 5, 6)
    )
    FeeCollected.objects.create(
        body=tree.county, amount_yuan=Decimal("200.50"), collected_on=dt.date(2024, 12, 31)
    )
    FeeCollected.objects.create(
        body=tree.county, amount_yuan=Decimal("999"), collected_on=dt.date(2025, 1, 1)
    )

    ctx = Context(tree.city, 2024, Scope.SUBTREE)
    assert (ctx.value("fees.records"), ctx.value("fees.requests")) == (2, 0)
    amount = format_value(REGISTRY["fees.amount"], ctx.value("fees.amount"))
    assert amount == "0.32005"  # 3200.50 yuan in 万元, exact to the fen
    text = section_text(tree.city, 2024, "2021", 6)
    assert f"本年度全市收取信息处理费2笔，共计{amount}万元" in text and "未收取" not in text
    # Own scope of a body without fees; the 2019 trial format states no fee at all.
    assert "本机关未收取信息处理费" in section_text(tree.education, 2024, "2021", 6, Scope.OWN)
    assert "信息处理费" not in section_text(tree.city, 2020, "2019", 6)


def test_the_conditional_syntax_is_checked_and_rendered(tree: Tree) -> None:
    for bad, why in [
        ("{if fees.amount}收费", "{endif}"),
        ("{else}无{endif}", "{else}"),
        ("{if fees.amount}{if fees.records}x{endif}{endif}", "嵌套"),
        ("{if no.such.key}x{endif}", "no.such.key"),
    ]:
        with pytest.raises(NarrativeError) as err:
            validate_template(bad)
        assert why in " ".join(err.value.messages), bad
    template = "{if t3.new.6}收到{t3.new.6}件{else}未收到申请{endif}。"
    assert render(template, {"t3.new.6": "0"}, tree.city, 2024, Scope.SUBTREE) == "未收到申请。"
    assert render(template, {"t3.new.6": "5"}, tree.city, 2024, Scope.SUBTREE) == "收到5件。"
    assert render("{if t3.new.6}有{endif}。", {"t3.new.6": "0"}, tree.city, 2024, Scope.SUBTREE) == "。"


def test_the_staff_editor_works_for_every_section_of_2021(
    client: Client, tree: Tree, personas: Personas
) -> None:
    assert client.login(username=personas.office_head.username, password=PASSWORD)
    base = f"/staff/reports/{tree.city.org_code}/2024/sections/"
    for number in range(1, 7):
        page = client.get(f"{base}{number}/")
        assert page.status_code == 200 and sections("2021")[number - 1] in page.content.decode()
    editor = client.get(f"{base}6/").content.decode()
    assert (
        "{fees.amount}" in editor and "本年处理决定数量" in editor
    )  # cell-less and table placeholders listed
    text = "{if fees.amount}本年度收取信息处理费{fees.amount}万元。{else}本年度{area}未收取任何信息处理费。{endif}"
    assert client.post(f"{base}6/", {"text": text}).status_code == 302
    assert (
        "本年度全市未收取任何信息处理费。"
        in client.get(f"/staff/reports/{tree.city.org_code}/2024/").content.decode()
    )
    refused = client.post(f"{base}6/", {"text": "{if fees.amount}没有结束"})
    assert refused.status_code == 200 and "{endif}" in refused.content.decode()


def test_hand_typed_digits_get_a_warning_when_saved_and_in_the_editor(
    client: Client, tree: Tree, personas: Personas
) -> None:
    """Statutory-reference §3.4 rule 7: numbers typed into the text can disagree with the tables."""
    assert client.login(username=personas.office_head.username, password=PASSWORD)
    url = f"/staff/reports/{tree.city.org_code}/2024/sections/5/"
    saved = client.post(
        url, {"text": "本年度共办理申请37件，{area}将继续改进。"}, follow=True
    ).content.decode()
    assert "手工输入的数字：37" in saved
    assert "手工输入的数字" in client.get(url).content.decode() and "37" in client.get(url).content.decode()
    clean = client.post(url, {"text": "本年度共办理申请{t3.total.6}件。"}, follow=True).content.decode()
    assert "手工输入的数字" not in clean and "手工输入的数字" not in client.get(url).content.decode()


@pytest.mark.parametrize(("fmt", "year"), [("2019", 2020), ("2021", 2024)])
def test_section_four_states_the_engagement_of_the_year_from_its_records(
    tree: Tree, personas: Personas, fmt: str, year: int
) -> None:
    """Issue 13 §7: the engagement part of the narrative comes from the mailbox, hotline and response records
    through the registry; a kind of work with no records that year is left out rather than stated as 0."""
    from gongkai.engagement import actions as engagement
    from gongkai.engagement.models import ResponseKind
    from gongkai.mailbox.actions import LetterRow, bulk_create_letters

    quiet = section_text(tree.education, year, fmt, 1, Scope.OWN)
    assert "领导信箱" not in quiet and "新闻发布会" not in quiet and "热线" not in quiet

    day = dt.date(year, 3, 2)
    rows = [LetterRow(tree.education.pk, day, day + dt.timedelta(days=3)) for _ in range(3)]
    bulk_create_letters("test", [*rows, LetterRow(tree.education.pk, day)], "测试来信")
    event = engagement.record_event(personas.clerk, tree.education, title="学位安排", noticed_on=day)
    engagement.record_response(
        personas.clerk, kind=ResponseKind.PRESS_CONFERENCE, held_on=day, event=event, title="招生发布会"
    )
    text = section_text(tree.education, year, fmt, 1, Scope.OWN)
    ctx = Context(org=tree.education, year=year, scope=Scope.OWN)
    assert (ctx.value("l.mailbox.letters"), ctx.value("l.mailbox.replied")) == (4, 3)
    assert "领导信箱收到来信4件，已回复3件，办复率75.00%。" in text
    assert (
        f"回应公众关注热点或重大舆情{ctx.value('r14.events')}件次，参加或举办新闻发布会1次、在线访谈0次。"
        in text
    )
    assert ctx.value("r14.events") == 1
    assert "热线" not in text  # no hotline tickets this year
