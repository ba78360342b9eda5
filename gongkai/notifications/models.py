"""Notifications to applicants and staff: editable templates and an outbox that a gateway drains."""

from __future__ import annotations

from django.db import models
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
    """One message in the outbox. ``send_after`` honours quiet hours; ``key`` makes a reminder idempotent."""

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
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    send_after = models.DateTimeField(_("最早发送时间"), db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)
    gateway_reply = models.CharField(_("网关回执"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.recipient_display}: {self.subject or self.body[:20]}"
