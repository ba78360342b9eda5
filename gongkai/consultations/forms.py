"""The consultation forms: the public comment form (the people's-view conventions: required marks, errors beside
their fields, everything typed kept) and the staff steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Publication
from gongkai.consultations.models import Adoption
from gongkai.forms import AccessibleFields, Form

RECENT_DAYS = 365  # the draft document is one of the body's items made in the last year


class CommentForm(AccessibleFields, Form):
    text = forms.CharField(
        label=_("意见内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明对草案哪一条、哪一处的意见和理由；不要写入身份证号码等个人信息"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("联系电话或电子邮箱"),
        max_length=254,
        required=False,
        help_text=_("加密保存，仅用于就您的意见与您联系，公开时隐去"),
    )

    def __init__(self, *args: Any, requires_contact: bool = False, **kwargs: Any) -> None:
        self.requires_contact = requires_contact  # read while the fields are marked (AccessibleFields)
        super().__init__(*args, **kwargs)
        self.fields["name"].required = requires_contact
        self.fields["contact"].required = requires_contact

    def marked_required(self, name: str, field: forms.Field) -> bool:
        """Name and contact too when the consultation requires them."""
        return field.required or (self.requires_contact and name in ("name", "contact"))


class DocumentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class ConsultationForm(Form):
    title = forms.CharField(label=_("征集标题"), max_length=200)
    draft_text = forms.CharField(
        label=_("草案说明"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    document = DocumentChoice(
        queryset=Publication.objects.none(), label=_("草案文件（本机关的政府信息）"), required=False
    )
    opens_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    requires_contact = forms.BooleanField(label=_("须留姓名和联系方式"), required=False)

    def __init__(self, *args: Any, body: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if body is not None:
            field = self.fields["document"]
            since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
            recent = Publication.objects.filter(body=body, made_on__gte=since).order_by("-made_on", "-id")
            field.queryset = recent  # type: ignore[attr-defined]


class ClassifyForm(Form):
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=Adoption.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("部分采纳或不予采纳须说明理由"),
    )


class FeedbackForm(Form):
    text = forms.CharField(
        label=_("采纳情况反馈"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )
