from __future__ import annotations

from typing import Any

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.catalog.actions import index_number
from gongkai.catalog.figures import FIELDS, check_body_year, store_proactive_figures
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    ConfidentialityReview,
    Genre,
    IndexNumberTemplate,
    KeyArea,
    ProactiveFigures,
    Publication,
    PublicationChannel,
    Topic,
)
from gongkai.forms import ModelForm

for vocabulary in (ChannelKind, Genre, KeyArea):
    admin.site.register(vocabulary, AuditedModelAdmin, list_display=["code", "name"], search_fields=["name"])


@admin.register(Topic)
class TopicAdmin(AuditedModelAdmin[Topic]):
    list_display = ["code", "__str__"]
    search_fields = ["name", "code"]


@admin.register(Channel)
class ChannelAdmin(AuditedModelAdmin[Channel]):
    list_display = ["name", "kind", "owner", "is_portal"]
    list_filter = ["kind", "is_portal"]
    search_fields = ["name", "owner__name"]
    autocomplete_fields = ["owner"]


@admin.register(IndexNumberTemplate)
class IndexNumberTemplateAdmin(AuditedModelAdmin[IndexNumberTemplate]):
    list_display = ["body", "template"]
    autocomplete_fields = ["body"]


class PostingInline(admin.TabularInline[PublicationChannel, Publication]):
    model = PublicationChannel
    extra = 0
    autocomplete_fields = ["channel"]


@admin.register(Publication)
class PublicationAdmin(AuditedModelAdmin[Publication]):
    list_display = ["rendered_index_number", "title", "body", "published_on", "genre", "normative_kind"]
    list_filter = ["normative_kind", "genre", "topic"]
    search_fields = ["title", "document_number"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["body", "interprets"]
    inlines = [PostingInline]
    list_select_related = ["body", "genre"]

    @admin.display(description="索引号")
    def rendered_index_number(self, obj: Publication) -> str:
        return index_number(obj)

    # Items are recorded through gongkai.catalog.actions (index numbers allocated, channels required); the
    # publishing workflow with its review comes with the catalog. Here they are read only.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(admin.ModelAdmin[ConfidentialityReview]):
    """Read only: reviews are recorded through gongkai.catalog.transitions.review."""

    list_display = ["publication", "version", "reviewer", "reviewed_on", "conclusion"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class ProactiveFiguresForm(ModelForm[ProactiveFigures]):
    class Meta:
        model = ProactiveFigures
        fields = ["body", "year", *FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, year = data.get("body"), data.get("year")
        if body is not None and year is not None:
            check_body_year(body, year)  # its ValidationError names the field
        return data


@admin.register(ProactiveFigures)
class ProactiveFiguresAdmin(AuditedModelAdmin[ProactiveFigures]):
    """Table 2 figures per body and year; saves are validated by ``store_proactive_figures`` and audited."""

    form = ProactiveFiguresForm
    list_display = ["body", "year", "licensing_decisions", "penalty_decisions", "fee_amount_wan_yuan"]
    list_filter = ["year"]
    search_fields = ["body__name"]
    autocomplete_fields = ["body"]
    list_select_related = ["body"]

    def write(self, obj: ProactiveFigures) -> None:
        store_proactive_figures(obj)
