"""The publishing workflow of proactive disclosure (主动公开), one function per step, each atomic and audited:
draft → confidentiality review (保密审查, 2019 Regulations art 17) → published on chosen channels → revised (every
version kept, and reviewed again before it is published again) or withdrawn (with a reason). An index number
never changes and is never reused. Items should be published within 20 working days of being made or changed
(2008 art 18; 2019 art 26): a late publication is flagged, not refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.actions import index_number, next_serial
from gongkai.catalog.models import (
    Channel,
    ConfidentialityReview,
    Publication,
    PublicationChannel,
    PublicationStatus,
    PublicationVersion,
    ReviewConclusion,
)
from gongkai.masking import personal_data_found
from gongkai.organisations.actions import require_valid_on
from gongkai.organisations.models import Organisation
from gongkai.workdays.calendar import get_calendar

S = PublicationStatus
TIMELY_DAYS = 20


class IllegalStep(Exception):
    """A step the publication's status does not allow; ``str()`` is the reason."""


def _require(pub: Publication, allowed: set[str], step: str) -> None:
    if pub.status not in allowed:
        raise IllegalStep(
            _("当前状态为“%(s)s”，不能%(step)s") % {"s": PublicationStatus(pub.status).label, "step": step}
        )


def _locked(pub: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=pub.pk)


def warnings_for(pub: Publication) -> list[str]:
    """Personal data that looks like ID-card or mobile numbers in the title or text (masked)."""
    found = personal_data_found(f"{pub.title}\n{pub.text}")
    return (
        [_("疑似包含个人信息：%(items)s，发布前请核实或删除") % {"items": "、".join(found)}] if found else []
    )


@transaction.atomic
def create_draft(
    actor: Actor, body: Organisation, *, title: str, made_on: dt.date, **fields: Any
) -> tuple[Publication, list[str]]:
    """A new item with its index number (allocated now, never reused); returns it and any warnings."""
    require_valid_on(body, made_on)
    if not title.strip():
        raise ValidationError({"title": _("请填写标题")})
    Organisation.objects.select_for_update().filter(
        pk=body.pk
    ).first()  # one writer allocates a serial at a time
    pub = Publication(
        body=body,
        title=title.strip(),
        made_on=made_on,
        index_code=body.org_code,
        index_year=made_on.year,
        index_serial=next_serial(body.org_code, made_on.year),
        status=S.DRAFT,
        **fields,
    )
    if pub.normative_kind and pub.issued_on is None:
        pub.issued_on = made_on
    pub.full_clean()
    pub.save()
    record(
        actor,
        "publication.draft",
        pub,
        after=snapshot(pub) | {"index_number": index_number(pub)},
        summary=pub.title[:100],
    )
    return pub, warnings_for(pub)


@transaction.atomic
def review(
    actor: AbstractBaseUser, pub: Publication, *, on: dt.date, conclusion: str, note: str = ""
) -> ConfidentialityReview:
    pub = _locked(pub)
    _require(pub, {S.DRAFT}, _("保密审查"))
    if not permissions.can_review_publication(actor, pub.body):
        raise PermissionDenied(_("保密审查须由本机关审核人或负责人进行"))
    if conclusion not in ReviewConclusion.values:
        raise ValidationError({"conclusion": _("请选择审查结论")})
    if conclusion == ReviewConclusion.FAILED and not note.strip():
        raise ValidationError({"note": _("不同意公开的，请写明理由")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    assert isinstance(actor, User)
    result = ConfidentialityReview.objects.create(
        publication=pub,
        version=pub.version,
        reviewer=actor,
        reviewed_on=on,
        conclusion=conclusion,
        note=note.strip(),
    )
    record(actor, "publication.review", pub, after=snapshot(result), summary=result.get_conclusion_display())
    return result


def _passed(pub: Publication) -> bool:
    latest = pub.reviews.filter(version=pub.version).order_by("-id").first()
    return latest is not None and latest.conclusion == ReviewConclusion.PASSED


@transaction.atomic
def publish(actor: Actor, pub: Publication, *, on: dt.date, channels: Sequence[Channel] = ()) -> Publication:
    """Publish the reviewed version; the first publication needs at least one channel. A publication more
    than 20 working days after the item was made is recorded as late."""
    pub = _locked(pub)
    _require(pub, {S.DRAFT}, _("发布"))
    if not _passed(pub):
        raise IllegalStep(_("未经保密审查或审查未通过，不能发布"))
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    first = pub.published_on is None
    if first and not channels:
        raise ValidationError({"channels": _("请至少选择一个发布渠道")})
    before = snapshot(pub)
    if first:
        pub.published_on = on
    pub.status = S.PUBLISHED
    pub.save(update_fields=["published_on", "status"])
    existing = set(pub.postings.values_list("channel_id", flat=True))
    PublicationChannel.objects.bulk_create(
        [
            PublicationChannel(publication=pub, channel=c, published_on=on)
            for c in channels
            if c.pk not in existing
        ]
    )
    late = on > get_calendar().add_working_days(pub.made_on, TIMELY_DAYS)
    record(
        actor,
        "publication.publish",
        pub,
        before=before,
        after=snapshot(pub) | {"channels": [c.pk for c in channels], "late": late, "version": pub.version},
    )
    return pub


@transaction.atomic
def revise(actor: Actor, pub: Publication, *, reason: str, **changes: Any) -> Publication:
    """Change a published item: the old version is kept, the new one waits for review before it is published
    again (it stays under the same index number)."""
    pub = _locked(pub)
    _require(pub, {S.PUBLISHED}, _("修订"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写修订原因")})
    allowed = {"title", "text", "document_number"}
    if set(changes) - allowed or not changes:
        raise ValidationError({"changes": _("可修订标题、正文和文号")})
    before = snapshot(pub)
    PublicationVersion.objects.create(
        publication=pub,
        version=pub.version,
        title=pub.title,
        text=pub.text,
        document_number=pub.document_number,
        replaced_at=timezone.now(),
        reason=reason.strip(),
    )
    for field, value in changes.items():
        setattr(pub, field, value)
    pub.version += 1
    pub.status = S.DRAFT
    pub.full_clean()
    pub.save()
    record(actor, "publication.revise", pub, before=before, after=snapshot(pub), summary=reason[:100])
    return pub


@transaction.atomic
def withdraw(actor: Actor, pub: Publication, *, reason: str) -> Publication:
    """Take an item down (the index number stays taken; the year's statistics keep counting its publication)."""
    pub = _locked(pub)
    _require(pub, {S.PUBLISHED}, _("撤回"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤回原因")})
    before = snapshot(pub)
    pub.status = S.WITHDRAWN
    pub.save(update_fields=["status"])
    record(actor, "publication.withdraw", pub, before=before, after=snapshot(pub), summary=reason[:100])
    return pub
