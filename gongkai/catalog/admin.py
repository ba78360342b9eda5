from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.catalog.actions import index_number
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    ConfidentialityReview,
    Genre,
    IndexNumberTemplate,
    KeyArea,
    Publication,
    PublicationChannel,
    Topic,
)

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
