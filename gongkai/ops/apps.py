from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: the bundled web server (`gongkai serve`) and field-key rotation
    (`gongkai rotate-field-key`). No models."""

    name = "gongkai.ops"
    label = "ops"
    verbose_name = _("运维")
