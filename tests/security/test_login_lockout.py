"""Login lockout (issue #10, defect 7: "100 wrong passwords, then the right one worked"): django-axes locks a
username from one address after GONGKAI_LOGIN_FAILURE_LIMIT failures until the cool-off has passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def login(
    client: Client, username: str, password: str, ip: str = "203.0.113.20", url: str = "/accounts/login/"
) -> Any:
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_100_wrong_ones_is_refused_until_the_cool_off(personas: Personas) -> None:
    client = Client()
    with time_machine.travel(START, tick=False):
        statuses = [login(client, "clerk", f"wrong {i}").status_code for i in range(100)]
        assert statuses[:4] == [200] * 4  # the form again, with its error
        assert set(statuses[4:]) == {429}  # the fifth failure locks
        response = login(client, "clerk", PASSWORD)
        assert response.status_code == 429 and not logged_in(client)
        page = response.content.decode()
        assert "登录失败次数过多" in page and "15分钟后再试" in page and 'name="password"' in page
        assert int(response["Retry-After"]) == 15 * 60
        assert client.get("/staff/cases/").status_code == 302  # still not signed in
        attempt = AccessAttempt.objects.get(username="clerk")  # axes' own record of the attempts
        assert attempt.failures_since_start >= 5 and attempt.ip_address == "203.0.113.20"
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        assert login(client, "clerk", PASSWORD).status_code == 302 and logged_in(client)


def test_the_lockout_is_per_username_and_address(personas: Personas) -> None:
    client = Client()
    for i in range(5):
        login(client, "clerk", f"wrong {i}")
    assert login(client, "clerk", PASSWORD).status_code == 429
    elsewhere = Client()  # the clerk from another address is not locked out by someone else's guesses
    assert login(elsewhere, "clerk", PASSWORD, ip="198.51.100.20").status_code == 302 and logged_in(elsewhere)
    colleague = Client()  # nor is a colleague behind the same address
    assert login(colleague, "reviewer", PASSWORD).status_code == 302 and logged_in(colleague)


def test_a_success_before_the_limit_resets_the_count(personas: Personas) -> None:
    for _ in range(3):
        client = Client()
        for i in range(4):
            assert login(client, "clerk", f"wrong {i}").status_code == 200
        assert login(client, "clerk", PASSWORD).status_code == 302 and logged_in(client)


def test_the_limit_and_cool_off_are_settings(personas: Personas, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=3)
    client = Client()
    with time_machine.travel(START, tick=False):
        assert [login(client, "clerk", "wrong").status_code for _ in range(2)] == [200, 429]
        response = login(client, "clerk", PASSWORD)
        assert response.status_code == 429 and "3分钟后再试" in response.content.decode()
    with time_machine.travel(START + dt.timedelta(minutes=4), tick=False):
        assert login(client, "clerk", PASSWORD).status_code == 302


def test_the_admin_login_locks_too(personas: Personas) -> None:
    get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    client = Client()
    for i in range(5):
        login(client, "root", f"wrong {i}", url="/admin/login/")
    response = login(client, "root", PASSWORD, url="/admin/login/")
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302


def test_the_login_page_warns_of_the_lockout_in_chinese(personas: Personas) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "连续多次登录失败后将被暂停登录" in page
    wrong = login(Client(), "clerk", "wrong").content.decode()
    assert "请输入一个正确的" in wrong  # Django's own message, in Chinese


def test_the_test_client_and_force_login_still_sign_in(personas: Personas) -> None:
    """The test client's login() calls authenticate() without a request: the lockout backend leaves it alone."""
    client = Client()
    assert client.login(username="clerk", password=PASSWORD)
    assert client.get("/staff/cases/").status_code == 200
    other = Client()
    other.force_login(personas.reviewer)
    assert other.get("/staff/cases/").status_code == 200


def test_a_try_during_the_lockout_starts_the_cool_off_again(personas: Personas) -> None:
    client = Client()
    with time_machine.travel(START, tick=False):
        for i in range(5):
            login(client, "clerk", f"wrong {i}")
    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        assert login(client, "clerk", "still guessing").status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        assert login(client, "clerk", PASSWORD).status_code == 429  # 6 minutes after the last try
    with time_machine.travel(START + dt.timedelta(minutes=32), tick=False):
        assert login(client, "clerk", PASSWORD).status_code == 302 and logged_in(client)
