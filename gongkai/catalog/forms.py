"""Forms for the staff catalog pages: parse and validate input; the work itself is in ``transitions`` (the
publishing workflow) and ``vocabularies`` (topics, genres, key areas)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.catalog import transitions
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import (
    Channel,
    Genre,
    NormativeKind,
    Publication,
    PublicationStatus,
    ReviewConclusion,
    Topic,
)
from gongkai.forms import Form, ModelForm
from gongkai.organisations.models import Organisation, OrganisationQuerySet, OrgKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join(f".{ext}" for ext in transitions.ATTACHMENT_TYPES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked as ``transitions.check_upload`` before anything is
    stored, so a bad file is refused with its name and nothing is written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            upload.seek(0)
            head = upload.read(16)
            upload.seek(0)
            try:
                transitions.check_upload(upload.name or "", upload.size or 0, head)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["file"]) from exc
        return cleaned


class PublicationForm(ModelForm[Publication]):
    """A new draft or a change to one. The interpreted policy is named by its index number (a catalog has
    tens of thousands of items; a select list of them would be unusable)."""

    interprets_number = forms.CharField(
        label=_("解读的政策文件（索引号）"),
        required=False,
        max_length=60,
        help_text=_("体裁为“解读”时填写被解读文件的索引号：本机关的文件或任何已发布的文件"),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        help_text=_("可多选；允许 pdf、doc、docx、xls、xlsx、ofd、jpg、png、zip"),
    )

    class Meta:
        model = Publication
        fields = [
            "title",
            "document_number",
            "publisher",
            "made_on",
            "description",
            "text",
            "keywords",
            "topic",
            "genre",
            "key_area",
            "normative_kind",
            "issued_on",
            "repealed_on",
        ]
        widgets = {
            "made_on": DATE,
            "issued_on": DATE,
            "repealed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args: Any, body: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["topic"].queryset = Topic.objects.select_related("parent").order_by("code")  # type: ignore[attr-defined]
        self.fields["issued_on"].help_text = _("规范性文件必填；留空时取成文日期")
        self.fields["repealed_on"].help_text = _("已知失效日期的规范性文件可填写；发布后请用“废止”操作")
        if self.instance.interprets is not None:
            self.fields["interprets_number"].initial = index_number(self.instance.interprets)

    def clean_interprets_number(self) -> Publication | None:
        text = str(self.cleaned_data.get("interprets_number") or "").strip()
        if not text:
            return None
        target = transitions.find_by_index_number(text)
        if target is None:
            raise ValidationError(_("找不到索引号为“%(n)s”的文件") % {"n": text})
        if target.body_id != self.body.pk and target.status != PublicationStatus.PUBLISHED:
            raise ValidationError(_("被解读的文件须为本机关的文件或已发布的文件"))
        return target

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("normative_kind") and not data.get("issued_on") and data.get("made_on"):
            data["issued_on"] = data["made_on"]
        if not data.get("normative_kind") and data.get("repealed_on"):
            self.add_error("repealed_on", _("只有规范性文件才有废止日期"))
        target, genre = data.get("interprets_number"), data.get("genre")
        if target is not None and (genre is None or genre.code != Genre.INTERPRETATION):
            self.add_error("interprets_number", _("只有体裁为“解读”的信息才能关联被解读的政策文件"))
        return data

    def fields_for_domain(self) -> dict[str, Any]:
        """The cleaned values under the model's field names (for ``create_draft`` / ``update_draft``)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["normative_kind"] = data["normative_kind"] or NormativeKind.NONE
        data["interprets"] = self.cleaned_data.get("interprets_number")
        return data


class NewDraftForm(PublicationForm):
    """A new draft names its body when the user may draft for more than one."""

    body_choice: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("发布机关"), empty_label=None
    )

    def __init__(self, *args: Any, bodies: OrganisationQuerySet, **kwargs: Any) -> None:
        first = bodies.first()
        super().__init__(*args, body=first or Organisation(), **kwargs)
        field = self.fields["body_choice"]
        field.queryset = bodies  # type: ignore[attr-defined]
        self.only_body = first if bodies[:2].count() == 1 else None
        if self.only_body is not None:  # a body's own staff draft for it: nothing to choose
            field.required = False
            field.widget = forms.HiddenInput()
            field.initial = self.only_body.pk
        self.order_fields(["body_choice"])

    def clean_body_choice(self) -> Organisation:
        body: Organisation | None = self.cleaned_data.get("body_choice") or self.only_body
        if body is None:
            raise ValidationError(_("请选择发布机关"))
        self.body = body
        return body


