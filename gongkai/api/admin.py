"""API tokens in the admin: listed for review, never their secret; created and revoked with ``gongkai api-token``
(audited actions in ``gongkai.api.actions``), so the admin neither adds nor changes them."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from gongkai.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = [
        "name",
        "prefix",
        "body",
        "include_subtree",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["include_subtree"]
    search_fields = ["name", "prefix", "body__name", "body__org_code"]
    exclude = ["secret_hash"]
    readonly_fields = [
        "name",
        "body",
        "include_subtree",
        "scopes",
        "prefix",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
