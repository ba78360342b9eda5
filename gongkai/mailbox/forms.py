"""The mailbox's forms: the public letter form (the people's-view conventions of the application form: required
marks, errors beside their fields, everything typed kept), the tracking lookup and rating, and the staff steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.forms import AccessibleFields, Form
from gongkai.mailbox.models import Addressee, LetterKind, ReplyChannel, Satisfaction
from gongkai.organisations.models import Organisation

COUNTED = {"subject": 100, "text": 3000}


def _bodies() -> Any:
    return Organisation.objects.filter(valid_to__isnull=True).order_by("path")


class BodyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LetterForm(AccessibleFields, Form):
    # Chosen among the matches of a search over the tree (portal.bodyindex, as on the application form): a
    # province has thousands of bodies, too many for one drop-down.
    body = BodyChoice(
        queryset=_bodies(),
        label=_("写信给哪个机关"),
        error_messages={
            "required": _("请查找并选择收信的机关"),
            "invalid_choice": _("所选机关不存在或已撤销，请重新查找"),
        },
    )
    body_q = forms.CharField(label=_("查找机关"), required=False, max_length=50)  # the search, not stored
    addressed_to = forms.ChoiceField(
        label=_("收信人"), choices=Addressee.choices, widget=forms.RadioSelect, initial=Addressee.BODY
    )
    kind = forms.ChoiceField(label=_("来信类别"), choices=LetterKind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("来信标题"), max_length=100)
    text = forms.CharField(
        label=_("来信内容"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明事由、地点和您的诉求；不要写入他人的身份证号码等个人信息"),
    )
    writer_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("联系电话和电子邮箱至少填写一项")
    )
    email = forms.EmailField(label=_("电子邮箱"), max_length=254, required=False)
    consent_to_publish = forms.BooleanField(
        label=_("同意在网站上公开本信及答复（姓名、联系方式等个人信息不公开）"), required=False
    )

    counted = COUNTED


class TrackForm(Form):
    code = forms.CharField(label=_("查询编号"), max_length=20)
    secret = forms.CharField(label=_("查询码"), max_length=20, widget=forms.PasswordInput(render_value=True))


class RateForm(Form):
    satisfaction = forms.ChoiceField(
        label=_("您对答复是否满意"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("评价意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(ReasonForm):
    to_body = BodyChoice(queryset=_bodies(), label=_("转至机关"))


class NoteForm(Form):
    note = forms.CharField(label=_("督办意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(Form):
    text = forms.CharField(label=_("答复内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    channel = forms.ChoiceField(
        label=_("答复方式"), choices=ReplyChannel.choices, widget=forms.RadioSelect, initial=ReplyChannel.SITE
    )
    on = forms.DateField(label=_("答复日期"), required=False, help_text=_("不填为今天"))


class PublishForm(Form):
    subject = forms.CharField(label=_("公开标题"), max_length=200, required=False)
    text = forms.CharField(
        label=_("公开的来信内容"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不填则公开来信原文（身份证号码、手机号码和来信人姓名自动隐去）"),
    )
    reply_text = forms.CharField(
        label=_("公开的答复内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnonymousForm(Form):
    accepts_anonymous = forms.BooleanField(label=_("接受匿名来信（不留联系方式）"), required=False)


class QueueFilter(Form):
    VIEWS = (
        ("open", _("待办")),
        ("due_soon", _("即将到期")),
        ("overdue", _("已超期")),
        ("answered", _("已答复")),
        ("all", _("全部")),
    )
    view = forms.ChoiceField(choices=VIEWS, required=False)
