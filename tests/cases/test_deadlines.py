"""Reply deadlines (statutory-reference §1): worked examples, pauses, supplements, receipt rules, errors."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gongkai.cases.deadlines import (
    AppliedPause,
    DeadlineInputError,
    compute_deadline,
    merge_pauses,
    receipt_date,
)
from gongkai.cases.regimes import REGIME_2008, REGIME_2019, get_regime, regime_for
from gongkai.workdays.calendar import SpecialDay, WorkCalendar, get_calendar

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


# statutory-reference §1 "Worked examples": received → receipt → due → extended (full extension).
@pytest.mark.parametrize(
    ("received", "regime", "receipt", "due", "extended"),
    [
        pytest.param(
            D(2026, 2, 13), "2019", D(2026, 2, 13), D(2026, 3, 19), D(2026, 4, 17), id="spring-festival-2026"
        ),
        pytest.param(D(2026, 3, 7), "2019", D(2026, 3, 9), D(2026, 4, 7), D(2026, 5, 8), id="saturday"),
        pytest.param(
            D(2020, 1, 22), "2019", D(2020, 1, 22), D(2020, 2, 27), D(2020, 3, 26), id="extended-sf-2020"
        ),
        pytest.param(D(2025, 4, 30), "2019", D(2025, 4, 30), D(2025, 6, 3), D(2025, 7, 1), id="may-day-2025"),
        pytest.param(
            D(2023, 12, 29), "2019", D(2023, 12, 29), D(2024, 1, 29), D(2024, 2, 29), id="year-end-leap"
        ),
        pytest.param(
            D(2018, 9, 28), "2008", D(2018, 9, 28), D(2018, 10, 24), D(2018, 11, 14), id="2008-national-day"
        ),
        pytest.param(
            D(2019, 5, 14), "2008", D(2019, 5, 14), D(2019, 6, 4), D(2019, 6, 26), id="2008-last-day"
        ),
        pytest.param(
            D(2019, 5, 15), "2019", D(2019, 5, 15), D(2019, 6, 13), D(2019, 7, 11), id="2019-first-day"
        ),
    ],
)
def test_worked_examples(received, regime, receipt, due, extended):
    result = compute_deadline(received)
    assert (result.regime, result.receipt_date, result.due_date, result.extended_due_date) == (
        regime,
        receipt,
        due,
        extended,
    )
    assert not result.provisional


def test_worked_example_pause():
    result = compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 3, 2), D(2026, 3, 6))])
    assert result.due_date == D(2026, 3, 26)
    assert result.pauses_applied == (AppliedPause(D(2026, 3, 2), D(2026, 3, 6), 5),)
    assert any("扣除 5 个工作日" in line for line in result.explanation)


def test_worked_example_supplement():
    result = compute_deadline(D(2026, 3, 9), supplemented=D(2026, 3, 20))
    assert result.due_date == D(2026, 4, 20)
    assert result.count_start == D(2026, 3, 20)
    assert any("重新计算" in line for line in result.explanation)


def test_worked_example_provisional():
    result = compute_deadline(D(2026, 12, 15))
    assert result.provisional
    assert result.provisional_years == (2027,)
    assert result.due_date == D(2027, 1, 12)  # Mon–Fri guess, no 2027 holidays before it anyway
    assert any("2027" in line and "临时" in line for line in result.explanation)


def test_explanation_names_holidays_and_make_up_days():
    text = "\n".join(compute_deadline(D(2026, 2, 13)).explanation)
    assert "农历除夕" in text
    assert "春节调休上班" in text  # Sat 2026-02-14 and 02-28 are counted as working days
    assert "2026-02-13（周五）" in text


@pytest.mark.parametrize(
    ("received", "n", "expected"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # 调休 Saturday is a working day: day 1
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # Spring Festival: 02-15 Sun … 02-23 Mon rest
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # year end: 01-01, 01-02 rest, 01-04 Sun is a make-up day
        (D(2024, 2, 28), 1, D(2024, 2, 29)),  # leap day
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day golden week
    ],
)
def test_calendar_edge_cases(received, n, expected):
    assert get_calendar().add_working_days(received, n) == expected


class TestReceipt:
    def test_weekday_during_office_hours(self):
        assert receipt_date(dt.datetime(2026, 3, 6, 10, 0, tzinfo=SHANGHAI)) == D(2026, 3, 6)

    def test_after_cut_off_moves_to_next_working_day(self):
        assert receipt_date(dt.datetime(2026, 3, 6, 17, 31, tzinfo=SHANGHAI)) == D(2026, 3, 9)
        assert receipt_date(dt.datetime(2026, 3, 6, 17, 30, tzinfo=SHANGHAI)) == D(2026, 3, 6)

    def test_time_zone_is_asia_shanghai(self):
        # 10:00 UTC is 18:00 in Beijing: after the cut-off
        assert receipt_date(dt.datetime(2026, 3, 6, 10, 0, tzinfo=dt.UTC)) == D(2026, 3, 9)

    def test_holiday_moves_to_next_working_day(self):
        assert receipt_date(D(2026, 10, 1)) == D(2026, 10, 8)

    def test_make_up_saturday_is_a_working_day(self):
        assert receipt_date(D(2026, 2, 28)) == D(2026, 2, 28)

    def test_setting_off_keeps_the_day(self, settings):
        settings.GONGKAI_NEXT_WORKING_DAY_RECEIPT = False
        assert receipt_date(D(2026, 3, 7)) == D(2026, 3, 7)
        # Counting from a Saturday: Monday is day 1, so the due date is a day earlier than with the setting on
        assert compute_deadline(D(2026, 3, 7)).due_date == D(2026, 4, 3)

    def test_cut_off_is_a_setting(self, settings):
        settings.GONGKAI_RECEIPT_CUTOFF = "18:00"
        assert receipt_date(dt.datetime(2026, 3, 6, 17, 45, tzinfo=SHANGHAI)) == D(2026, 3, 6)

    def test_naive_datetime_is_refused(self):
        with pytest.raises(DeadlineInputError) as exc:
            receipt_date(dt.datetime(2026, 3, 6, 10, 0))
        assert exc.value.field == "received"


class TestRegimes:
    @pytest.mark.parametrize(
        ("day", "code"),
        [
            (D(2007, 6, 1), "2008"),
            (D(2008, 5, 1), "2008"),
            (D(2019, 5, 14), "2008"),
            (D(2019, 5, 15), "2019"),
        ],
    )
    def test_regime_for(self, day, code):
        assert regime_for(day).code == code

    def test_periods(self):
        assert (REGIME_2008.reply_days, REGIME_2008.extension_days) == (15, 15)
        assert (REGIME_2019.reply_days, REGIME_2019.extension_days) == (20, 20)
        assert (REGIME_2019.supplement_notice_days, REGIME_2019.third_party_days) == (7, 15)
        assert REGIME_2008.supplement_notice_days is None

    def test_get_regime(self):
        assert get_regime("2019") is REGIME_2019
        with pytest.raises(ValueError, match="2008, 2019"):
            get_regime("2020")

    def test_regime_chosen_by_receipt_date_after_cut_off(self):
        # Received on the evening of the last 2008-regime day: legally received the next day, 2019 regime
        assert compute_deadline(dt.datetime(2019, 5, 14, 19, 0, tzinfo=SHANGHAI)).regime == "2019"

    def test_forced_regime(self):
        result = compute_deadline(D(2019, 5, 15), regime="2008")
        assert result.regime == "2008"
        assert result.due_date == D(2019, 6, 5)
        assert any("本应适用" in line for line in result.explanation)

    def test_before_2008_uses_2008_regime_and_is_provisional(self):
        result = compute_deadline(D(2007, 12, 3))
        assert result.regime == "2008"
        assert result.provisional


class TestPauses:
    def test_overlapping_pauses_are_merged(self):
        pauses = [(D(2026, 3, 4), D(2026, 3, 6)), (D(2026, 3, 2), D(2026, 3, 5))]
        result = compute_deadline(D(2026, 2, 13), pauses=pauses)
        assert result.pauses_applied == (AppliedPause(D(2026, 3, 2), D(2026, 3, 6), 5),)
        assert result.due_date == D(2026, 3, 26)

    def test_merge_touching(self):
        assert merge_pauses([(D(2026, 3, 5), D(2026, 3, 6)), (D(2026, 3, 2), D(2026, 3, 4))]) == [
            (D(2026, 3, 2), D(2026, 3, 6))
        ]

    def test_pause_after_due_date_has_no_effect(self):
        result = compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 3, 20), D(2026, 3, 24))], extend=0)
        assert result.due_date == D(2026, 3, 19)
        assert result.pauses_applied[0].working_days == 0

    def test_pause_running_past_the_due_date_keeps_pushing_it(self):
        # Due 2026-03-19; a consultation from 03-18 to 03-31 stops the clock at day 18 (03-17).
        result = compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 3, 18), D(2026, 3, 31))])
        assert result.due_date == D(2026, 4, 2)  # days 19 and 20 are 04-01 and 04-02
        assert result.pauses_applied[0].working_days == 10

    def test_pause_days_over_weekends_and_holidays_only_count_working_days(self):
        result = compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 2, 14), D(2026, 2, 24))])
        # working days in the pause: Sat 02-14 (调休) and Tue 02-24
        assert result.pauses_applied[0].working_days == 2

    def test_pause_end_before_start_is_an_error(self):
        with pytest.raises(DeadlineInputError, match="结束日期早于开始日期") as exc:
            compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 3, 6), D(2026, 3, 2))])
        assert exc.value.field == "pauses"

    def test_pause_before_receipt_is_an_error(self):
        with pytest.raises(DeadlineInputError) as exc:
            compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 2, 10), D(2026, 2, 20))])
        assert exc.value.field == "pauses"


class TestExtensionAndSupplement:
    def test_partial_extension(self):
        assert compute_deadline(D(2026, 3, 9), extend=5).extended_due_date == D(2026, 4, 14)

    def test_zero_extension_equals_due_date(self):
        result = compute_deadline(D(2026, 3, 9), extend=0)
        assert result.extended_due_date == result.due_date
        assert result.extension_days == 0

    @pytest.mark.parametrize(
        ("received", "extend"), [(D(2026, 3, 9), 21), (D(2018, 9, 28), 16), (D(2026, 3, 9), -1)]
    )
    def test_extension_over_the_maximum_is_an_error(self, received, extend):
        with pytest.raises(DeadlineInputError, match="最多延长") as exc:
            compute_deadline(received, extend=extend)
        assert exc.value.field == "extend"

    def test_extension_is_added_after_pauses(self):
        result = compute_deadline(D(2026, 2, 13), pauses=[(D(2026, 3, 2), D(2026, 3, 6))])
        assert result.extended_due_date == get_calendar().add_working_days(D(2026, 3, 26), 20)

    def test_supplement_under_2008_is_an_error(self):
        with pytest.raises(DeadlineInputError, match="第三十条") as exc:
            compute_deadline(D(2018, 9, 28), supplemented=D(2018, 10, 8))
        assert exc.value.field == "supplemented"

    def test_supplement_before_receipt_is_an_error(self):
        with pytest.raises(DeadlineInputError, match="早于收到申请之日") as exc:
            compute_deadline(D(2026, 3, 9), supplemented=D(2026, 3, 6))
        assert exc.value.field == "supplemented"

    def test_supplement_on_a_holiday_restarts_from_the_next_working_day(self):
        result = compute_deadline(D(2026, 9, 28), supplemented=D(2026, 10, 3))
        assert result.count_start == D(2026, 10, 8)
        assert result.due_date == get_calendar().add_working_days(D(2026, 10, 8), 20)

    def test_pause_before_the_supplement_does_not_count(self):
        plain = compute_deadline(D(2026, 3, 9), supplemented=D(2026, 3, 20))
        paused = compute_deadline(
            D(2026, 3, 9), supplemented=D(2026, 3, 20), pauses=[(D(2026, 3, 10), D(2026, 3, 13))]
        )
        assert paused.due_date == plain.due_date


def test_a_calendar_can_be_passed_in():
    # Without any official data every year is provisional and Mon–Fri counts
    bare = WorkCalendar([], [SpecialDay(D(2026, 3, 10), False, "测试假日")])
    result = compute_deadline(D(2026, 3, 9), calendar=bare, extend=0)
    assert result.due_date == D(2026, 4, 7)  # Mon–Fri: 03-10 skipped, 04-06 (清明) not known
    assert result.provisional
