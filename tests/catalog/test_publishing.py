"""The publishing workflow: no publication without a passed confidentiality review of that version; revisions
keep every version and need a new review; withdrawal keeps the index number; late and personal-data warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions as p
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Channel, ChannelKind, Publication
from gongkai.reports.registry import Context, Scope
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def site(tree: Tree) -> Channel:
    return Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city)


def draft(tree: Tree, personas: Personas, **extra: object) -> Publication:
    pub, _warnings = p.create_draft(
        personas.clerk,
        tree.education,
        title="关于2026年招生工作的通知",
        made_on=D(2026, 3, 2),
        text="正文",
        **extra,
    )
    return pub


def test_publishing_needs_a_passed_review_by_a_reviewer(
    tree: Tree, personas: Personas, site: Channel
) -> None:
    pub = draft(tree, personas)
    with pytest.raises(p.IllegalStep, match="保密审查"):
        p.publish(personas.clerk, pub, on=D(2026, 3, 5), channels=[site])
    with pytest.raises(PermissionDenied):
        p.review(personas.clerk, pub, on=D(2026, 3, 4), conclusion="passed")  # the drafter cannot review
    with pytest.raises(ValidationError):
        p.review(personas.reviewer, pub, on=D(2026, 3, 4), conclusion="failed")  # a refusal needs its reason
    p.review(personas.reviewer, pub, on=D(2026, 3, 4), conclusion="failed", note="含未公开的学生名单")
    with pytest.raises(p.IllegalStep):
        p.publish(personas.clerk, pub, on=D(2026, 3, 5), channels=[site])
    p.review(personas.reviewer, pub, on=D(2026, 3, 5), conclusion="passed")
    with pytest.raises(ValidationError):
        p.publish(personas.clerk, pub, on=D(2026, 3, 5))  # no channel
    pub = p.publish(personas.clerk, pub, on=D(2026, 3, 5), channels=[site])
    assert (pub.status, pub.published_on) == ("published", D(2026, 3, 5))
    assert Context(org=tree.city, year=2026, scope=Scope.SUBTREE).value("p14.items") == 1
    assert AuditEntry.objects.get(action="publication.publish").after["late"] is False


def test_revisions_keep_versions_and_need_a_new_review(tree: Tree, personas: Personas, site: Channel) -> None:
    pub = draft(tree, personas)
    number = index_number(pub)
    p.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[site])
    pub = p.revise(personas.clerk, pub, reason="更正招生人数", text="更正后的正文")
    assert (pub.status, pub.version, pub.versions.get().text) == ("draft", 2, "正文")
    with pytest.raises(p.IllegalStep):
        p.publish(personas.clerk, pub, on=D(2026, 3, 10))  # the review of version 1 does not cover version 2
    p.review(personas.reviewer, pub, on=D(2026, 3, 10), conclusion="passed")
    pub = p.publish(personas.clerk, pub, on=D(2026, 3, 10))
    assert (pub.published_on, index_number(pub), pub.postings.count()) == (D(2026, 3, 4), number, 1)


def test_withdrawal_keeps_the_index_number_taken(tree: Tree, personas: Personas, site: Channel) -> None:
    pub = draft(tree, personas)
    p.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[site])
    with pytest.raises(ValidationError):
        p.withdraw(personas.clerk, pub, reason=" ")
    pub = p.withdraw(personas.clerk, pub, reason="政策已废止")
    assert pub.status == "withdrawn"
    other = draft(tree, personas)
    assert other.index_serial == pub.index_serial + 1  # never reused
    with pytest.raises(p.IllegalStep):
        p.revise(personas.clerk, pub, reason="x", title="y")


def test_late_publication_and_personal_data_warnings(tree: Tree, personas: Personas, site: Channel) -> None:
    pub, warnings = p.create_draft(
        personas.clerk,
        tree.education,
        title="名单",
        made_on=D(2026, 1, 5),
        text="联系人张三，电话13812345678，身份证11010519491231002X",
    )
    assert warnings and "138****5678" in warnings[0] and "110***********002X" in warnings[0]
    assert "13812345678" not in warnings[0]
    p.review(personas.reviewer, pub, on=D(2026, 3, 2), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 2), channels=[site])  # more than 20 working days after 01-05
    assert AuditEntry.objects.get(action="publication.publish").after["late"] is True


def test_drafts_for_abolished_bodies_and_without_title_are_refused(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        p.create_draft(personas.clerk, tree.education, title=" ", made_on=D(2026, 3, 2))
    assert not Publication.objects.exists()


def test_review_and_publication_dates_keep_their_order(tree: Tree, personas: Personas, site: Channel) -> None:
    pub = draft(tree, personas)  # made 2026-03-02
    with pytest.raises(ValidationError, match="成文日期"):
        p.review(personas.reviewer, pub, on=D(2026, 3, 1), conclusion="passed")
    p.review(personas.reviewer, pub, on=D(2026, 3, 4), conclusion="passed")
    with pytest.raises(ValidationError, match="保密审查日期"):
        p.publish(personas.clerk, pub, on=D(2026, 3, 3), channels=[site])
    assert p.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[site]).published_on == D(2026, 3, 4)


def test_a_normative_document_is_not_repealed_before_it_is_issued(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError, match="废止日期不能早于印发日期"):
        p.create_draft(
            personas.clerk,
            tree.education,
            title="办法",
            made_on=D(2026, 3, 2),
            normative_kind="normative",
            issued_on=D(2026, 3, 2),
            repealed_on=D(2026, 3, 1),
        )
    assert not Publication.objects.exists()
