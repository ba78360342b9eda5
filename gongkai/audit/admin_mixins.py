"""Admin writes go through the audit log too: an admin save or delete is a domain write with before/after."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.audit.log import described, record, snapshot

M = TypeVar("M", bound=models.Model)


class AuditedModelAdmin(admin.ModelAdmin[M], Generic[M]):
    """A ModelAdmin whose saves and deletes each append an audit entry in the same transaction."""

    # Fields left out of the log for other reasons than secrecy (secrets are never in it: log.secret_fields).
    audit_exclude: tuple[str, ...] = ()

    def _snapshot(self, obj: M) -> dict[str, Any]:
        return snapshot(obj, exclude=self.audit_exclude)

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                old = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = self._snapshot(old) if old is not None else None
            self.write(obj)
            action = f"{obj._meta.label_lower}.{'change' if change else 'add'}"
            record(
                request.user, action, obj, before=before, after=self._snapshot(obj), summary=described(obj)
            )

    def write(self, obj: M) -> None:
        """Persist the object; subclasses route this through their app's domain function."""
        obj.save()

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        with transaction.atomic():
            before = self._snapshot(obj)
            pk = str(obj.pk)
            obj.delete()
            record(
                request.user,
                f"{obj._meta.label_lower}.delete",
                object_type=obj._meta.label_lower,
                object_id=pk,
                before=before,
                summary=described(obj),
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. a publication's channel postings) are audited with their parent object."""
        with transaction.atomic():
            saved = formset.save()
            deleted = [str(obj.pk) for obj in formset.deleted_objects]
            if saved or deleted:
                record(
                    request.user,
                    f"{formset.model._meta.label_lower}.inline_save",
                    form.instance,
                    after={"saved": [snapshot(o) for o in saved], "deleted": deleted},
                    summary=described(form.instance),
                )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
