from __future__ import annotations

from django.apps import AppConfig


class AcknowledgementConfig(AppConfig):
    name = "gongkai.acknowledgement"
    label = "acknowledgement"
    default_auto_field = "django.db.models.BigAutoField"
