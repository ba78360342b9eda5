from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.notifications.models import Notification, NotificationTemplate


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(AuditedModelAdmin[NotificationTemplate]):
    list_display = ["code", "channel", "audience", "subject", "active"]
    list_filter = ["channel", "audience", "active"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """The outbox, read only (it is written by the notification service)."""

    list_display = ["created_at", "recipient_display", "channel", "subject", "send_after", "sent_at"]
    list_filter = ["channel", "template"]
    exclude = ["recipient"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
