from __future__ import annotations

from django.contrib import admin

from gongkai.audit.admin_mixins import AuditedModelAdmin
from gongkai.cases.models import (
    AdministrativeReview,
    Applicant,
    FeeCollected,
    InformationRequest,
    Lawsuit,
    OutcomeMapping,
)


@admin.register(InformationRequest)
class InformationRequestAdmin(AuditedModelAdmin[InformationRequest]):
    list_display = [
        "receipt_date",
        "subject",
        "body",
        "channel",
        "regime",
        "due_date",
        "answered_on",
        "outcome",
    ]
    list_filter = ["regime", "channel", "applicant_kind", "outcome"]
    search_fields = ["subject", "body__name"]
    date_hierarchy = "receipt_date"
    autocomplete_fields = ["body"]
    # Deadlines and the regime are computed by gongkai.cases.actions, never typed.
    readonly_fields = ["receipt_date", "regime", "due_date", "extended_due_date"]

    # Cases change only through gongkai.cases.transitions (state checks, deadlines, timeline): read only here.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(OutcomeMapping)
class OutcomeMappingAdmin(AuditedModelAdmin[OutcomeMapping]):
    list_display = ["outcome", "table3_row", "confirmed"]
    list_filter = ["confirmed"]


for remedy in (AdministrativeReview, Lawsuit):
    admin.site.register(
        remedy,
        AuditedModelAdmin,
        list_display=["body", "filed_on", "decided_on", "outcome"],
        autocomplete_fields=["body"],
        raw_id_fields=["request"],
    )
admin.site.register(
    FeeCollected,
    AuditedModelAdmin,
    list_display=["body", "amount_yuan", "collected_on"],
    autocomplete_fields=["body"],
    raw_id_fields=["request"],
)


@admin.register(Applicant)
class ApplicantAdmin(AuditedModelAdmin[Applicant]):
    """Lists show masked identifiers only; revealing one is a separate, audited step on the case page."""

    list_display = ["name", "kind", "id_document", "id_number_masked", "credit_code", "phone_masked"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["id_number_masked", "phone_masked", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # created through gongkai.cases.applicants (validation and encryption)
