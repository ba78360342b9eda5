"""Public consultation (意见征集): a body publishes a draft (linked to a catalog item) with an open and a close date;
the public comments (moderated before they appear; name and contact stored encrypted, shown masked); staff
classify each comment (采纳/部分采纳/不予采纳 with a reason) and publish a feedback report (采纳情况反馈) generated from
the classifications, due ``GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS`` working days after the close date.
Writes go through ``gongkai.consultations.actions``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from gongkai.masking import mask_text


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("未发布")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


def feedback_cutoff(today: dt.date) -> dt.date:
    """The latest last day of comments whose feedback report is overdue on ``today``: the feedback is due
    ``GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS`` working days after the last day (``actions.feedback_due``),
    and that date only grows with the last day, so one date bounds them all (a walk over days, not records)."""
    from gongkai.workdays.calendar import get_calendar  # the calendar's data is loaded on first use

    calendar, days = get_calendar(), int(settings.GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS)
    day = today - dt.timedelta(days=1)
    while calendar.add_working_days(day, days) >= today:
        day -= dt.timedelta(days=1)
    return day


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def feedback_overdue_on(self, today: dt.date) -> ConsultationQuerySet:
        """Closed (or past their last day) with no feedback report published after its due date: the same rule
        as ``actions.feedback_overdue`` as one query; the staff list's ``?overdue=1`` and the staff home use it."""
        last_day = Coalesce("closed_on", "closes_on", output_field=models.DateField())
        return (
            self.annotate(last_comment_day=last_day)
            .filter(state__in=[ConsultationState.OPEN, ConsultationState.CLOSED])
            .filter(feedback_published_on__isnull=True, last_comment_day__lte=feedback_cutoff(today))
        )


class Consultation(models.Model):
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("征集机关"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField(_("征集标题"), max_length=200)
    draft_text = models.TextField(_("草案说明"), blank=True)
    document = models.ForeignKey(
        "catalog.Publication",
        verbose_name=_("草案文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    requires_contact = models.BooleanField(_("须留姓名和联系方式"), default=False)
    state = models.CharField(
        _("状态"), max_length=8, choices=ConsultationState.choices, default=ConsultationState.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_on = models.DateField(_("实际截止日期"), null=True, blank=True)
    feedback_text = models.TextField(_("采纳情况反馈"), blank=True)
    feedback_generated_at = models.DateTimeField(_("反馈生成时间"), null=True, blank=True)
    feedback_published_on = models.DateField(_("反馈公布日期"), null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="consultation_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(feedback_published_on__isnull=True) | ~Q(feedback_text=""),
                name="consultation_published_feedback_has_text",
            ),
        ]
        indexes = [models.Index(fields=["state", "opens_on"], name="consult_state_opens")]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self) -> dt.date:
        """The last day comments were or are accepted (closed early by staff: that day)."""
        return self.closed_on or self.closes_on

    def accepts_comments_on(self, day: dt.date) -> bool:
        return self.state == ConsultationState.OPEN and self.opens_on <= day <= self.last_day

    def is_closed_on(self, day: dt.date) -> bool:
        return self.state == ConsultationState.CLOSED or (
            self.state == ConsultationState.OPEN and day > self.last_day
        )

    def days_left(self, day: dt.date) -> int:
        return (self.last_day - day).days + 1 if self.accepts_comments_on(day) else 0


class Moderation(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")


class Comment(models.Model):
    """One comment of the public. Name and contact are personal data: encrypted, and masked when shown."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("意见征集"), on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("意见内容"))
    name_encrypted = models.TextField(_("姓名（加密）"), blank=True, editable=False)
    name_masked = models.CharField(_("姓名"), max_length=50, blank=True, editable=False)
    contact_encrypted = models.TextField(_("联系方式（加密）"), blank=True, editable=False)
    contact_masked = models.CharField(_("联系方式"), max_length=254, blank=True, editable=False)
    received_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(_("提交日期"))
    moderation = models.CharField(
        _("审核"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING, db_index=True
    )
    moderated_by = models.CharField(_("审核人"), max_length=150, blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(adoption="") | Q(moderation="approved"), name="comment_classified_when_approved"
            ),
            models.CheckConstraint(
                condition=Q(adoption__in=["", "adopted"]) | ~Q(reason=""),
                name="comment_reason_when_not_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.text[:30]}"

    @property
    def public_text(self) -> str:
        """The text as shown: ID-card and mobile numbers typed into it masked."""
        return mask_text(self.text)

    @property
    def shown_name(self) -> str:
        return self.name_masked
