from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.organisations.actions import store_organisation
from gongkai.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin[Organisation]):
    list_display = ["indented_name", "short_name", "org_code", "kind", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "org_code", "credit_code"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path", "depth"]

    @admin.display(description="名称", ordering="path")
    def indented_name(self, obj: Organisation) -> str:
        return "　" * obj.depth + obj.name

    def write(self, obj: Organisation) -> None:
        store_organisation(obj)
