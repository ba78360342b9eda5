"""Interview personas: 王芳 and 张伟 send questions before the education bureau's online interview; 李明 is the
bureau's clerk (``personas.clerk``) who announces, moderates, transcribes, ends and publishes it; 赵强 the clerk of
the county police; 周建 the supervisor of the county's subtree; 马局长 the bureau's director (a principal leader)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.interviews import actions
from gongkai.interviews.models import Interview
from gongkai.organisations.models import Organisation
from tests.conftest import Personas, Tree, make_user

DIRECTOR = actions.GuestRow("马局长", "测试市教育局局长", principal_leader=True)
DEPUTY = actions.GuestRow("吴处长", "基础教育处处长")


@dataclass
class Cast:
    tree: Tree
    li_ming: Any
    zhao_qiang: Any
    zhou_jian: Any
    outsider: Any


@pytest.fixture
def cast(tree: Tree, personas: Personas) -> Cast:
    return Cast(
        tree=tree,
        li_ming=personas.clerk,
        zhao_qiang=make_user("zhao-qiang", tree.county_police, Role.CLERK),
        zhou_jian=personas.supervisor,
        outsider=personas.outsider,
    )


def local(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def announced(
    body: Organisation,
    *,
    kind: str = "interview",
    starts_at: dt.datetime | None = None,
    guests: tuple[actions.GuestRow, ...] = (DIRECTOR, DEPUTY),
    topic: str = "2014年秋季义务教育招生政策解读",
) -> Interview:
    return actions.announce(
        "test",
        body,
        kind=kind,
        topic=topic,
        starts_at=starts_at or timezone.now() + dt.timedelta(days=3),
        guests=guests,
        video_url="https://video.example.cn/live/1",
    )


def question_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": "王芳问：随迁子女入学需要哪些材料？",
        "asker": "王芳",
        "idempotency_key": secrets.token_urlsafe(32),
    }
    data.update(changes)
    return data


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
