"""Every write of public consultation (意见征集), one function each: atomic, audited (``gongkai.audit``), with the
public pages' cache invalidated (``gongkai.pagecache``, namespace ``consultations``). Permission checks are the
callers' (``gongkai.permissions``).

A consultation is created as a draft, opened (published: it accepts comments from its open date to its close
date), closed (by staff, or by its close date passing). Comments wait for moderation; approved comments appear on
the public page and are classified (采纳/部分采纳/不予采纳, a reason required for the latter two). The feedback
report (采纳情况反馈) is generated from the classifications once the consultation is closed, may be edited, and is
published; unpublished feedback past its due date (``feedback_due``) is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from gongkai import crypto, pagecache
from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.models import Publication
from gongkai.consultations.models import Adoption, Comment, Consultation, ConsultationState, Moderation
from gongkai.masking import mask_phone
from gongkai.organisations.models import Organisation
from gongkai.workdays.calendar import get_calendar

PAGES = "consultations"  # the page-cache namespace of the public pages
PUBLIC = "public"
S = ConsultationState


class IllegalStep(Exception):
    """A step the consultation's or comment's state does not allow; ``str()`` says why."""


def feedback_due(consultation: Consultation) -> dt.date:
    """The feedback report is due this many working days after the last day of comments."""
    days = int(settings.GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS)
    return get_calendar().add_working_days(consultation.last_day, days)


def feedback_overdue(consultation: Consultation, today: dt.date) -> bool:
    return (
        consultation.is_closed_on(today)
        and consultation.feedback_published_on is None
        and today > feedback_due(consultation)
    )


def mask_name(name: str) -> str:
    """``张**``: the first character of a name, the rest hidden."""
    name = name.strip()
    return name[:1] + "*" * min(max(len(name) - 1, 1), 4) if name else ""


def mask_contact(contact: str) -> str:
    contact = contact.strip()
    if "@" in contact:
        local, _at, domain = contact.partition("@")
        return f"{local[:2]}***@{domain}"
    return mask_phone(contact)


def _snap(obj: Any) -> dict[str, Any]:
    return snapshot(obj, exclude=("text", "draft_text", "feedback_text", "name_masked", "contact_masked"))


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("body").get(pk=consultation.pk)


def _clean_text(value: str, limit: int, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > limit:
        raise ValidationError({field: [_("不得超过%(n)s个字符") % {"n": limit}]})
    return value


def _check_dates(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": [_("截止日期不能早于开始日期")]})


def _check_document(body: Organisation, document: Publication | None) -> None:
    if document is not None and document.body_id != body.pk:
        raise ValidationError({"document": [_("草案文件须是本机关发布的信息")]})


@transaction.atomic
def create(
    actor: Actor,
    body: Organisation,
    *,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    draft_text: str = "",
    document: Publication | None = None,
    requires_contact: bool = False,
) -> Consultation:
    """A consultation drafted (not public until ``open_consultation``)."""
    title = _clean_text(title, 200, "title", _("请填写征集标题"))
    _check_dates(opens_on, closes_on)
    _check_document(body, document)
    if body.valid_to is not None:
        raise ValidationError({"body": [_("该机关已撤销")]})
    consultation = Consultation(
        body=body,
        title=title,
        draft_text=(draft_text or "").strip(),
        document=document,
        opens_on=opens_on,
        closes_on=closes_on,
        requires_contact=requires_contact,
    )
    consultation.full_clean(exclude=["body", "document"])
    consultation.save()
    record(actor, "consultations.created", consultation, after=_snap(consultation), summary=title)
    return consultation


@transaction.atomic
def open_consultation(actor: Actor, consultation: Consultation) -> Consultation:
    """Publish the consultation: it is listed and accepts comments from its open to its close date."""
    consultation = _locked(consultation)
    if consultation.state != S.DRAFT:
        raise IllegalStep(_("只有未发布的意见征集可以发布"))
    before = _snap(consultation)
    consultation.state = S.OPEN
    consultation.published_at = timezone.now()
    consultation.save(update_fields=["state", "published_at"])
    record(actor, "consultations.opened", consultation, before=before, after=_snap(consultation))
    pagecache.bump(PAGES)
    return consultation


@transaction.atomic
def close(actor: Actor, consultation: Consultation, *, on: dt.date | None = None) -> Consultation:
    """Close the consultation (on its close date, or earlier: comments are then refused from the next day)."""
    consultation = _locked(consultation)
    if consultation.state != S.OPEN:
        raise IllegalStep(_("只有征集中的意见征集可以截止"))
    day = on or timezone.localdate()
    before = _snap(consultation)
    consultation.state = S.CLOSED
    consultation.closed_on = max(min(day, consultation.closes_on), consultation.opens_on)
    consultation.save(update_fields=["state", "closed_on"])
    record(actor, "consultations.closed", consultation, before=before, after=_snap(consultation))
    pagecache.bump(PAGES)
    return consultation


def refusal(consultation: Consultation, day: dt.date) -> str:
    """Why a comment is refused on ``day`` ("" when it is accepted): closed (with the close date) or not open."""
    if consultation.accepts_comments_on(day):
        return ""
    if consultation.is_closed_on(day):
        when = formats.date_format(consultation.last_day, "Y-m-d")
        return _("本次意见征集已于%(date)s截止，不再接收意见") % {"date": when}
    if consultation.state == S.OPEN:
        when = formats.date_format(consultation.opens_on, "Y-m-d")
        return _("本次意见征集自%(date)s开始接收意见") % {"date": when}
    return _("本次意见征集未发布")


def _contact_error(contact: str) -> str:
    """Why a comment's contact is neither an e-mail address nor a phone number ("" when it is one)."""
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return _("请填写正确的联系电话或电子邮箱")
        return ""
    if sum(c.isdigit() for c in contact) < 7 or len(contact) > 30:
        return _("请填写正确的联系电话或电子邮箱")
    return ""


