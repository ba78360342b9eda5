"""Domain functions for reports: edit narrative text, publish, correct and withdraw a report (atomic, audited).

Publishing freezes a ``ReportVersion`` (issue 5, deliverable 6): the document as plain data
(``document.freeze``), its SHA-256, the exported files, the validation findings (statutory-reference §3.4 — a
report with an error is published only with an explicit override reason, shown publicly) and the share of its
narrative identical to last year's report (§3.4 soft rule, warning above 80%). A correction is a new version
with its reason; earlier versions are never changed."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, acting_user, record, snapshot
from gongkai.organisations.models import Organisation
from gongkai.reports import validation
from gongkai.reports.build import Report, build_report
from gongkai.reports.document import checksum, freeze
from gongkai.reports.exports import SUFFIXES, render_frozen
from gongkai.reports.models import NarrativeTemplate, ReportPublication, ReportVersion, ReportVersionFile
from gongkai.reports.narrative import validate_template
from gongkai.reports.narrative_checks import narrative_similarity
from gongkai.reports.registry import Scope

SIMILARITY_WARNING = 0.8  # statutory-reference §3.4 soft rule: ≥ 80% identical to last year's narrative
# Findings that publishing itself resolves, so they never need an override: the "deadline" error says the
# report is overdue and not yet published — publishing is the remedy (a late publication stays a warning).
RESOLVED_BY_PUBLISHING = frozenset({"deadline"})
# Suffixes frozen at publication; None = every suffix the exporters offer (tests narrow it to stay fast).
FROZEN_SUFFIXES: tuple[str, ...] | None = None


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


# Validation ---------------------------------------------------------------------------------------------------


def report_findings(report: Report, *, today: date | None = None) -> list[dict[str, Any]]:
    """The findings of statutory-reference §3.4 for a report (``validation.validate_report``), as
    ``{rule, severity, message, cells}`` dicts."""
    findings = validation.validate_report(
        report.org, report.year, report.format, report.scope, today=today, report=report
    )
    return [f.as_dict() for f in findings]


def blocking_errors(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["severity"] == "error" and f["rule"] not in RESOLVED_BY_PUBLISHING]


# Similarity to last year ----------------------------------------------------------------------------------


def narrative_text(frozen: dict[str, Any]) -> str:
    return "\n".join(p for s in frozen.get("sections", []) for p in s.get("paragraphs", []))


def similarity(current: str, previous: str) -> float:
    """The share of ``current`` identical to ``previous`` (``narrative_checks.narrative_similarity``)."""
    return float(narrative_similarity(current, previous))


def previous_narrative(org: Organisation, year: int, scope: Scope) -> str:
    """Last year's narrative of the same body: as published, else as its texts render now (the same measure
    as the validation's similarity warning, ``validation.previous_narrative``)."""
    return validation.previous_narrative(org, year - 1, scope)


def similarity_to_last_year(report: Report, frozen: dict[str, Any]) -> float | None:
    previous = previous_narrative(report.org, report.year, report.scope)
    current = narrative_text(frozen)
    if not previous.strip() or not current.strip():
        return None
    return round(similarity(current, previous), 4)


# Files ----------------------------------------------------------------------------------------------------------


def frozen_files(frozen: dict[str, Any]) -> dict[str, bytes]:
    """The exported files of a version, rendered from the frozen dict (``exports.render_frozen``); tests may
    narrow the suffixes with ``FROZEN_SUFFIXES``."""
    suffixes = SUFFIXES if FROZEN_SUFFIXES is None else [s for s in SUFFIXES if s in FROZEN_SUFFIXES]
    return {suffix: render_frozen(frozen, suffix) for suffix in suffixes}


def _store_files(version: ReportVersion, files: dict[str, bytes]) -> None:
    pub = version.publication
    for suffix, data in files.items():
        digest = hashlib.sha256(data).hexdigest()
        item = ReportVersionFile(version=version, suffix=suffix, sha256=digest, size=len(data))
        name = f"{pub.org.org_code}-{pub.year}-{pub.scope}-v{version.number}{suffix}"
        item.file.save(name, ContentFile(data), save=False)
        item.save()


