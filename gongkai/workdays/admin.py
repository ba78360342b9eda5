"""Admin for the working-day calendar. Saves go through ``gongkai.workdays.actions`` (validation and the
version bump) and are audited by ``AuditedModelAdmin``; deletes also bump the version so every process
reloads."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.workdays import actions
from gongkai.workdays.calendar import WEEKDAY_NAMES
from gongkai.workdays.models import CalendarDay, OfficialYear


class _VersionBumpingDelete:
    """Wrap the audited delete and the version bump in one transaction."""

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            year = obj.date.year if isinstance(obj, CalendarDay) else obj.year
            super().delete_model(request, obj)  # type: ignore[misc]
            actions.bump_version({year})


@admin.register(CalendarDay)
class CalendarDayAdmin(_VersionBumpingDelete, AuditedModelAdmin[CalendarDay]):
    list_display = ["date", "weekday", "name", "is_working", "updated_at"]
    list_filter = ["is_working"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAY_NAMES[obj.date.weekday()])

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> list[str]:
        # The date identifies the row (one exception per day): to move a holiday, delete it and add another.
        return ["date", "updated_at"] if obj is not None else ["updated_at"]

    def write(self, obj: CalendarDay) -> None:
        actions.store_day(obj)


@admin.register(OfficialYear)
class OfficialYearAdmin(_VersionBumpingDelete, AuditedModelAdmin[OfficialYear]):
    list_display = ["year", "source", "note", "updated_at"]
    ordering = ["-year"]

    def get_readonly_fields(self, request: HttpRequest, obj: OfficialYear | None = None) -> list[str]:
        return ["year", "updated_at"] if obj is not None else ["updated_at"]

    def write(self, obj: OfficialYear) -> None:
        actions.store_official_year(obj)
