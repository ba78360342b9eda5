from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthConfig(AppConfig):
    name = "gongkai.synth"
    label = "synth"
    verbose_name = _("合成数据")
