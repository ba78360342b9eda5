from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from gongkai.accounts.models import StaffProfile
from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.audit.log import record


@admin.register(StaffProfile)
class StaffProfileAdmin(AuditedModelAdmin[StaffProfile]):
    list_display = ["user", "body", "role", "supervises"]
    list_filter = ["role"]
    search_fields = ["user__username", "body__name"]
    autocomplete_fields = ["body", "supervises"]

    def write(self, obj: StaffProfile) -> None:
        obj.full_clean()
        obj.save()


# Accounts and their rights are audited like every other write; password hashes never enter the log
# (gongkai.audit.log.secret_fields).
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedModelAdmin[User], UserAdmin[User]):
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """The password form saves outside save_model: audit it here (without the hash)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                record(
                    request.user,
                    "auth.user.password_change",
                    object_type="auth.user",
                    object_id=str(id),
                    summary="password changed",
                )
        return response


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin[Group], GroupAdmin):
    pass
