"""Public forms: the online application (2019 art 29 lists what it must contain) and the status lookup."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gongkai.cases.forms import ApplicantFields
from gongkai.cases.models import ApplicantKind, DeliveryMethod, IdDocument, ProvisionForm
from gongkai.forms import AccessibleFields, Form
from gongkai.organisations.models import Organisation

# Filled by individuals only, or by legal persons and other organisations only (2019 Regulations art 29 (1)):
# ``cases.applicants.check_applicant`` requires them for that kind, so the form marks them required in their part.
PERSON_FIELDS = ("id_document", "id_number")
ORGANISATION_FIELDS = ("credit_code", "contact_name")
COUNTED = {"subject": 500, "address": 200}  # long texts get a character counter (apply.js)
POSTCODE = RegexValidator(r"^\d{6}$", _("邮政编码为6位数字"))


class ApplicationForm(AccessibleFields, ApplicantFields):
    """The online application, laid out in steps (``portal/apply.html``): the applicant's kind, the applicant
    (an individual's identity document, or an organisation's credit code and contact person), the body, the
    request. Every text is normalised and every limit is said in words (``gongkai.forms``); the applicant's
    fields are checked as ``cases.applicants.create_applicant`` checks them (``ApplicantFields``)."""

    kind = forms.ChoiceField(label=_("申请人类别"), choices=ApplicantKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("姓名或名称"), max_length=100, help_text=_("个人填写姓名；法人或其他组织填写全称")
    )
    id_document = forms.ChoiceField(
        label=_("证件类型"), choices=[("", "—"), *IdDocument.choices], required=False
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=40, required=False)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, required=False, help_text=_("18位，见营业执照或登记证书")
    )
    legal_representative = forms.CharField(
        label=_("法定代表人或者负责人"), max_length=50, required=False, help_text=_("选填")
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, help_text=_("手机号码或固定电话，用于联系您和发送查询编号")
    )
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, help_text=_("选择以电子邮件获取信息的须填写")
    )
    address = forms.CharField(
        label=_("通信地址"), max_length=200, required=False, help_text=_("选择邮寄的须填写")
    )
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False, validators=[POSTCODE])
    body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(valid_to__isnull=True),
        label=_("向哪个机关申请"),
        error_messages={
            "required": _("请选择受理申请的机关"),
            "invalid_choice": _("所选机关不存在或已撤销，请重新查找"),
        },
    )
    body_q = forms.CharField(label=_("查找机关"), required=False)  # the search of the body step, not stored
    subject = forms.CharField(
        label=_("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=500,
        help_text=_("尽量写明文件名称、文号、形成时间或事项名称，便于机关查找"),
    )
    provision_form = forms.ChoiceField(
        label=_("信息的提供形式"), choices=ProvisionForm.choices, widget=forms.RadioSelect
    )
    delivery_method = forms.ChoiceField(
        label=_("获取信息的方式"), choices=DeliveryMethod.choices, widget=forms.RadioSelect
    )

    counted = COUNTED

    def marked_required(self, name: str, field: forms.Field) -> bool:
        """Also the fields the chosen applicant kind requires (``ApplicantFields.clean`` checks them)."""
        return field.required or name in PERSON_FIELDS + ORGANISATION_FIELDS

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
