from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.forms import Form


class UploadForm(Form):
    file = forms.FileField(label=_("填好的模板（XLSX）"))


class WithdrawForm(Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=300)
