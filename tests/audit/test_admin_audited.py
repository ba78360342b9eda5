"""Every write the admin can make is audited: each registered admin either audits (AuditedModelAdmin) or is
read only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.audit.models import AuditEntry
from tests.conftest import PASSWORD, Tree

pytestmark = pytest.mark.django_db


def test_every_registered_admin_audits_or_is_read_only() -> None:
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedModelAdmin):
            continue
        writable = [
            p
            for p in ("add", "change", "delete")
            if getattr(model_admin, f"has_{p}_permission")(request, *(() if p == "add" else (None,)))
        ]
        assert writable == [], f"{model.__name__} admin can {writable} without audit"


def test_making_someone_superuser_in_the_admin_is_audited_without_the_hash(tree: Tree) -> None:
    users = get_user_model()
    users.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    clerk = users.objects.create_user("someone", password=PASSWORD)
    client = Client()
    client.login(username="root", password=PASSWORD)
    page = client.get(f"/admin/auth/user/{clerk.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": "someone",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    response = client.post(f"/admin/auth/user/{clerk.pk}/change/", data)
    assert response.status_code == 302, response.content[:500]
    entry = AuditEntry.objects.get(action="auth.user.change")
    assert entry.before["is_superuser"] is False and entry.after["is_superuser"] is True
    clerk.refresh_from_db()
    assert "password" not in entry.after and clerk.password not in str(entry.after)
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/password/",
        {
            "password1": "another long passphrase 42",
            "password2": "another long passphrase 42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="auth.user.password_change", object_id=str(clerk.pk)).exists()