# Publishing -----------------------------------------------------------------------------------------------------


def _new_version(
    actor: Actor,
    pub: ReportPublication,
    number: int,
    *,
    reason: str,
    override_reason: str,
    today: date | None,
) -> ReportVersion:
    """Freeze the report as it stands now into version ``number`` (checks run first: nothing is written when
    the override reason is missing)."""
    report = build_report(pub.org, pub.year, pub.format, Scope(pub.scope))
    findings = report_findings(report, today=today)
    errors = blocking_errors(findings)
    override_reason = override_reason.strip()
    if errors and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "报告有%(n)d项错误（%(first)s），须填写仍予发布的理由，该理由将在公开页面显示"
                )
                % {"n": len(errors), "first": errors[0]["message"]}
            }
        )
    frozen = freeze(report)
    now = timezone.now()
    version = ReportVersion.objects.create(
        publication=pub,
        number=number,
        snapshot=frozen,
        checksum=checksum(frozen),
        published_at=now,
        published_by=acting_user(actor),
        reason=reason,
        override_reason=override_reason if errors else "",
        findings=findings,
        similarity=similarity_to_last_year(report, frozen),
    )
    _store_files(version, frozen_files(frozen))
    pub.published_at, pub.published_by = now, version.published_by
    pub.snapshot, pub.checksum = version.snapshot, version.checksum
    pub.save()
    return version


@transaction.atomic
def publish_report(
    actor: Actor,
    org: Organisation,
    year: int,
    fmt: str,
    scope: str,
    *,
    override_reason: str = "",
    today: date | None = None,
) -> ReportPublication:
    """Publish: freeze the report as it stands (numbers, text, tables, files) as version 1 with its checksum;
    the public page serves that version, so later changes to records or text do not alter it. A report with
    §3.4 errors needs ``override_reason``. Re-publishing a withdrawn report shows its current version again
    (changes go through ``correct_report``); publishing a report that is already public is refused."""
    pub, _created = ReportPublication.objects.select_for_update().get_or_create(
        org=org, year=year, format=fmt, scope=scope
    )
    before = snapshot(pub)
    current = pub.current_version
    if current is None:
        version = _new_version(actor, pub, 1, reason="", override_reason=override_reason, today=today)
    elif pub.is_published:
        raise ValidationError(
            {"action": _("该报告已发布（第%(n)d版），如需修改请发布更正版本") % {"n": current.number}}
        )
    else:
        version = current
        pub.published_at, pub.published_by = timezone.now(), acting_user(actor)
        pub.save(update_fields=["published_at", "published_by"])
    record(
        actor,
        "report.publish",
        pub,
        before=before,
        after=snapshot(pub) | {"version": version.number, "override_reason": version.override_reason},
        summary=f"{pub} v{version.number}",
    )
    return pub


@transaction.atomic
def correct_report(
    actor: Actor,
    publication: ReportPublication,
    *,
    reason: str,
    override_reason: str = "",
    today: date | None = None,
) -> ReportVersion:
    """A correction: version n+1 from the current records and texts, with its reason (shown on the public
    version list). Earlier versions stay as they were; the report becomes (or stays) public."""
    pub = ReportPublication.objects.select_for_update().get(pk=publication.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正原因")})
    current = pub.current_version
    if current is None:
        raise ValidationError({"reason": _("报告尚未发布，无需更正，请直接发布")})
    before = snapshot(pub)
    version = _new_version(
        actor, pub, current.number + 1, reason=reason, override_reason=override_reason, today=today
    )
    record(
        actor,
        "report.correct",
        pub,
        before=before,
        after=snapshot(pub) | {"version": version.number, "reason": reason},
        summary=f"{pub} v{version.number}",
    )
    publication.refresh_from_db()
    return version


@transaction.atomic
def withdraw_report(actor: Actor, pub: ReportPublication) -> ReportPublication:
    """Take a report off the public site; its versions stay (re-publishing shows the current one again)."""
    before = snapshot(pub)
    pub.published_at = None
    pub.published_by = None
    pub.save()
    record(actor, "report.withdraw", pub, before=before, after=snapshot(pub), summary=str(pub))
    return pub
