"""Logins, failed logins and logouts are audit entries (issue #10, defect 10): who, when, from which address;
a failed login names the attempted username and never the password."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.test import Client, RequestFactory

from gongkai.accounts import signals
from gongkai.audit.models import AuditEntry
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_login_is_recorded_with_the_user_and_the_address(personas: Personas) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="auth.login")
    assert (entry.actor_id, entry.actor_label) == (personas.clerk.pk, "clerk")
    assert (entry.object_type, entry.object_id) == ("auth.user", str(personas.clerk.pk))
    assert entry.after == {"ip": "203.0.113.7"}


def test_a_failed_login_names_the_username_never_the_password(personas: Personas) -> None:
    client = Client(REMOTE_ADDR="198.51.100.9")
    wrong = "Tr0ub4dor&3-not-the-password"
    response = client.post(LOGIN, {"username": "clerk", "password": wrong})
    assert response.status_code == 200  # the form again, with its error
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert (entry.actor_id, entry.actor_label) == (None, "anonymous")
    assert entry.after == {"username": "clerk", "ip": "198.51.100.9"}
    assert "clerk" in entry.summary
    stored = json.dumps([entry.summary, entry.before, entry.after], ensure_ascii=False)
    assert wrong not in stored and "*****" not in stored
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_a_failed_login_for_an_unknown_username_is_recorded_too(db: None) -> None:
    Client(REMOTE_ADDR="198.51.100.10").post(LOGIN, {"username": "nobody", "password": "guess"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.after == {"username": "nobody", "ip": "198.51.100.10"}


def test_a_logout_is_recorded(personas: Personas) -> None:
    client = Client(REMOTE_ADDR="203.0.113.8")
    client.post(LOGIN, {"username": "reviewer", "password": PASSWORD})
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    entry = AuditEntry.objects.get(action="auth.logout")
    assert (entry.actor_id, entry.after) == (personas.reviewer.pk, {"ip": "203.0.113.8"})


def test_a_logout_without_a_session_records_nothing(db: None) -> None:
    Client().post("/accounts/logout/")
    assert not AuditEntry.objects.filter(action="auth.logout").exists()


# --- the handlers themselves (gongkai.accounts.signals), as other callers of the signals reach them ----------------


def test_a_login_without_a_request_is_recorded_without_an_address(personas: Personas) -> None:
    """A login signalled outside a web request (a management shell; django-axes' own receiver needs one)."""
    signals.logged_in(None, None, personas.clerk)
    signals.logged_out(None, None, None)  # logging out nobody records nothing
    entry = AuditEntry.objects.get(action="auth.login")
    assert (entry.actor_id, entry.after, entry.summary) == (personas.clerk.pk, {"ip": None}, "登录")
    assert not AuditEntry.objects.filter(action="auth.logout").exists()


def test_a_failed_login_keeps_only_the_username_even_if_handed_the_password(db: None) -> None:
    """Django masks the password before the signal; the handler does not rely on it (a custom backend may not)."""
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.44")
    signals.login_failed(None, {"username": "edu-clerk", "password": "plain secret 42"}, request)
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.after == {"username": "edu-clerk", "ip": "192.0.2.44"}
    assert "plain secret 42" not in json.dumps([entry.summary, entry.before, entry.after])


def test_an_overlong_or_missing_username_is_cut_to_the_column(db: None) -> None:
    signals.login_failed(None, {"username": "x" * 500})
    signals.login_failed(None, {"token": "no username at all"})
    after = [e.after for e in AuditEntry.objects.filter(action="auth.login_failed").order_by("id")]
    assert after == [{"username": "x" * 150, "ip": None}, {"username": "", "ip": None}]


def test_connecting_twice_still_records_once(personas: Personas) -> None:
    """ready() may run more than once (tests, reloads): connect() is idempotent, one entry per event."""
    signals.connect()
    signals.connect()
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.45")
    user_login_failed.send(sender=get_user_model(), credentials={"username": "ghost"}, request=request)
    user_logged_in.send(sender=type(personas.reviewer), request=request, user=personas.reviewer)
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 1
    assert AuditEntry.objects.filter(action="auth.login").count() == 1
    assert AuditEntry.objects.get(action="auth.login").after == {"ip": "192.0.2.45"}
