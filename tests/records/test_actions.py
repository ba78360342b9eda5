"""Domain functions that record publications and requests: index numbers, deadlines, validation, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEntry
from gongkai.cases.actions import record_request
from gongkai.catalog.actions import index_number, record_publication
from gongkai.catalog.models import Channel, ChannelKind, IndexNumberTemplate, Publication
from gongkai.reports.actions import save_narrative
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tree: Tree) -> Channel:
    return Channel.objects.create(name="门户", kind=ChannelKind.objects.get(code="website"), owner=tree.city)


def test_index_numbers_use_the_national_form_and_inherited_templates(tree: Tree, site: Channel) -> None:
    first = record_publication(
        "t",
        tree.school_office,
        title="a",
        made_on=dt.date(2018, 1, 3),
        published_on=dt.date(2018, 1, 4),
        channels=[site],
    )
    second = record_publication(
        "t",
        tree.school_office,
        title="b",
        made_on=dt.date(2018, 1, 3),
        published_on=dt.date(2018, 1, 4),
        channels=[site],
    )
    assert index_number(first) == f"{tree.school_office.org_code}/2018-00001"
    assert index_number(second).endswith("/2018-00002")
    IndexNumberTemplate.objects.create(body=tree.education, template="{code}/{year}{serial:04d}")
    assert index_number(second) == f"{tree.school_office.org_code}/20180002"  # inherited from 教育局
    IndexNumberTemplate.objects.create(body=tree.school_office, template="ZS-{year}-{serial}")
    assert index_number(second) == "ZS-2018-2"  # the body's own template wins


def test_a_bad_index_template_is_refused_with_the_field(tree: Tree) -> None:
    with pytest.raises(ValidationError) as err:
        IndexNumberTemplate(body=tree.city, template="{code}/{month}").full_clean()
    assert "template" in err.value.message_dict


def test_a_published_item_needs_a_channel_and_nothing_is_written_otherwise(tree: Tree) -> None:
    with pytest.raises(ValidationError) as err:
        record_publication(
            "t", tree.city, title="a", made_on=dt.date(2018, 1, 3), published_on=dt.date(2018, 1, 4)
        )
    assert "channels" in err.value.message_dict
    assert (
        not Publication.objects.exists()
        and not AuditEntry.objects.filter(action="publication.record").exists()
    )


def test_record_publication_is_audited(tree: Tree, site: Channel) -> None:
    pub = record_publication(
        "clerk",
        tree.city,
        title="关于X的通知",
        made_on=dt.date(2018, 1, 3),
        published_on=dt.date(2018, 1, 5),
        channels=[site],
        normative_kind="normative",
    )
    entry = AuditEntry.objects.for_object(pub).get()
    assert entry.after["index_number"].endswith("/2018-00001") and entry.after["channels"] == [site.pk]
    assert pub.issued_on == dt.date(2018, 1, 3)


def test_record_request_computes_regime_and_deadlines(tree: Tree) -> None:
    # 2019-05-14 is the last day of the 2008 regime (statutory-reference §1 worked example).
    old = record_request(
        "clerk",
        tree.education,
        received=dt.date(2019, 5, 14),
        channel="letter",
        applicant_kind="natural",
        subject="s",
    )
    assert (old.regime, old.due_date) == ("2008", dt.date(2019, 6, 4))
    new = record_request(
        "clerk",
        tree.education,
        received=dt.date(2026, 3, 7),
        channel="online",
        applicant_kind="natural",
        subject="s",
        extension_days=20,
    )
    assert (new.regime, new.receipt_date, new.due_date) == ("2019", dt.date(2026, 3, 9), dt.date(2026, 4, 7))
    assert new.extended_due_date == dt.date(2026, 5, 8)
    assert AuditEntry.objects.filter(action="request.record").count() == 2


def test_an_outcome_of_the_other_regime_is_refused_with_the_field(tree: Tree) -> None:
    with pytest.raises(ValidationError) as err:
        record_request(
            "clerk",
            tree.education,
            received=dt.date(2014, 5, 14),
            channel="letter",
            applicant_kind="natural",
            subject="s",
            answered_on=dt.date(2014, 5, 20),
            outcome="2019.disclosed",
        )
    assert "outcome" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        record_request(
            "clerk",
            tree.education,
            received=dt.date(2014, 5, 14),
            channel="letter",
            applicant_kind="natural",
            subject="s",
            extension_days=99,
        )
    assert "extension_days" in err.value.message_dict


def test_narrative_placeholders_must_be_known(tree: Tree) -> None:
    with pytest.raises(ValidationError) as err:
        save_narrative("t", tree.city, "2014", 2, "共公开{p14.items}条，{p14.nonsense}件", year=2014)
    assert "{p14.nonsense}" in str(err.value)
    template = save_narrative("t", tree.city, "2014", 2, "共公开{p14.items}条", year=2014)
    assert AuditEntry.objects.for_object(template).get().after["text"] == "共公开{p14.items}条"


def test_index_templates_with_attribute_access_are_refused(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        IndexNumberTemplate(body=tree.city, template="{serial.real.x}").full_clean()