def _comment_errors(text: str, name: str, contact: str, *, requires_contact: bool) -> dict[str, list[str]]:
    """A comment's field errors: its text required and bounded, the name bounded, the contact well-formed,
    and both given when the consultation requires them."""
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("请填写意见内容")]
    elif len(text) > 5000:
        errors["text"] = [_("不得超过%(n)s个字符") % {"n": 5000}]
    if len(name) > 50:
        errors["name"] = [_("不得超过%(n)s个字符") % {"n": 50}]
    if contact and (why := _contact_error(contact)):
        errors["contact"] = [why]
    if requires_contact:
        if not name:
            errors.setdefault("name", [_("本次意见征集须留姓名")])
        if not contact:
            errors.setdefault("contact", [_("本次意见征集须留联系方式")])
    return errors


@transaction.atomic
def submit_comment(
    actor: Actor,
    consultation: Consultation,
    *,
    text: str,
    name: str = "",
    contact: str = "",
    received_at: dt.datetime | None = None,
) -> Comment:
    """A comment of the public, pending moderation. Refused (ValidationError, nothing written) on a consultation
    not open that day — a closed one with its close date — and without name and contact when the consultation
    requires them."""
    consultation = Consultation.objects.select_related("body").get(pk=consultation.pk)
    at = received_at or timezone.now()
    day = timezone.localdate(at)
    why = refusal(consultation, day)
    if why:
        raise ValidationError({"__all__": [why]})
    text = (text or "").strip()
    name, contact = (name or "").strip(), (contact or "").strip()
    errors = _comment_errors(text, name, contact, requires_contact=consultation.requires_contact)
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        consultation=consultation,
        text=text,
        name_encrypted=crypto.encrypt(name) if name else "",
        name_masked=mask_name(name),
        contact_encrypted=crypto.encrypt(contact) if contact else "",
        contact_masked=mask_contact(contact) if contact else "",
        received_at=at,
        received_on=day,
    )
    record(actor, "consultations.comment.submitted", comment, after=_snap(comment))
    return comment


