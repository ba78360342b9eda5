"""The publishing workflow: no publication without a passed confidentiality review of that version; revisions
keep every version and need a new review; withdrawal keeps the index number; late and personal-data warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEntry
from gongkai.catalog import transitions as p
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import Channel, ChannelKind, Publication
from gongkai.reports.registry import Context, Scope
from tests.conftest import Personas, Tree, make_user

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
    pub = p.revise(personas.clerk, pub, reason="更正招生人数", on=D(2026, 3, 9), text="更正后的正文")
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


def test_the_person_who_drafted_a_version_cannot_review_it(
    tree: Tree, personas: Personas, site: Channel
) -> None:
    """Four eyes: the reviewer who writes or last changed a draft needs a colleague to review it."""
    pub, _w = p.create_draft(
        personas.reviewer, tree.education, title="审核人起草的通知", made_on=D(2026, 3, 2)
    )
    with pytest.raises(PermissionDenied, match="起草或修改本稿的人员不能审查本稿"):
        p.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    other = make_user("reviewer-2", tree.education, Role.REVIEWER)
    p.review(other, pub, on=D(2026, 3, 3), conclusion="failed", note="请删去联系人")
    pub, _w = p.update_draft(other, pub, text="已删去联系人")  # now the colleague changed it last
    with pytest.raises(PermissionDenied):
        p.review(other, pub, on=D(2026, 3, 4), conclusion="passed")
    p.review(personas.reviewer, pub, on=D(2026, 3, 4), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[site])
    pub = p.revise(other, pub, reason="更正", on=D(2026, 3, 5), text="更正稿")
    assert pub.edited_by == other
    with pytest.raises(PermissionDenied):
        p.review(other, pub, on=D(2026, 3, 5), conclusion="passed")


def test_a_revision_is_timely_within_20_working_days_of_its_change(
    tree: Tree, personas: Personas, site: Channel
) -> None:
    """2019 art 26: 20 working days from the day the information is made or changed (变更)."""
    pub = draft(tree, personas)  # made 2026-03-02
    p.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 3), channels=[site])
    with pytest.raises(ValidationError, match="修订日期不能早于"):
        p.revise(personas.clerk, pub, reason="更正", on=D(2026, 3, 1), text="x")
    pub = p.revise(personas.clerk, pub, reason="更正", on=D(2026, 6, 1), text="更正稿")
    assert p.clock_start(pub) == D(2026, 6, 1)
    deadline = p.publication_deadline(pub)
    assert deadline > D(2026, 6, 26)  # 20 working days from 1 June, past the Dragon Boat holiday
    assert not p.is_late(pub, deadline)  # unpublished, but not yet due
    assert p.is_late(pub, deadline + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="修订日期"):
        p.review(personas.reviewer, pub, on=D(2026, 5, 29), conclusion="passed")
    p.review(personas.reviewer, pub, on=deadline, conclusion="passed")
    pub = p.publish(personas.clerk, pub, on=deadline + dt.timedelta(days=1))
    assert p.is_late(pub, D(2030, 1, 1)) and pub.published_on == D(2026, 3, 3)
    late = p.late_items(Publication.objects.all(), D(2030, 1, 1))
    assert list(late) == [pub]  # the SQL check agrees, measured from the change date
    assert AuditEntry.objects.filter(action="publication.publish").latest("id").after["late"] is True


def test_withdrawal_records_its_date(tree: Tree, personas: Personas, site: Channel) -> None:
    pub = draft(tree, personas)
    p.review(personas.reviewer, pub, on=D(2026, 3, 3), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2026, 3, 4), channels=[site])
    with pytest.raises(ValidationError, match="撤回日期不能早于发布日期"):
        p.withdraw(personas.clerk, pub, reason="过时", on=D(2026, 3, 1))
    assert p.withdraw(personas.clerk, pub, reason="过时", on=D(2026, 4, 1)).withdrawn_on == D(2026, 4, 1)


def test_a_withdrawal_does_not_change_an_earlier_years_public_total(
    tree: Tree, personas: Personas, site: Channel
) -> None:
    """2019 Table 2 对外公开总数量 counts what was public on 31 December: withdrawn in 2026, still public in 2025."""
    pub, _w = p.create_draft(
        personas.clerk,
        tree.education,
        title="管理办法",
        made_on=D(2025, 3, 2),
        normative_kind="normative",
    )
    p.review(personas.reviewer, pub, on=D(2025, 3, 3), conclusion="passed")
    p.publish(personas.clerk, pub, on=D(2025, 3, 4), channels=[site])

    def total(year: int) -> object:
        return Context(org=tree.education, year=year, scope=Scope.OWN).value("t2.normative.public_total")

    assert (total(2025), total(2026)) == (1, 1)
    p.withdraw(personas.clerk, pub, reason="已被新办法替代", on=D(2026, 2, 1))
    assert (total(2025), total(2026)) == (1, 0)
