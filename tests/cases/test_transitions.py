"""The case workflow (gongkai.cases.transitions): every step checked, evented, clocked and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.cases import transitions as t
from gongkai.cases.clock import deadline_for
from gongkai.cases.models import CaseEvent, CaseEventKind, CaseState, InformationRequest
from gongkai.workdays import actions as calendar_actions
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


def new_case(tree: Tree, personas: Personas, received: dt.date) -> InformationRequest:
    return t.register(
        personas.clerk,
        tree.education,
        received=received,
        channel="online",
        applicant_kind="natural",
        subject="申请公开2025年招生计划",
    )


def test_register_records_the_receipt_and_the_clock(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 3, 7))  # a Saturday: received on Monday (art 31 practice)
    assert (req.state, req.regime, req.receipt_date, req.due_date) == (
        "received",
        "2019",
        D(2026, 3, 9),
        D(2026, 4, 7),
    )
    event = req.events.get()
    assert (event.kind, event.actor_label, event.to_state) == ("registered", "clerk", "received")
    assert AuditEntry.objects.for_object(req).filter(action="case.registered").exists()


def test_third_party_consultation_pauses_the_clock(tree: Tree, personas: Personas) -> None:
    # statutory-reference §1: received 2026-02-13, third party consulted 03-02 to 03-06 → due 03-26
    req = new_case(tree, personas, D(2026, 2, 13))
    assert req.due_date == D(2026, 3, 19)
    req = t.start_consultation(personas.clerk, req, on=D(2026, 3, 2), party="third_party", name="某公司")
    assert req.state == CaseState.CONSULTING
    assert req.events.get(kind="consultation_started").data["reply_by"] == "2026-03-23"  # 15 working days
    req = t.end_consultation(personas.clerk, req, on=D(2026, 3, 6), reply="不同意公开")
    assert (req.state, req.due_date) == (CaseState.RECEIVED, D(2026, 3, 26))
    assert any("2026-03-02" in line for line in deadline_for(req).explanation)


def test_a_running_consultation_moves_the_due_date_every_day(tree: Tree, personas: Personas) -> None:
    with time_machine.travel(
        dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        req = new_case(tree, personas, D(2026, 2, 13))
        req = t.start_consultation(personas.clerk, req, on=D(2026, 3, 2), party="other_body", name="市公安局")
        assert req.due_date == D(2026, 3, 20)  # one working day paused so far
    with time_machine.travel(
        dt.datetime(2026, 3, 6, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        assert t.refresh_open_cases() == 1
        req.refresh_from_db()
        assert req.due_date == D(2026, 3, 26)
        assert AuditEntry.objects.filter(action="case.refresh_deadlines").last().batch_size == 1  # type: ignore[union-attr]


def test_supplement_restarts_the_period(tree: Tree, personas: Personas) -> None:
    # statutory-reference §1: received 2026-03-09, supplement received 2026-03-20 → due 2026-04-20
    req = new_case(tree, personas, D(2026, 3, 9))
    req = t.request_supplement(personas.clerk, req, on=D(2026, 3, 11), note="请说明所需信息的年度")
    assert req.state == CaseState.AWAITING_SUPPLEMENT
    assert req.events.get(kind="supplement_requested").data["late"] is False
    req = t.receive_supplement(personas.clerk, req, on=D(2026, 3, 20))
    assert (req.state, req.due_date) == (CaseState.RECEIVED, D(2026, 4, 20))
    with pytest.raises(t.IllegalTransition, match="一次性"):
        t.request_supplement(personas.clerk, req, on=D(2026, 3, 23), note="again")


def test_a_late_supplement_notice_is_recorded_as_late(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 3, 9))
    req = t.request_supplement(personas.clerk, req, on=D(2026, 3, 19), note="x")  # 8th working day
    assert req.events.get(kind="supplement_requested").data == {
        "note": "x",
        "notice_limit": "2026-03-18",
        "late": True,
    }


def test_no_supplement_means_abandoned_and_counts_in_table_3(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 3, 9))
    req = t.request_supplement(personas.clerk, req, on=D(2026, 3, 10), note="x")
    req = t.abandon(personas.clerk, req, on=D(2026, 4, 30), reason="逾期未补正")
    assert (req.state, req.outcome, req.answered_on) == (
        "abandoned",
        "2019.other.no_supplement",
        D(2026, 4, 30),
    )
    # Answering an abandoned case is refused with the reason, and nothing is written.
    events, audits = CaseEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(t.IllegalTransition, match="视为放弃"):
        t.answer(personas.clerk, req, on=D(2026, 5, 6), outcome="2019.disclosed")
    assert (CaseEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)


def test_extension_needs_the_office_head_and_stays_within_the_maximum(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 2, 13))
    with pytest.raises(PermissionDenied):
        t.extend(
            personas.clerk, req, on=D(2026, 3, 10), days=20, reason="需调取档案", approved_by=personas.clerk
        )
    edu_head = personas.reviewer
    edu_head.staff_profile.role = "office_head"  # type: ignore[attr-defined]
    edu_head.staff_profile.save()  # type: ignore[attr-defined]
    req = t.extend(personas.clerk, req, on=D(2026, 3, 10), days=15, reason="需调取档案", approved_by=edu_head)
    assert req.extended_due_date == D(2026, 4, 10)
    with pytest.raises(ValidationError, match="20"):
        t.extend(personas.clerk, req, on=D(2026, 3, 12), days=6, reason="再延", approved_by=edu_head)
    req = t.extend(personas.clerk, req, on=D(2026, 3, 12), days=5, reason="再延", approved_by=edu_head)
    assert (req.extension_days, req.extended_due_date) == (
        20,
        D(2026, 4, 17),
    )  # the worked example's full extension
    assert req.events.filter(kind="extended").first().data["approved_by"] == "reviewer"  # type: ignore[union-attr]


def test_answer_checks_the_regime_and_a_late_answer_is_marked_overdue(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 2, 13))
    with pytest.raises(ValidationError) as err:
        t.answer(personas.clerk, req, on=D(2026, 3, 2), outcome="2008.disclosed")
    assert "outcome" in err.value.message_dict
    req = t.answer(personas.clerk, req, on=D(2026, 3, 20), outcome="2019.partly_disclosed")
    assert (req.state, req.answered_on) == ("answered", D(2026, 3, 20))
    assert req.events.get(kind="answered").data["overdue"] is True
    assert InformationRequest.objects.overdue_on(D(2026, 4, 1)).filter(pk=req.pk).exists()


def test_2008_cases_have_no_supplement_step_but_a_supplement_answer(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2018, 9, 28))
    assert (req.regime, req.due_date) == ("2008", D(2018, 10, 24))
    with pytest.raises(t.IllegalTransition, match="2008"):
        t.request_supplement(personas.clerk, req, on=D(2018, 10, 8), note="x")
    req = t.answer(personas.clerk, req, on=D(2018, 10, 8), outcome="2008.told_supplement")
    assert req.state == "answered"


def test_close_reopen_and_answer_again(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 2, 13))
    req = t.answer(personas.clerk, req, on=D(2026, 3, 2), outcome="2019.refused.third_party")
    req = t.close(personas.clerk, req, on=D(2026, 3, 5))
    with pytest.raises(ValidationError):
        t.reopen(personas.clerk, req, on=D(2026, 4, 20), reason=" ")
    req = t.reopen(personas.clerk, req, on=D(2026, 4, 20), reason="复议决定责令重新答复")
    assert (req.state, req.outcome, req.answered_on) == ("received", "", None)
    req = t.answer(personas.clerk, req, on=D(2026, 4, 27), outcome="2019.partly_disclosed")
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds == ["registered", "answered", "closed", "reopened", "answered"]
    assert req.events.get(kind="reopened").data["previous_outcome"] == "2019.refused.third_party"


def test_fee_wait_pauses_the_clock_and_an_unpaid_fee_abandons(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 2, 13))
    with pytest.raises(t.IllegalTransition):
        t.receive_fee(personas.clerk, req, on=D(2026, 3, 2))
    req = t.notify_fee(personas.clerk, req, on=D(2026, 3, 2), amount_yuan="3000")
    assert req.events.get(kind="fee_notified").data["pay_by"] == "2026-03-30"
    req = t.receive_fee(personas.clerk, req, on=D(2026, 3, 6))
    assert req.due_date == D(2026, 3, 26)  # paused like a consultation (GONGKAI_FEE_WAIT_PAUSES default)
    other = new_case(tree, personas, D(2026, 2, 13))
    other = t.notify_fee(personas.clerk, other, on=D(2026, 3, 2), amount_yuan="100")
    other = t.abandon(personas.clerk, other, on=D(2026, 3, 31))
    assert other.outcome == "2019.other.unpaid_fee"


@time_machine.travel(dt.datetime(2026, 12, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_entering_next_years_schedule_recomputes_open_cases(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    # statutory-reference §1: received 2026-12-15 runs into 2027, which has no official schedule yet.
    req = new_case(tree, personas, D(2026, 12, 15))
    assert req.provisional and req.due_date == D(2027, 1, 12)  # Monday to Friday assumed for 2027
    with django_capture_on_commit_callbacks(execute=True):  # the change is announced when it commits
        calendar_actions.set_day("admin", D(2027, 1, 1), False, "元旦")
        calendar_actions.set_day("admin", D(2027, 1, 4), False, "元旦调休（示例）")
        calendar_actions.mark_year_official("admin", 2027, "测试")
    req.refresh_from_db()
    assert not req.provisional and req.due_date == D(2027, 1, 14)
    assert AuditEntry.objects.filter(action="case.refresh_deadlines").exists()


def test_bad_dates_are_refused_with_the_field(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2026, 3, 9))
    with pytest.raises(ValidationError) as err:
        t.start_consultation(personas.clerk, req, on=D(2026, 3, 1), party="third_party", name="x")
    assert "on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        t.start_consultation(personas.clerk, req, on=D(2026, 3, 10), party="neighbour", name="x")
    assert "party" in err.value.message_dict
    assert list(req.events.values_list("kind", flat=True)) == [CaseEventKind.REGISTERED]


def test_case_events_are_append_only(tree: Tree, personas: Personas) -> None:
    from gongkai.audit.models import AppendOnlyError

    event = new_case(tree, personas, D(2026, 3, 9)).events.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().delete()


def test_reopening_gives_a_new_period_and_never_rewrites_an_earlier_year(
    tree: Tree, personas: Personas
) -> None:
    from gongkai.reports.stats_requests import CARRIED_OUT, T3, TOTAL
    from gongkai.reports.validation import table_values

    req = new_case(tree, personas, D(2025, 9, 1))
    req = t.answer(personas.clerk, req, on=D(2025, 9, 20), outcome="2019.refused.third_party")
    before = table_values(tree.education, 2025, "2021", T3)
    # Same year: the case itself is reopened, with a full period from the reopen date.
    same = t.reopen(personas.clerk, req, on=D(2025, 10, 13), reason="复议决定责令重新答复")
    assert (same.pk, same.state, same.due_date) == (req.pk, "received", D(2025, 11, 10))
    same = t.answer(personas.clerk, same, on=D(2025, 10, 20), outcome="2019.partly_disclosed")
    # After the year has ended: a new case, linked, and 2025's figures stay as they were.
    new = t.reopen(personas.clerk, same, on=D(2026, 3, 2), reason="诉讼判决责令重新答复")
    assert new.pk != req.pk and new.receipt_date == D(2026, 3, 2) and new.due_date == D(2026, 3, 30)
    assert new.events.get(kind="registered").data["reopens"] == req.pk
    after = table_values(tree.education, 2025, "2021", T3)
    assert after[(TOTAL, "总计")] == before[(TOTAL, "总计")] == 1 and after[(CARRIED_OUT, "总计")] == 0
    req.refresh_from_db()
    assert (req.state, req.outcome) == ("answered", "2019.partly_disclosed")


def test_a_pause_inside_the_extension_pushes_the_extended_date(tree: Tree, personas: Personas) -> None:
    head = personas.reviewer
    head.staff_profile.role = "office_head"  # type: ignore[attr-defined]
    head.staff_profile.save()  # type: ignore[attr-defined]
    req = new_case(tree, personas, D(2026, 3, 9))
    req = t.extend(personas.clerk, req, on=D(2026, 4, 1), days=20, reason="需调取档案", approved_by=head)
    assert req.extended_due_date == D(2026, 5, 8)
    req = t.start_consultation(personas.clerk, req, on=D(2026, 4, 13), party="third_party", name="某公司")
    req = t.end_consultation(personas.clerk, req, on=D(2026, 4, 24), reply="同意")
    assert (req.due_date, req.extended_due_date) == (D(2026, 4, 7), D(2026, 5, 21))


def test_consulting_another_body_does_not_stop_the_2008_clock(tree: Tree, personas: Personas) -> None:
    req = new_case(tree, personas, D(2018, 9, 28))
    req = t.start_consultation(personas.clerk, req, on=D(2018, 10, 8), party="other_body", name="市公安局")
    req = t.end_consultation(personas.clerk, req, on=D(2018, 10, 12), reply="x")
    assert req.due_date == D(2018, 10, 24)  # 2008 art 24: only third-party consultation is excluded