@transaction.atomic
def moderate(actor: Actor, comment: Comment, *, approve: bool) -> Comment:
    """Approve (the comment appears on the public page) or reject a comment; a classified comment stays."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.adoption:
        raise IllegalStep(_("已分类的意见不能再审核"))
    before = _snap(comment)
    comment.moderation = Moderation.APPROVED if approve else Moderation.REJECTED
    comment.moderated_by = _label(actor)
    comment.save(update_fields=["moderation", "moderated_by"])
    record(actor, "consultations.comment.moderated", comment, before=before, after=_snap(comment))
    pagecache.bump(PAGES)
    return comment


def _label(actor: Actor) -> str:
    if actor is None or isinstance(actor, str):
        return actor or ""
    return str(actor.get_username())[:150]


@transaction.atomic
def classify(actor: Actor, comment: Comment, *, adoption: str, reason: str = "") -> Comment:
    """采纳/部分采纳/不予采纳 an approved comment; 部分采纳 and 不予采纳 need a reason. Not once the feedback is
    published."""
    comment = Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)
    if comment.moderation != Moderation.APPROVED:
        raise IllegalStep(_("只有审核通过的意见可以分类"))
    if comment.consultation.feedback_published_on is not None:
        raise IllegalStep(_("采纳情况反馈已公布，不能再修改分类"))
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": [_("请选择采纳情况")]})
    reason = (reason or "").strip()
    if adoption != Adoption.ADOPTED and not reason:
        raise ValidationError({"reason": [_("部分采纳或不予采纳须说明理由")]})
    before = _snap(comment)
    comment.adoption, comment.reason = adoption, reason
    comment.save(update_fields=["adoption", "reason"])
    record(actor, "consultations.comment.classified", comment, before=before, after=_snap(comment))
    return comment


def feedback_counts(consultation: Consultation) -> dict[str, int]:
    approved = consultation.comments.filter(moderation=Moderation.APPROVED)
    counts = {a: approved.filter(adoption=a).count() for a in Adoption.values}
    counts["received"] = consultation.comments.exclude(moderation=Moderation.REJECTED).count()
    counts["approved"] = approved.count()
    counts["unclassified"] = approved.filter(adoption="").count()
    return counts


def _report(consultation: Consultation) -> str:
    n = feedback_counts(consultation)
    lines = [
        _(
            "本次意见征集自%(start)s至%(end)s，共收到有效意见%(received)s条，其中采纳%(adopted)s条、"
            "部分采纳%(partly)s条、不予采纳%(not_adopted)s条。"
        )
        % {
            "start": consultation.opens_on.isoformat(),
            "end": consultation.last_day.isoformat(),
            "received": n["approved"],
            "adopted": n[Adoption.ADOPTED],
            "partly": n[Adoption.PARTLY],
            "not_adopted": n[Adoption.NOT_ADOPTED],
        }
    ]
    comments = consultation.comments.filter(moderation=Moderation.APPROVED).order_by("received_at", "id")
    for adoption, heading in (
        (Adoption.ADOPTED, _("一、采纳的意见")),
        (Adoption.PARTLY, _("二、部分采纳的意见及理由")),
        (Adoption.NOT_ADOPTED, _("三、不予采纳的意见及理由")),
    ):
        group = [c for c in comments if c.adoption == adoption]
        if not group:
            continue
        lines += ["", heading]
        for i, c in enumerate(group, start=1):
            point = " ".join(c.public_text.split())
            line = f"{i}. {point}"
            if c.reason:
                line += _("（理由：%(reason)s）") % {"reason": c.reason}
            lines.append(line)
    return "\n".join(lines)


@transaction.atomic
def generate_feedback(actor: Actor, consultation: Consultation) -> Consultation:
    """The feedback report (采纳情况反馈) written from the classifications: the counts, each adopted point and the
    reasons for the others. Needs the consultation closed and every approved comment classified; written in the
    site's language whatever the page's; regenerating replaces an unpublished report."""
    consultation = _locked(consultation)
    today = timezone.localdate()
    if not consultation.is_closed_on(today):
        raise IllegalStep(_("意见征集截止后才能生成采纳情况反馈"))
    if consultation.feedback_published_on is not None:
        raise IllegalStep(_("采纳情况反馈已公布"))
    unclassified = feedback_counts(consultation)["unclassified"]
    if unclassified:
        raise IllegalStep(_("还有%(n)s条意见未分类") % {"n": unclassified})
    pending = consultation.comments.filter(moderation=Moderation.PENDING).count()
    if pending:
        raise IllegalStep(_("还有%(n)s条意见未审核") % {"n": pending})
    before = _snap(consultation)
    with translation.override(settings.LANGUAGE_CODE):
        consultation.feedback_text = _report(consultation)
    consultation.feedback_generated_at = timezone.now()
    consultation.save(update_fields=["feedback_text", "feedback_generated_at"])
    record(actor, "consultations.feedback.generated", consultation, before=before, after=_snap(consultation))
    return consultation


@transaction.atomic
def edit_feedback(actor: Actor, consultation: Consultation, *, text: str) -> Consultation:
    consultation = _locked(consultation)
    if consultation.feedback_published_on is not None:
        raise IllegalStep(_("采纳情况反馈已公布"))
    if not consultation.feedback_generated_at:
        raise IllegalStep(_("请先生成采纳情况反馈"))
    before = _snap(consultation)
    consultation.feedback_text = _clean_text(text, 20000, "text", _("请填写采纳情况反馈"))
    consultation.save(update_fields=["feedback_text"])
    record(actor, "consultations.feedback.edited", consultation, before=before, after=_snap(consultation))
    return consultation


@transaction.atomic
def publish_feedback(actor: Actor, consultation: Consultation, *, on: dt.date | None = None) -> Consultation:
    """Publish the generated feedback report on the consultation's public page."""
    consultation = _locked(consultation)
    if consultation.feedback_published_on is not None:
        raise IllegalStep(_("采纳情况反馈已公布"))
    if not consultation.feedback_text:
        raise IllegalStep(_("请先生成采纳情况反馈"))
    day = on or timezone.localdate()
    if day < consultation.last_day:
        raise ValidationError({"on": [_("公布日期不能早于截止日期")]})
    before = _snap(consultation)
    consultation.feedback_published_on = day
    consultation.save(update_fields=["feedback_published_on"])
    record(actor, "consultations.feedback.published", consultation, before=before, after=_snap(consultation))
    pagecache.bump(PAGES)
    return consultation
