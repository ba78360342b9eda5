"""The index follows every write path of the catalog once the transaction commits: drafts, publication,
revision, withdrawal, record_publication; nothing changes if the transaction rolls back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import transaction

from gongkai.catalog import transitions as p
from gongkai.catalog.actions import record_publication
from gongkai.catalog.models import Channel, ChannelKind, IndexNumberTemplate, Publication
from gongkai.organisations.actions import save_organisation
from gongkai.search import Filters, search
from gongkai.search.models import SearchEntry
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date
Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
ALL = Filters(include_unpublished=True)


@pytest.fixture
def site(tree: Tree) -> Channel:
    return Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city)


def found(query: str, filters: Filters | None = None) -> list[int]:
    return [h.publication_id for h in search(query, filters, limit=100).hits]


def test_publish_revise_withdraw_update_the_index_on_commit(
    tree: Tree, personas: Personas, site: Channel, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pub, _ = p.create_draft(
            personas.clerk, tree.education, title="关于春季招生的通知", made_on=D(2026, 3, 2), text="报名须知"
        )
    assert found("春季招生") == []  # a draft is not public
    assert found("春季招生", ALL) == [pub.pk]
    with django_capture_on_commit_callbacks(execute=True):
        p.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
        p.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[site])
    assert found("春季招生") == [pub.pk]
    with django_capture_on_commit_callbacks(execute=True):
        p.revise(
            personas.clerk,
            pub,
            reason="更正",
            on=D(2026, 3, 5),
            title="关于秋季招生的通知",
            text="报名时间调整",
        )
    # The revision waits for its review: the index keeps the version last published, which the public
    # still finds (and nobody finds the unreviewed text, not even staff searching with drafts).
    assert found("春季招生") == [pub.pk]
    assert found("秋季招生", ALL) == [] and found("时间调整", ALL) == []
    with django_capture_on_commit_callbacks(execute=True):
        p.review(personas.reviewer, pub, on=D(2026, 3, 5), conclusion="passed")
        p.publish(personas.clerk, pub, on=D(2026, 3, 6))
    assert found("秋季招生") == [pub.pk] and found("春季招生", ALL) == []
    with django_capture_on_commit_callbacks(execute=True):
        p.withdraw(personas.clerk, pub, reason="已过时")
    assert found("秋季招生") == []  # withdrawn items leave the public results
    assert found("秋季招生", ALL) == [pub.pk]


def test_record_publication_is_indexed_with_its_rendered_index_number(
    tree: Tree, site: Channel, django_capture_on_commit_callbacks: Capture
) -> None:
    IndexNumberTemplate.objects.create(body=tree.city, template="XC/{code}/{year}/{serial:03d}")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pub = record_publication(
            "test",
            tree.education,
            title="食品药品安全抽检结果公告",
            made_on=D(2025, 5, 1),
            published_on=D(2025, 5, 2),
            channels=[site],
            document_number="测教〔2025〕3号",
        )
    assert callbacks  # scheduled, not run inside the transaction
    assert found("抽检结果") == [pub.pk]
    assert found("測教〔2025〕3號") == [pub.pk]
    assert found(f"XC/{tree.education.org_code}/2025/001".lower()) == [pub.pk]


def test_nothing_is_indexed_when_the_transaction_rolls_back(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks: Capture
) -> None:
    class Abort(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abort), transaction.atomic():
        p.create_draft(personas.clerk, tree.education, title="回滚的草稿", made_on=D(2026, 3, 2))
        raise Abort
    assert not Publication.objects.filter(title="回滚的草稿").exists()
    assert found("回滚", ALL) == []
    assert SearchEntry.objects.count() == 0


def test_moving_a_body_re_renders_its_items_index_numbers(
    tree: Tree, personas: Personas, site: Channel, django_capture_on_commit_callbacks: Capture
) -> None:
    """A body moved under another parent inherits that parent's index-number template: its items are found by
    the new number once the move commits, and no longer by the old one."""
    IndexNumberTemplate.objects.create(body=tree.county, template="XQ-{code}-{year}-{serial:04d}")
    with django_capture_on_commit_callbacks(execute=True):
        pub = record_publication(
            "test",
            tree.education,
            title="转隶前发布的公告",
            made_on=D(2025, 5, 1),
            published_on=D(2025, 5, 2),
            channels=[site],
        )
    new_number = f"XQ-{tree.education.org_code}-2025-0001".lower()
    assert found(new_number) == []
    with django_capture_on_commit_callbacks(execute=True):
        tree.education.parent = tree.county
        save_organisation("test", tree.education)
    assert found(new_number) == [pub.pk]
    with django_capture_on_commit_callbacks(execute=True):
        tree.education.name = "测试市教育体育局"  # a rename does not touch the index
        save_organisation("test", tree.education)
    assert found(new_number) == [pub.pk]
