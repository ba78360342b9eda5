from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    YearlyFigures,
)


class ResponseInline(admin.TabularInline[ResponseAction, PublicConcernEvent]):
    model = ResponseAction
    extra = 0
    exclude = ["body"]  # always the event's body (ResponseAction.save)


@admin.register(PublicConcernEvent)
class PublicConcernEventAdmin(AuditedModelAdmin[PublicConcernEvent]):
    list_display = ["title", "body", "noticed_on"]
    search_fields = ["title"]
    autocomplete_fields = ["body"]
    inlines = [ResponseInline]


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(AuditedModelAdmin[YearlyFigures]):
    list_display = ["body", "year", "fulltime_staff", "parttime_staff", "budget_wan_yuan", "meetings"]
    list_filter = ["year"]
    autocomplete_fields = ["body"]


admin.site.register(
    Complaint,
    AuditedModelAdmin,
    list_display=["received_on", "body", "summary"],
    autocomplete_fields=["body"],
)
