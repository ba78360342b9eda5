"""Helpers of the API tests: tokens for the personas' bodies, a client that sends one, a registered case."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.test import Client

from gongkai.api import actions
from gongkai.api.models import Scope
from gongkai.cases import transitions as t
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import InformationRequest
from gongkai.organisations.models import Organisation

ALL_SCOPES = list(Scope.values)


def token_for(
    body: Organisation, scopes: Sequence[str] | None = None, *, name: str = "市OA系统", subtree: bool = False
) -> str:
    """The secret of a new token for ``body`` (all scopes unless given), created by an administrator."""
    return actions.create_token(
        "admin", name=name, body=body, scopes=list(scopes or ALL_SCOPES), include_subtree=subtree
    ).secret


class TokenClient:
    """A system calling the API with its token (no session, no CSRF cookie)."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(url, data or {}, headers=self.headers)

    def post(self, url: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            url, json.dumps(data), content_type="application/json", headers=self.headers | (headers or {})
        )

    def patch(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.patch(url, json.dumps(data), content_type="application/json", headers=self.headers)


def register_case(body: Organisation, subject: str = "请公开2025年校舍维修经费") -> InformationRequest:
    applicant = create_applicant(
        "test", kind="natural", name="王五", id_document="resident_id", id_number="11010519491231002X"
    )
    return t.register(
        "test", body, received=dt.date(2026, 2, 13), channel="online", subject=subject, applicant=applicant
    )
