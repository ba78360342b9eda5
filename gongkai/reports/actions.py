"""Domain functions for reports: edit narrative text, publish and withdraw a report (atomic, audited)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from gongkai.audit.log import Actor, record, snapshot
from gongkai.organisations.models import Organisation
from gongkai.reports.build import build_report
from gongkai.reports.document import checksum, freeze
from gongkai.reports.models import NarrativeTemplate, ReportPublication
from gongkai.reports.narrative import validate_template
from gongkai.reports.registry import Scope


@transaction.atomic
def save_narrative(
    actor: Actor,
    org: Organisation,
    fmt: str,
    section: int,
    text: str,
    year: int,
    *,
    carries_forward: bool = False,
) -> NarrativeTemplate:
    """Save a section's text for a year (optionally also for later years without their own text)."""
    validate_template(text)
    template, created = NarrativeTemplate.objects.select_for_update().get_or_create(
        org=org,
        year=year,
        format=fmt,
        section=section,
        defaults={"text": text, "carries_forward": carries_forward},
    )
    before = None if created else snapshot(template)
    if not created:
        template.text, template.carries_forward = text, carries_forward
        template.save(update_fields=["text", "carries_forward"])
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
    """Publish: freeze the report as it stands (numbers, text, tables) with its checksum; the public page serves
    that snapshot, so later changes to records or text do not alter a published report."""
    pub, _created = ReportPublication.objects.select_for_update().get_or_create(
        org=org, year=year, format=fmt, scope=scope
    )
    before = snapshot(pub)
    frozen = freeze(build_report(org, year, fmt, Scope(scope)))
    pub.published_at = timezone.now()
    pub.published_by = actor if isinstance(actor, User) else None
    pub.snapshot, pub.checksum = frozen, checksum(frozen)
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
