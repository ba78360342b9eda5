"""Forms for staff casework: parse and validate input; the work itself is in ``transitions``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.cases import bases, outcomes
from gongkai.cases.applicants import APPLICANT_FIELDS, check_applicant
from gongkai.cases.models import ApplicantKind, IdDocument, RequestChannel
from gongkai.catalog.forms import MultipleFileField
from gongkai.forms import Form
from gongkai.organisations.models import Organisation


class ApplicantFields(Form):
    """The applicant's fields checked as ``applicants.create_applicant`` checks them (the same function), so a
    form says by field what the domain would refuse; the cleaned data gets the canonical identifiers."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = {name: str(data.get(name) or "") for name in APPLICANT_FIELDS if name in self.fields}
        cleaned, errors = check_applicant(raw)
        for name, message in errors.items():
            if name in raw and name not in self.errors:
                self.add_error(name, message)
        data.update({name: cleaned[name] for name in raw if name in data})
        return data


class IntakeForm(ApplicantFields):
    body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("办理机关")
    )
    received = forms.DateTimeField(label=_("收到时间"), help_text=_("例如 2026-03-09 10:30"))
    channel = forms.ChoiceField(label=_("申请方式"), choices=RequestChannel.choices)
    kind = forms.ChoiceField(label=_("申请人类别"), choices=ApplicantKind.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=100)
    id_document = forms.ChoiceField(
        label=_("证件类型"), choices=[("", "—"), *IdDocument.choices], required=False
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=40, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人或者负责人（法人或其他组织）"), max_length=50, required=False
    )
    contact_name = forms.CharField(label=_("联系人（法人或其他组织）"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    subject = forms.CharField(label=_("申请内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=500)

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class DateForm(Form):
    on = forms.DateField(label=_("日期"))


class NoteForm(DateForm):
    note = forms.CharField(label=_("需补正的内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsultForm(DateForm):
    party = forms.ChoiceField(
        label=_("征求对象"), choices=[("third_party", _("第三方")), ("other_body", _("其他机关"))]
    )
    name = forms.CharField(label=_("名称"), max_length=100)


class ReplyForm(DateForm):
    reply = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(DateForm):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(DateForm):
    """The answer: its outcome, its text, the basis cited (from the citations that fit the outcome), for a
    partial disclosure the part withheld and why, and the documents provided."""

    outcome = forms.ChoiceField(label=_("办理结果"), choices=())
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text=_(
            "写入答复书正文，例如提供的信息、获取方式或不予公开的理由；不填则答复书只写明办理结果和依据"
        ),
    )
    basis = forms.ChoiceField(
        label=_("法律依据"),
        required=False,
        choices=(),
        help_text=_("须与办理结果相符；不选则按办理结果引用默认条款"),
    )
    withheld_part = forms.CharField(
        label=_("不予公开的部分（部分公开时填写）"), max_length=300, required=False
    )
    withheld_ground = forms.ChoiceField(
        label=_("不予公开部分的理由（部分公开时选择）"),
        required=False,
        choices=[("", "—"), *[(g.code, f"{g.label}（{g.article}）") for g in bases.WITHHELD_GROUNDS]],
    )
    documents = MultipleFileField(
        label=_("提供的文件"),
        help_text=_("可多选；答复书将逐一列出文件名称；允许 pdf、doc、docx、xls、xlsx、ofd、jpg、png、zip"),
    )

    def __init__(self, *args: Any, regime: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = [o.code for o in outcomes.OUTCOMES if o.regime == regime]
        self.fields["outcome"].choices = [(o.code, o.label) for o in outcomes.OUTCOMES if o.regime == regime]  # type: ignore[attr-defined]
        citations = list(dict.fromkeys(c for code in codes for c in bases.choices(code)))
        self.fields["basis"].choices = [("", _("按办理结果默认")), *[(c, c) for c in citations]]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome, basis = data.get("outcome", ""), data.get("basis", "")
        if outcome and basis and basis not in bases.choices(outcome):
            self.add_error(
                "basis",
                _("“%(basis)s”不是该办理结果的依据；可选：%(ok)s")
                % {"basis": basis, "ok": "、".join(bases.choices(outcome))},
            )
        # As ``transitions.answer``: a partial disclosure that says anything names the part withheld and why
        # (2019 art 37); a bare outcome (as other systems record one through the API) stays possible.
        if outcome in bases.PARTLY and (str(data.get("text", "")).strip() or data.get("withheld_ground")):
            if not data.get("withheld_ground"):
                self.add_error("withheld_ground", _("部分公开须选择不予公开部分的理由"))
            if not str(data.get("withheld_part", "")).strip():
                self.add_error("withheld_part", _("部分公开须写明不予公开的部分"))
        return data


class ReasonForm(DateForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class RevealForm(Form):
    reason = forms.CharField(label=_("查看理由"), max_length=200)


class InboxFilter(Form):
    VIEWS = [
        ("open", _("办理中")),
        ("due_soon", _("3个工作日内到期")),
        ("overdue", _("已超期")),
        ("supervised", _("督办中")),
        ("to_sign", _("待分办/签收")),
        ("paused", _("暂停计时")),
        ("answered", _("已答复")),
        ("all", _("全部")),
    ]
    view = forms.ChoiceField(choices=VIEWS, required=False, label=_("范围"))
    outcome = forms.ChoiceField(choices=[("", "—"), *outcomes.CHOICES], required=False, label=_("办理结果"))


class BodyForm(DateForm):
    to_body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(valid_to__isnull=True).order_by("path"), label=_("交由机关")
    )


class TransferForm(BodyForm):
    reason = forms.CharField(label=_("转办理由"), widget=forms.Textarea(attrs={"rows": 3}))


class SuperviseForm(DateForm):
    comment = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(label=_("办结期限"))


class RemedyFileForm(Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            ("review", _("行政复议")),
            ("direct", _("行政诉讼（未经复议）")),
            ("after_review", _("行政诉讼（复议后起诉）")),
        ],
    )
    filed_on = forms.DateField(label=_("立案日期"))


class RemedyDecideForm(Form):
    outcome = forms.ChoiceField(
        label=_("结果"), choices=[("upheld", _("维持")), ("corrected", _("纠正")), ("other", _("其他结果"))]
    )
    decided_on = forms.DateField(label=_("决定（判决）日期"))


class ItemsForm(DateForm):
    descriptions = forms.CharField(label=_("申请事项（每行一项）"), widget=forms.Textarea(attrs={"rows": 4}))


class ItemAnswerForm(DateForm):
    """One outcome per item of a multi-item application."""

    def __init__(self, *args: Any, req: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(o.code, o.label) for o in outcomes.OUTCOMES if o.regime == req.regime]
        self.items = list(req.items.order_by("position"))
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=f"{item.position}. {item.description}", choices=choices
            )

    def item_outcomes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class FeeForm(DateForm):
    amount_yuan = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=10, decimal_places=2)


class NumberingForm(Form):
    """A body's 文号 template for a year (``numbering.check_template`` says what is allowed)."""

    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    template = forms.CharField(
        label=_("文号模板"),
        max_length=100,
        help_text=_(
            "可用占位符：{机关代字}、{year}（年度）、{seq}（顺序号），例如 {机关代字}依申〔{year}〕{seq}号"
        ),
    )
