"""The admin shows tickets read-only: every write goes through ``gongkai.hotline.actions`` (the API, the import)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.hotline.models import Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ["number", "source", "body", "received_at", "status", "completed_at", "satisfaction"]
    list_filter = ["status", "source", "satisfaction"]
    search_fields = ["number"]
    date_hierarchy = "received_at"
    exclude = ["phone_encrypted", "caller_name", "content_sha256"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
