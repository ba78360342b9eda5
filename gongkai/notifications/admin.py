from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.notifications.models import Notification, NotificationTemplate


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(AuditedModelAdmin[NotificationTemplate]):
    list_display = ["code", "channel", "audience", "subject", "active"]
    list_filter = ["channel", "audience", "active"]


class StatusFilter(admin.SimpleListFilter):
    """待发送 / 已发送 / 发送失败: the failed ones are those the worker gave up on after the last retry."""

    title = gettext_lazy("状态")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("pending", str(_("待发送"))), ("sent", str(_("已发送"))), ("failed", str(_("发送失败")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filters = {
            "pending": {"sent_at__isnull": True, "failed_at__isnull": True},
            "sent": {"sent_at__isnull": False},
            "failed": {"failed_at__isnull": False},
        }
        chosen = filters.get(self.value() or "")
        return queryset.filter(**chosen) if chosen else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """The outbox, read only (it is written by the notification service and drained by the worker). Messages the
    worker gave up on are counted in a warning at the top of the list."""

    list_display = [
        "created_at",
        "recipient_display",
        "channel",
        "subject",
        "status",
        "attempts",
        "send_after",
        "sent_at",
        "last_error",
    ]
    list_filter = [StatusFilter, "channel", "template"]
    exclude = ["recipient", "claim_token", "limit_key"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        failed = Notification.objects.filter(failed_at__isnull=False).count()
        if failed:
            messages.warning(
                request,
                _("有%(n)d条通知多次发送失败，已停止重试：请检查网关设置，并按“状态：发送失败”筛选查看。")
                % {"n": failed},
            )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
