"""Consultation personas: 陈静 and 黄磊 comment on the education bureau's draft; 李明 is the bureau's clerk
(``personas.clerk``) who moderates and classifies; 刘洋 the bureau's office head, who publishes the feedback report;
赵强 the clerk of the county police (another body); 周建 the supervisor of the county's subtree."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.consultations import actions
from gongkai.consultations.models import Consultation
from gongkai.organisations.models import Organisation
from tests.conftest import Personas, Tree, make_user


@dataclass
class Cast:
    tree: Tree
    li_ming: Any  # 教育局 clerk
    liu_yang: Any  # 教育局 office head
    zhao_qiang: Any  # 县公安局 clerk
    zhou_jian: Any  # supervisor of the county subtree
    outsider: Any


@pytest.fixture
def cast(tree: Tree, personas: Personas) -> Cast:
    return Cast(
        tree=tree,
        li_ming=personas.clerk,
        liu_yang=make_user("liu-yang", tree.education, Role.OFFICE_HEAD),
        zhao_qiang=make_user("zhao-qiang", tree.county_police, Role.CLERK),
        zhou_jian=personas.supervisor,
        outsider=personas.outsider,
    )


def open_consultation(
    body: Organisation,
    *,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    title: str = "测试市中小学课后服务管理办法（征求意见稿）",
    requires_contact: bool = False,
) -> Consultation:
    today = timezone.localdate()
    consultation = actions.create(
        "test",
        body,
        title=title,
        draft_text="第一条 为规范课后服务……",
        opens_on=opens_on or today - dt.timedelta(days=3),
        closes_on=closes_on or today + dt.timedelta(days=10),
        requires_contact=requires_contact,
    )
    return actions.open_consultation("test", consultation)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def comment_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": "建议课后服务延长到18时，方便双职工家庭。",
        "name": "陈静",
        "contact": "13812345678",
        "idempotency_key": secrets.token_urlsafe(32),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
