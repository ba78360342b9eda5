"""Logins, failed logins and logouts are audit entries (issue #10, defect 10): who, when, from which address;
a failed login names the attempted username and never the password."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from gongkai.audit.models import AuditEntry
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


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
