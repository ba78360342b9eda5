"""The mailbox's personas: 王芳 writes to the city's education bureau; 李明 is the bureau's clerk (``personas.clerk``),
赵强 the clerk of the county police (a letter is transferred there), 孙丽 the city's office head, 周建 the
supervisor of the county's subtree."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from gongkai.accounts.models import Role
from tests.conftest import Personas, Tree, make_user


@pytest.fixture(autouse=True)
def fast_hashes(settings: Any) -> None:
    """The tracking secret's slow hash is Django's password hasher: a fast one keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    tree: Tree
    li_ming: Any  # 教育局 clerk
    zhao_qiang: Any  # 县公安局 clerk
    sun_li: Any  # city office head
    zhou_jian: Any  # supervisor of the county subtree
    outsider: Any


@pytest.fixture
def cast(tree: Tree, personas: Personas) -> Cast:
    return Cast(
        tree=tree,
        li_ming=personas.clerk,
        zhao_qiang=make_user("zhao-qiang", tree.county_police, Role.CLERK),
        sun_li=personas.office_head,
        zhou_jian=personas.supervisor,
        outsider=personas.outsider,
    )


def letter_form(body_pk: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": str(body_pk),
        "addressed_to": "leader",
        "kind": "complain",
        "subject": "学校门口道路积水",
        "text": "王芳反映：学校门口道路长期积水，联系电话13812345678，请尽快处理。",
        "writer_name": "王芳",
        "phone": "13812345678",
        "email": "wangfang@example.invalid",
        "consent_to_publish": "on",
        "idempotency_key": secrets.token_urlsafe(32),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
