"""``gongkai deadline``: JSON output keys and option errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_json_keys_and_values():
    data = json.loads(_run("--received", "2026-02-13", "--pause", "2026-03-02:2026-03-06", "--json"))
    assert set(data) == {
        "received",
        "receipt_date",
        "regime",
        "due_date",
        "extended_due_date",
        "provisional",
        "explanation",
        "pauses",
    }
    assert data["received"] == "2026-02-13"
    assert data["receipt_date"] == "2026-02-13"
    assert data["regime"] == "2019"
    assert data["due_date"] == "2026-03-26"
    assert data["provisional"] is False
    assert data["pauses"] == [{"start": "2026-03-02", "end": "2026-03-06", "working_days": 5}]
    assert all(isinstance(line, str) for line in data["explanation"])


def test_json_provisional_and_supplement():
    data = json.loads(_run("--received", "2026-12-15", "--json"))
    assert data["provisional"] is True
    data = json.loads(
        _run("--received", "2026-03-09", "--supplemented", "2026-03-20", "--extend", "0", "--json")
    )
    assert (data["due_date"], data["extended_due_date"]) == ("2026-04-20", "2026-04-20")


def test_datetime_received_uses_cut_off():
    data = json.loads(_run("--received", "2026-03-06T18:00", "--json"))
    assert data["receipt_date"] == "2026-03-09"


def test_text_output():
    text = _run("--received", "2018-09-28", "--regime", "2008")
    assert "2018-10-24" in text
    assert "2018-11-14" in text


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--received", "2026-02-30"], "--received"),
        (["--received", "2026-03-09", "--pause", "2026-03-02"], "--pause"),
        (["--received", "2026-03-09", "--pause", "2026-03-06:2026-03-02"], "--pause"),
        (["--received", "2026-03-09", "--extend", "30"], "--extend"),
        (["--received", "2026-03-09", "--extend", "many"], "--extend"),
        (["--received", "2026-03-09", "--supplemented", "2026-03-01"], "--supplemented"),
        (["--received", "2018-09-28", "--supplemented", "2018-10-08"], "--supplemented"),
        (["--received", "2026-03-09", "--regime", "2020"], "--regime"),
    ],
)
def test_bad_input_names_the_option(args, option):
    with pytest.raises(CommandError, match=option):
        _run(*args)
