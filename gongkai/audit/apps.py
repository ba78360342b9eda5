from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.audit.triggers import register_switch

        connection_created.connect(register_switch, dispatch_uid="gongkai.audit.register_switch")
