"""Staff page for a body's disclosure guide (指南, 2019 Regulations art 12); the write goes through
``portal.actions.save_guide``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai import forms as gkforms
from gongkai import permissions
from gongkai.catalog.models import Publication, PublicationStatus
from gongkai.organisations.models import Organisation
from gongkai.portal.actions import GUIDE_FIELDS, save_guide
from gongkai.portal.models import DisclosureGuide


class GuideForm(gkforms.ModelForm[DisclosureGuide]):
    rules = forms.ModelMultipleChoiceField(
        queryset=Publication.objects.none(),
        required=False,
        label=gettext_lazy("政府信息公开制度文件"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DisclosureGuide
        fields = [*GUIDE_FIELDS, "revised_on"]
        widgets = {
            "revised_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, body: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rules"].queryset = Publication.objects.filter(  # type: ignore[attr-defined]
            body=body, status=PublicationStatus.PUBLISHED, topic__code="0101"
        ).order_by("-published_on")
        self.fields["rules"].help_text = _("列出本机关已发布、主题分类为“综合政务\\政务公开”的信息")


@login_required
def edit_guide(request: HttpRequest, org_code: str) -> HttpResponse:
    body = get_object_or_404(Organisation, org_code=org_code)
    user: Any = request.user
    if not permissions.can_edit_guide(user, body):
        raise PermissionDenied(_("只有本机关政府信息公开工作负责人可以修改指南"))
    guide = DisclosureGuide.objects.filter(body=body).first()
    initial = {"revised_on": timezone.localdate()}
    if guide is not None:
        initial["rules"] = list(guide.rules.all())  # type: ignore[assignment]
    form = GuideForm(request.POST or None, instance=guide, initial=initial, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_guide(
                user,
                body,
                revised_on=data["revised_on"],
                rules=list(data["rules"]),
                **{f: data[f] for f in GUIDE_FIELDS},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("指南已保存"))
            return redirect("portal:body_guide", org_code=body.org_code)
    return render(request, "portal/staff_guide.html", {"form": form, "body": body})


urlpatterns = [path("<str:org_code>/", edit_guide, name="guide_edit")]