class ReviewForm(Form):
    on = forms.DateField(label=_("审查日期"), widget=DATE)
    conclusion = forms.ChoiceField(
        label=_("审查结论"), choices=ReviewConclusion.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("审查意见"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意公开的须写明理由（例如涉及国家秘密、商业秘密或个人隐私）"),
    )


class PublishForm(Form):
    on = forms.DateField(label=_("发布日期"), widget=DATE)
    channels: forms.ModelMultipleChoiceField[Channel] = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.none(),
        label=_("发布渠道"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("首次发布至少选择一个；本机关及本级人民政府的渠道"),
    )

    def __init__(self, *args: Any, pub: Publication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels_for(pub.body)  # type: ignore[attr-defined]


GOVERNMENTS = {OrgKind.GOVERNMENT, OrgKind.COUNTY, OrgKind.TOWNSHIP}


def channels_for(body: Organisation) -> Any:
    """The channels a body publishes on: its own and those of its level's people's government (the nearest
    government at or above it: a department publishes on the city portal)."""
    ids = [int(seg) for seg in body.path.split(".") if seg]
    governments = Organisation.objects.filter(pk__in=ids, kind__in=GOVERNMENTS).order_by("-depth")
    government = governments.first()
    owners = Q(owner=body) | Q(owner=government) if government is not None else Q(owner=body)
    return Channel.objects.filter(owners).select_related("kind", "owner").order_by("owner__path", "name")


class ReviseForm(Form):
    reason = forms.CharField(label=_("修订原因"), max_length=300)
    on = forms.DateField(
        label=_("修订日期"),
        widget=DATE,
        required=False,
        help_text=_("留空为今天；修订稿须在此后20个工作日内发布"),
    )
    title = forms.CharField(label=_("标题"), max_length=300)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    text = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    attachments = MultipleFileField(label=_("新增附件"))


class WithdrawForm(Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("撤回日期"), widget=DATE, required=False, help_text=_("留空为今天"))


class RepealForm(Form):
    on = forms.DateField(label=_("废止日期"), widget=DATE)
    reason = forms.CharField(
        label=_("废止原因或依据"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：根据某某决定废止，或有效期届满"),
    )


class AttachmentForm(Form):
    attachments = MultipleFileField(label=_("上传附件"), required=True)


class CatalogFilter(Form):
    """The list's filters; every one is optional and an invalid value is ignored with its error shown."""

    STAGES = [
        ("", _("全部")),
        ("awaiting_review", _("待保密审查")),
        ("ready", _("已审查待发布")),
    ]
    NORMATIVE = [
        ("", _("全部")),
        ("yes", _("规章和规范性文件")),
        ("in_force", _("现行有效的规范性文件")),
        ("repealed", _("已废止的规范性文件")),
        ("no", _("非规范性文件")),
        ("uninterpreted", _("尚无解读的政策文件")),
    ]
    q = forms.CharField(label=_("标题或文号"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *PublicationStatus.choices]
    )
    stage = forms.ChoiceField(label=_("审查"), required=False, choices=STAGES)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1990, max_value=2999)
    body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("机关"), required=False
    )
    topic: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        queryset=Topic.objects.none(), label=_("主题分类"), required=False
    )
    genre: forms.ModelChoiceField[Genre] = forms.ModelChoiceField(
        queryset=Genre.objects.all(), label=_("体裁"), required=False
    )
    normative = forms.ChoiceField(label=_("规范性文件"), required=False, choices=NORMATIVE)
    late = forms.BooleanField(label=_("超过20个工作日"), required=False)

    def __init__(self, *args: Any, bodies: OrganisationQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies.order_by("path")  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.select_related("parent").order_by("code")  # type: ignore[attr-defined]


class TermForm(Form):
    code = forms.CharField(label=_("代码"), max_length=30)
    name = forms.CharField(label=_("名称"), max_length=50)


class TopicForm(TermForm):
    parent: forms.ModelChoiceField[Topic] = forms.ModelChoiceField(
        queryset=Topic.objects.filter(parent__isnull=True).order_by("code"),
        label=_("上级分类"),
        required=False,
        empty_label=_("（一级分类）"),
        error_messages={"invalid_choice": _("主题分类只有两级：上级分类须为一级分类")},
    )


class RenameForm(Form):
    name = forms.CharField(label=_("新名称"), max_length=50)
