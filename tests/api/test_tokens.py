"""API tokens (issue 12 §5): shown once and stored as a hash, refused when revoked or expired, scoped by
scope and by body, throttled per token, and every creation, revocation and token write audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongkai.api import actions
from gongkai.api.models import ApiToken, Scope
from gongkai.audit.models import AuditEntry
from tests.api.tokens import TokenClient, register_case, token_for
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db


def test_creation_shows_the_secret_once_and_stores_only_its_hash(tree: Tree, personas: Personas) -> None:
    new = actions.create_token(
        personas.office_head, name="市OA系统", body=tree.education, scopes=[Scope.CATALOG_WRITE]
    )
    row = ApiToken.objects.get(name="市OA系统")
    assert new.secret.startswith(f"gk_{row.prefix}_") and len(new.secret) > 40
    assert row.secret_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values().get(pk=row.pk).values()]
    assert not any(new.secret in v or new.secret.split("_", 2)[2] in v for v in stored)
    entry = AuditEntry.objects.get(action="api.token_create")
    assert entry.actor_label == "office-head" and entry.after is not None
    assert "secret_hash" not in entry.after and new.secret not in str(entry.after)
    assert entry.after["scopes"] == ["catalog:write"]


def test_the_command_prints_the_token_once_and_lists_without_it(tree: Tree) -> None:
    out = StringIO()
    call_command(
        "api-token",
        "create",
        "--org",
        tree.education.org_code,
        "--name",
        "12345平台",
        "--scope",
        "cases:read",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("gk_")
    assert TokenClient(secret).get("/api/v1/cases?view=all").status_code == 200
    listing = StringIO()
    call_command("api-token", "list", stdout=listing)
    assert "12345平台" in listing.getvalue() and secret not in listing.getvalue()
    call_command("api-token", "revoke", "12345平台", stdout=StringIO())
    assert TokenClient(secret).get("/api/v1/cases").status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoke", actor_label__startswith="cli").exists()


def test_revoked_expired_wrong_and_missing_tokens_get_401(tree: Tree) -> None:
    secret = token_for(tree.education)
    client = TokenClient(secret)
    assert client.get("/api/v1/cases").status_code == 200
    assert (
        TokenClient(secret[:-1] + ("A" if secret[-1] != "A" else "B")).get("/api/v1/cases").status_code == 401
    )
    assert TokenClient("gk_000000000000_nothing").get("/api/v1/cases").status_code == 401
    token = ApiToken.objects.get()
    actions.revoke_token("admin", token)
    refused = client.get("/api/v1/cases")
    assert refused.status_code == 401 and refused.json()["detail"] and refused["WWW-Authenticate"] == "Bearer"

    expiring = actions.create_token(
        "admin",
        name="到期系统",
        body=tree.education,
        scopes=[Scope.CASES_READ],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert TokenClient(expiring.secret).get("/api/v1/cases").status_code == 200
    ApiToken.objects.filter(pk=expiring.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert TokenClient(expiring.secret).get("/api/v1/cases").status_code == 401


def test_a_missing_scope_is_403(tree: Tree) -> None:
    client = TokenClient(token_for(tree.education, [Scope.CATALOG_READ]))
    assert client.get("/api/v1/catalog/items").status_code == 200
    for url in ("/api/v1/cases", "/api/v1/reports", "/api/v1/submissions", "/api/v1/search?q=学校"):
        response = client.get(url)
        assert response.status_code == 403, url
    pushed = client.post("/api/v1/catalog/items", {"title": "通知", "made_on": "2026-03-02"})
    assert pushed.status_code == 403 and "catalog:write" in pushed.json()["detail"]


def test_a_token_reads_only_its_own_bodys_cases(tree: Tree) -> None:
    own = register_case(tree.education)
    other = register_case(tree.county_police, "请公开交通事故统计")
    education = TokenClient(token_for(tree.education, [Scope.CASES_READ]))
    assert [c["id"] for c in education.get("/api/v1/cases?view=all").json()] == [own.pk]
    assert education.get(f"/api/v1/cases/{own.pk}").status_code == 200
    assert education.get(f"/api/v1/cases/{other.pk}").status_code == 403
    # the county government's token with its subtree sees its police bureau, not the city's bureau
    county = TokenClient(token_for(tree.county, [Scope.CASES_READ], name="县12345", subtree=True))
    assert [c["id"] for c in county.get("/api/v1/cases?view=all").json()] == [other.pk]
    assert county.get(f"/api/v1/cases/{own.pk}").status_code == 403


def test_only_a_government_or_its_office_acts_for_a_subtree(tree: Tree) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.create_token(
            "admin", name="x", body=tree.education, scopes=["cases:read"], include_subtree=True
        )
    assert "include_subtree" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        actions.create_token("admin", name="y", body=tree.education, scopes=["cases:delete"])
    assert "scopes" in unknown.value.message_dict
    assert not ApiToken.objects.exists() and not AuditEntry.objects.filter(action="api.token_create").exists()


def test_a_token_write_is_audited_with_the_tokens_name(tree: Tree) -> None:
    client = TokenClient(token_for(tree.education, name="市OA系统"))
    response = client.post(
        "/api/v1/catalog/items", {"title": "关于2026年春季招生的通知", "made_on": "2026-03-02"}
    )
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(action="publication.draft")
    assert entry.actor_label == "api:市OA系统" and entry.actor is None
    assert entry.object_id == str(response.json()["id"])


def test_last_used_is_written_once_every_few_minutes(tree: Tree) -> None:
    client = TokenClient(token_for(tree.education))
    client.get("/api/v1/cases")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/cases")
    assert ApiToken.objects.get().last_used_at == first


def test_each_token_has_its_own_limit(tree: Tree, settings: Any) -> None:
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"api_token": (2, 60)}
    busy = TokenClient(token_for(tree.education))
    other = TokenClient(token_for(tree.education, name="另一系统"))
    assert [busy.get("/api/v1/cases").status_code for _ in range(2)] == [200, 200]
    refused = busy.get("/api/v1/cases")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0 and refused.json()["detail"]
    assert other.get("/api/v1/cases").status_code == 200


def test_the_browser_session_still_works(tree: Tree, personas: Personas) -> None:
    from django.test import Client

    from tests.conftest import PASSWORD

    case = register_case(tree.education)
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    assert [c["id"] for c in client.get("/api/v1/cases?view=all").json()] == [case.pk]
    assert client.get("/api/v1/catalog/items").status_code == 200
