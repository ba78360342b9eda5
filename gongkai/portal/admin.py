from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.portal.models import DisclosureGuide


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(AuditedModelAdmin[DisclosureGuide]):
    list_display = ["body", "office", "revised_on"]
    search_fields = ["body__name", "office"]
    autocomplete_fields = ["body"]
    raw_id_fields = ["rules"]
