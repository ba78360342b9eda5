"""The interview forms: the public question form and the staff steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.forms import AccessibleFields, Form
from gongkai.interviews.models import InterviewKind

GUEST_ROWS = 4


class QuestionForm(AccessibleFields, Form):
    text = forms.CharField(
        label=_("您的问题"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("问题经审核后公开；不要写入身份证号码、手机号码等个人信息"),
    )
    asker = forms.CharField(label=_("网友昵称"), max_length=30, required=False)


class AnnounceForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=InterviewKind.choices)
    topic = forms.CharField(label=_("主题"), max_length=200)
    summary = forms.CharField(label=_("内容简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    video_url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(GUEST_ROWS):
            self.fields[f"guest_{i}_name"] = forms.CharField(
                label=_("嘉宾%(n)s姓名") % {"n": i + 1}, max_length=50, required=False
            )
            self.fields[f"guest_{i}_post"] = forms.CharField(
                label=_("嘉宾%(n)s职务") % {"n": i + 1}, max_length=100, required=False
            )
            self.fields[f"guest_{i}_leader"] = forms.BooleanField(
                label=_("嘉宾%(n)s是主要负责同志") % {"n": i + 1}, required=False
            )


class LineForm(Form):
    speaker = forms.CharField(label=_("发言人"), max_length=60)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class VideoForm(Form):
    video_url = forms.URLField(label=_("视频链接"), required=False, assume_scheme="https")
