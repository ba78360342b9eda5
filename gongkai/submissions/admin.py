from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from gongkai.submissions.models import Submission, SubmittedValue


class SubmittedValueInline(admin.TabularInline[SubmittedValue, Submission]):
    model = SubmittedValue
    extra = 0
    can_delete = False
    readonly_fields = ["statistic_key", "value"]

    def has_add_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    """Read-only: submissions are uploaded and withdrawn on the staff pages (audited actions in ``actions``)."""

    list_display = ["org", "year", "format", "is_current", "uploaded_by", "uploaded_at"]
    list_filter = ["format", "year", "is_current"]
    search_fields = ["org__name", "org__org_code"]
    inlines = [SubmittedValueInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Submission | None = None) -> bool:
        return False
