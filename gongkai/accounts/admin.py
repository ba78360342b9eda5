from __future__ import annotations

from django.contrib import admin

from gongkai.accounts.models import StaffProfile
from gongkai.audit.admin_mixins import AuditedModelAdmin


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedModelAdmin[StaffProfile]):
    list_display = ["user", "body", "role", "supervises"]
    list_filter = ["role"]
    search_fields = ["user__username", "body__name"]
    autocomplete_fields = ["body", "supervises"]

    def write(self, obj: StaffProfile) -> None:
        obj.full_clean()
        obj.save()
