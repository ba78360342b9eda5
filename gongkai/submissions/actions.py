"""Submitting and withdrawing a body's figures (填报) — each one transaction with its audit entry.

A submission is parsed and checked in full before anything is written: an invalid upload stores nothing, not
even its file. A new submission supersedes the body's current one for the same year and format (kept for
history); withdrawing leaves the body with no current submission (its figures come from its records again —
the earlier, superseded upload does not come back).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.audit.log import Actor, record
from gongkai.inputs import InputError, normalise_text, strip_illegal
from gongkai.organisations.models import Organisation
from gongkai.reports.formats import FORMAT_CODES
from gongkai.submissions.layout import TEMPLATE_VERSION, layout
from gongkai.submissions.models import Submission, SubmittedValue
from gongkai.submissions.xlsx import Problem, SubmissionError, parse_workbook


def submit(
    actor: User, org: Organisation, year: int, fmt: str, fileobj: IO[bytes], filename: str
) -> Submission:
    """Store ``org``'s figures for ``year`` in ``fmt`` from an uploaded template (issue 5 deliverable 2;
    2019 Regulations art 49-50). Raises ``SubmissionError`` (nothing stored) or ``PermissionDenied``."""
    if not permissions.can_submit_figures(actor, org):
        raise PermissionDenied
    return _store(actor, actor, org, year, fmt, fileobj, filename)


def _store(
    actor: Actor,
    uploaded_by: User | None,
    org: Organisation,
    year: int,
    fmt: str,
    fileobj: IO[bytes],
    filename: str,
) -> Submission:
    """Check and store an upload in one transaction: ``submit``'s and ``submit_for_system``'s shared part."""
    if fmt not in FORMAT_CODES:
        raise SubmissionError([Problem("", "", _("未知的报告格式“%(fmt)s”") % {"fmt": fmt})])
    data = fileobj.read()
    parsed = parse_workbook(data, org, year, fmt)
    _check_values(parsed.values, fmt)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        previous = list(Submission.objects.select_for_update().current().in_format(year, fmt).filter(org=org))
        now = timezone.now()
        for old in previous:
            old.is_current, old.superseded_at = False, now
            old.save(update_fields=["is_current", "superseded_at"])
        submission = Submission(
            org=org,
            year=year,
            format=fmt,
            original_name=strip_illegal(filename, multiline=False)[:255],
            sha256=digest,
            size=len(data),
            template_version=TEMPLATE_VERSION,
            warnings=parsed.warnings,
            uploaded_by=uploaded_by,
            uploaded_at=now,
        )
        submission.file.save(f"{digest}.xlsx", ContentFile(data), save=False)
        stored = submission.file.name or ""
        try:
            _save(actor, submission, parsed.values, previous)
        except Exception:
            submission.file.storage.delete(stored)
            raise
    return submission


def _save(
    actor: Actor, submission: Submission, values: dict[str, Decimal], previous: list[Submission]
) -> None:
    """Write the submission, its figures and the audit entries (inside ``submit``'s transaction)."""
    submission.save()
    SubmittedValue.objects.bulk_create(
        SubmittedValue(submission=submission, statistic_key=k, value=v) for k, v in values.items()
    )
    record(
        actor,
        "submission.submit",
        submission,
        after={
            "year": submission.year,
            "format": submission.format,
            "sha256": submission.sha256,
            "values": len(values),
        },
        summary=_("%(org)s提交%(year)s年度报表（%(fmt)s格式）")
        % {"org": submission.org.name, "year": submission.year, "fmt": submission.format},
    )
    if previous:
        record(actor, "submission.supersede", previous[0], after={"superseded_by": submission.pk})


def _check_values(values: dict[str, Decimal], fmt: str) -> None:
    """Every figure fits the stored column (``SubmittedValue``'s validators), whatever produced ``values``: the
    parser bounds each cell more tightly; this guards the write itself."""
    where = {e.statistic.key: (sheet.name, e.coordinate) for sheet in layout(fmt) for e in sheet.entries}
    problems = []
    for key, value in values.items():
        try:
            SubmittedValue(statistic_key=key, value=value).clean_fields(exclude=["submission"])
        except ValidationError as exc:
            sheet, cell = where.get(key, (key, ""))
            problems.append(Problem(sheet, cell, "；".join(exc.messages)))
    if problems:
        raise SubmissionError(problems)


def withdraw(actor: User, submission: Submission, reason: str) -> Submission:
    """Withdraw a current submission: the body's figures come from its records again."""
    if not permissions.can_submit_figures(actor, submission.org):
        raise PermissionDenied
    return _withdraw(actor, actor, submission, reason)


def _withdraw(actor: Actor, withdrawn_by: User | None, submission: Submission, reason: str) -> Submission:
    """``withdraw``'s and ``withdraw_for_system``'s shared part: the reason checked, one transaction, audited."""
    try:
        reason = normalise_text(reason)
    except InputError as exc:
        raise ValidationError({"reason": str(exc)}) from exc
    if not reason:
        raise ValidationError({"reason": _("请填写撤回理由")})
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("org").get(pk=submission.pk)
        if not locked.is_current:
            raise ValidationError(_("只能撤回现行的填报"))
        locked.is_current = False
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = withdrawn_by
        locked.withdraw_reason = reason[:300]
        locked.save(update_fields=["is_current", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
        record(
            actor,
            "submission.withdraw",
            locked,
            before={"is_current": True},
            after={"is_current": False, "reason": locked.withdraw_reason},
            summary=_("撤回%(org)s%(year)s年度填报") % {"org": locked.org.name, "year": locked.year},
        )
    return locked


# --- Another system's upload through the API (issue 12 §5; added by the API work, kept apart from the above) ---


def submit_for_system(
    actor_label: str, org: Organisation, year: int, fmt: str, fileobj: IO[bytes], filename: str
) -> Submission:
    """``submit`` for another system's API token: the API has already checked that the token acts for ``org``
    with the ``submissions:write`` scope (``permissions.token_may``). The same checks and the same one
    transaction as ``submit``; the upload has no user and its audit entries name the token (``api:<name>``)."""
    return _store(actor_label, None, org, year, fmt, fileobj, filename)


def withdraw_for_system(actor_label: str, submission: Submission, reason: str) -> Submission:
    """``withdraw`` for another system's API token (the API has checked that it holds ``submissions:write`` for
    the submission's body): the same checks and transaction; the audit entry names the token."""
    return _withdraw(actor_label, None, submission, reason)
