"""Public forms: the online application (2019 art 29 lists what it must contain) and the status lookup."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.cases.forms import ApplicantFields
from gongkai.cases.models import ApplicantKind, DeliveryMethod, IdDocument, ProvisionForm
from gongkai.forms import Form
from gongkai.organisations.models import Organisation


class ApplicationForm(ApplicantFields):
    """Every text is normalised and every limit is said in words (``gongkai.forms``); the applicant's fields are
    checked as ``cases.applicants.create_applicant`` checks them (``ApplicantFields``)."""

    body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(valid_to__isnull=True).order_by("path"),
        label=_("向哪个机关申请"),
        help_text=_("不确定时请选择本级人民政府，由其转交负责的机关"),
    )
    kind = forms.ChoiceField(label=_("申请人类别"), choices=ApplicantKind.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=100)
    id_document = forms.ChoiceField(
        label=_("证件类型（个人）"), choices=[("", "—"), *IdDocument.choices], required=False
    )
    id_number = forms.CharField(label=_("证件号码（个人）"), max_length=40, required=False)
    credit_code = forms.CharField(
        label=_("统一社会信用代码（法人或其他组织）"), max_length=30, required=False
    )
    contact_name = forms.CharField(label=_("联系人（法人或其他组织）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    subject = forms.CharField(
        label=_("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=500,
    )
    provision_form = forms.ChoiceField(label=_("信息的提供形式"), choices=ProvisionForm.choices)
    delivery_method = forms.ChoiceField(label=_("获取信息的方式"), choices=DeliveryMethod.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        method = data.get("delivery_method")
        if method == DeliveryMethod.POST and not data.get("address") and "address" not in self.errors:
            self.add_error("address", _("选择邮寄的，请填写通信地址"))
        if method == DeliveryMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("选择电子邮件的，请填写电子邮箱"))
        return data


class TrackForm(Form):
    code = forms.CharField(label=_("查询编号"), max_length=20)
    secret = forms.CharField(label=_("查询码"), max_length=20, widget=forms.PasswordInput)
