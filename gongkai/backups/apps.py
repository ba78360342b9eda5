from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """`gongkai backup DIR`, `gongkai backup verify DIR` and `gongkai restore DIR` (docs/backup.md). No models."""

    name = "gongkai.backups"
    label = "backups"
    verbose_name = _("备份与恢复")
