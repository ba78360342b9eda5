"""Notifications to applicants and staff: editable templates and an outbox that a gateway drains."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Audience(models.TextChoices):
    STAFF = "staff", _("工作人员")
    APPLICANT = "applicant", _("申请人")


class NotificationTemplate(models.Model):
    """Text of one kind of message; ``{placeholders}`` come from the case (see ``notifications.service``)."""

    code = models.SlugField(_("代码"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    audience = models.CharField(_("对象"), max_length=10, choices=Audience.choices)
    subject = models.CharField(_("标题"), max_length=120, blank=True)
    body = models.TextField(_("内容"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        constraints = [models.UniqueConstraint(fields=["code", "channel"], name="template_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_channel_display()})"


class Notification(models.Model):
    """One message in the outbox (a transactional outbox: written in the transaction of the step that causes
    it). ``send_after`` honours quiet hours and retry back-off; ``key`` makes a message idempotent; a worker
    claims a row for ``GONGKAI_NOTIFY_LEASE_SECONDS`` (``claim_token``, ``claimed_until``) and after
    ``GONGKAI_NOTIFY_MAX_ATTEMPTS`` failed sends it is marked failed (``failed_at``) for an admin to see."""

    template = models.ForeignKey(NotificationTemplate, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("收件人"), max_length=200)
    recipient_display = models.CharField(_("收件人（显示）"), max_length=200)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    case = models.ForeignKey(
        "cases.InformationRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("去重键"), max_length=120, unique=True)
    # What the per-phone SMS limit counts (acknowledgement.limits.phone_key); "" for e-mail.
    limit_key = models.CharField(_("限额计数键"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    send_after = models.DateTimeField(_("最早发送时间"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    claim_token = models.CharField(_("领取标记"), max_length=32, blank=True)
    claimed_until = models.DateTimeField(_("领取有效至"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(_("放弃发送时间"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("最近一次错误"), max_length=300, blank=True)
    gateway_reply = models.CharField(_("网关回执"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(failed_at__isnull=True),
                name="notification_sent_or_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_display}: {self.subject or self.body[:20]}"

    @property
    def status(self) -> str:
        if self.sent_at is not None:
            return str(_("已发送"))
        if self.failed_at is not None:
            return str(_("发送失败"))
        return str(_("待发送"))
