from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.portal.actions import IDENTITY_FIELDS, save_site_identity
from gongkai.portal.models import DisclosureGuide, SiteIdentity


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(AuditedModelAdmin[DisclosureGuide]):
    list_display = ["body", "office", "revised_on"]
    search_fields = ["body__name", "office"]
    autocomplete_fields = ["body"]
    raw_id_fields = ["rules"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(AuditedModelAdmin[SiteIdentity]):
    """The one identity row: its list opens the row itself; a save goes through ``save_site_identity``
    (atomic, audited, drops the cached pages) in place of the mixin's generic audited save; it is never
    deleted."""

    fields = list(IDENTITY_FIELDS)
    autocomplete_fields = ["body"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "police_link":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SiteIdentity.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: SiteIdentity | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if SiteIdentity.objects.exists():
            return HttpResponseRedirect(
                reverse("admin:portal_siteidentity_change", args=[SiteIdentity.SINGLETON])
            )
        return HttpResponseRedirect(reverse("admin:portal_siteidentity_add"))

    def save_model(self, request: HttpRequest, obj: SiteIdentity, form: Any, change: bool) -> None:
        saved = save_site_identity(request.user, **{f: getattr(obj, f) for f in IDENTITY_FIELDS})
        obj.pk = saved.pk
        obj.updated_at = saved.updated_at
