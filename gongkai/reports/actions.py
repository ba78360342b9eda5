"""Domain functions for reports: edit narrative text, publish and withdraw a report (atomic, audited)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.audit.log import Actor, record, snapshot
from gongkai.organisations.models import Organisation
from gongkai.reports.models import NarrativeTemplate, ReportPublication
from gongkai.reports.narrative import validate_template


@transaction.atomic
def save_narrative(
    actor: Actor, org: Organisation, fmt: str, section: int, text: str, year: int | None
) -> NarrativeTemplate:
    validate_template(text)
    template, created = NarrativeTemplate.objects.select_for_update().get_or_create(
        org=org, year=year, format=fmt, section=section, defaults={"text": text}
    )
    before = None if created else snapshot(template)
    if not created:
        template.text = text
        template.save(update_fields=["text"])
    record(
        actor,
        "report.narrative.save",
        template,
        before=before,
        after=snapshot(template),
        summary=str(template),
    )
    return template


@transaction.atomic
def publish_report(actor: Actor, org: Organisation, year: int, fmt: str, scope: str) -> ReportPublication:
    pub, _created = ReportPublication.objects.select_for_update().get_or_create(
        org=org, year=year, format=fmt, scope=scope
    )
    before = snapshot(pub)
    pub.published_at = timezone.now()
    pub.published_by = actor if isinstance(actor, User) else None
    pub.save()
    record(actor, "report.publish", pub, before=before, after=snapshot(pub), summary=str(pub))
    return pub


@transaction.atomic
def withdraw_report(actor: Actor, pub: ReportPublication) -> ReportPublication:
    before = snapshot(pub)
    pub.published_at = None
    pub.published_by = None
    pub.save()
    record(actor, "report.withdraw", pub, before=before, after=snapshot(pub), summary=str(pub))
    return pub
