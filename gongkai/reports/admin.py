from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.reports.models import NarrativeTemplate, ReportPublication, ReportVersion


@admin.register(NarrativeTemplate)
class NarrativeTemplateAdmin(AuditedModelAdmin[NarrativeTemplate]):
    list_display = ["org", "year", "format", "section"]
    list_filter = ["format", "year"]
    autocomplete_fields = ["org"]

    # Unknown {placeholders} are refused by the model's clean(), with their names, before anything is saved.


@admin.register(ReportPublication)
class ReportPublicationAdmin(admin.ModelAdmin[ReportPublication]):
    """Read-only: reports are published and withdrawn from the staff report page (audited actions)."""

    list_display = ["org", "year", "format", "scope", "published_at", "published_by"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin[ReportVersion]):
    """Read-only: versions are written by publish/correct (audited) and never changed afterwards."""

    list_display = ["publication", "number", "published_at", "published_by", "reason", "similarity"]
    list_filter = ["publication__year"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
