from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckerConfig(AppConfig):
    name = "gongkai.checker"
    label = "checker"
    verbose_name = _("年报检查")
    default_auto_field = "django.db.models.BigAutoField"
