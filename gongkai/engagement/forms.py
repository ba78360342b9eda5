"""Staff forms of engagement (text normalised by ``gongkai.forms``)."""

from __future__ import annotations

from typing import Any

from django import forms as djforms
from django.utils.translation import gettext_lazy as _

from gongkai import forms
from gongkai.engagement.models import ConcernSource, InterpretationForm, ResponseKind, SocialChannel
from gongkai.organisations.models import Organisation


class BodyForm(forms.Form):
    """A form whose record belongs to one of the bodies the user writes for (``body`` set by the view)."""

    body: djforms.ModelChoiceField[Organisation] = djforms.ModelChoiceField(
        label=_("机关"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, bodies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class EventForm(BodyForm):
    title = djforms.CharField(label=_("事件"), max_length=200)
    source = djforms.ChoiceField(label=_("来源"), choices=ConcernSource.choices)
    noticed_on = djforms.DateField(label=_("发现日期"))


class ResponseForm(forms.Form):
    kind = djforms.ChoiceField(label=_("回应方式"), choices=ResponseKind.choices)
    held_on = djforms.DateField(label=_("日期"))
    principal_leader = djforms.BooleanField(label=_("主要负责同志参加"), required=False)
    title = djforms.CharField(label=_("标题"), max_length=200, required=False)
    url = djforms.URLField(label=_("链接"), max_length=500, required=False, assume_scheme="https")


class DescribeForm(forms.Form):
    form = djforms.ChoiceField(label=_("解读形式"), choices=InterpretationForm.choices)
    official_name = djforms.CharField(label=_("解读人姓名"), max_length=50, required=False)
    official_post = djforms.CharField(label=_("解读人职务"), max_length=100, required=False)
    media_url = djforms.URLField(
        label=_("图解或视频链接"), max_length=500, required=False, assume_scheme="https"
    )


class FirstResponseForm(forms.Form):
    first_response_at = djforms.DateTimeField(label=_("首次回应时间"))


class SocialPostForm(BodyForm):
    channel = djforms.ChoiceField(label=_("平台"), choices=SocialChannel.choices)
    posted_at = djforms.DateTimeField(label=_("发布时间"))
    title = djforms.CharField(label=_("标题"), max_length=200)
    url = djforms.URLField(label=_("链接"), max_length=500, assume_scheme="https")
    event = djforms.IntegerField(label=_("回应的事件编号（可不填）"), required=False, min_value=1)


class InterpretationDraftForm(BodyForm):
    policy = djforms.CharField(label=_("解读的政策文件索引号"), max_length=60)
    title = djforms.CharField(label=_("解读标题"), max_length=300)
    made_on = djforms.DateField(label=_("成文日期"))
    form = djforms.ChoiceField(label=_("解读形式"), choices=InterpretationForm.choices)
    official_name = djforms.CharField(label=_("解读人姓名"), max_length=50, required=False)
    official_post = djforms.CharField(label=_("解读人职务"), max_length=100, required=False)
    media_url = djforms.URLField(
        label=_("图解或视频链接"), max_length=500, required=False, assume_scheme="https"
    )
    text = djforms.CharField(label=_("正文"), widget=djforms.Textarea, required=False, max_length=20000)
