"""Domain functions for organisations: every change is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.organisations.models import PATH_SEGMENT, Organisation


class OrganisationNotFound(LookupError):
    pass


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT}d}."


def _assign_path(org: Organisation) -> None:
    parent_path = org.parent.path if org.parent is not None else ""
    org.path = parent_path + _segment(org.pk)
    org.depth = 0 if org.parent is None else org.parent.depth + 1


def _rewrite_descendants(old_path: str, new_path: str) -> None:
    """Move a subtree: rewrite the path prefix of every descendant in one pass per body."""
    delta = new_path.count(".") - old_path.count(".")
    for child in Organisation.objects.filter(path__startswith=old_path).exclude(path=old_path):
        child.path = new_path + child.path[len(old_path) :]
        child.depth = child.depth + delta
        child.save(update_fields=["path", "depth"])


def store_organisation(org: Organisation) -> Organisation:
    """Validate and save a body, keeping the materialised paths of it and its subtree correct. Not audited by
    itself: call ``save_organisation`` (or the audited admin, which calls this inside its transaction)."""
    org.full_clean(exclude=["path"])
    old_path = "" if org.pk is None else Organisation.objects.values_list("path", flat=True).get(pk=org.pk)
    if org.pk is None:
        org.path = ""
        org.save()
    _assign_path(org)
    org.save()
    if old_path and old_path != org.path:
        _rewrite_descendants(old_path, org.path)
    return org


@transaction.atomic
def save_organisation(actor: Actor, org: Organisation) -> Organisation:
    """Create or update a body (audited with before/after)."""
    creating = org.pk is None
    before = None if creating else snapshot(Organisation.objects.get(pk=org.pk))
    store_organisation(org)
    action = "organisation.create" if creating else "organisation.update"
    record(actor, action, org, before=before, after=snapshot(org), summary=org.name)
    return org


@transaction.atomic
def create_organisations_bulk(
    actor: Actor, rows: Sequence[dict[str, Any]], batch_label: str
) -> list[Organisation]:
    """Bulk load (e.g. the demo city): parents must precede children in ``rows``; one audit entry per batch.

    Each row is the Organisation fields with ``parent`` given as an index into ``rows`` (or None).
    """
    created: list[Organisation] = []
    for row in rows:
        data = dict(row)
        parent_index = data.pop("parent", None)
        org = Organisation(**data, parent=created[parent_index] if parent_index is not None else None)
        org.full_clean(exclude=["path", "parent", "successor"])
        org.path = ""
        org.save()
        _assign_path(org)
        org.save(update_fields=["path", "depth"])
        created.append(org)
    record(
        actor,
        "organisation.bulk_create",
        object_type="organisations.organisation",
        summary=batch_label,
        batch_size=len(created),
    )
    return created


def resolve_org(text: str, year: int | None = None) -> Organisation:
    """Resolve ``--org``: an organisation code, a credit code, or an exact name or short name.

    A name shared by several bodies (a reform reused it) prefers the one that existed in ``year`` (or, without
    a year, the one valid today); otherwise it is an error naming the candidates and their codes."""
    text = text.strip()
    matches = list(
        Organisation.objects.filter(
            Q(org_code=text.upper()) | Q(credit_code=text.upper()) | Q(name=text) | Q(short_name=text)
        )
    )
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise OrganisationNotFound(
            _("找不到机关单位“%(text)s”（可用组织机构代码、统一社会信用代码、全称或简称）") % {"text": text}
        )
    if year is not None:
        existing = [o for o in matches if o.existed_in(year)]
    else:
        existing = [o for o in matches if o.valid_to is None]
    if len(existing) == 1:
        return existing[0]
    names = "、".join(f"{o.name}（{o.org_code}）" for o in matches)
    raise OrganisationNotFound(
        _("“%(text)s”对应多个机关单位：%(names)s，请使用组织机构代码") % {"text": text, "names": names}
    )


def require_valid_on(body: Organisation, day: dt.date, field: str = "body") -> None:
    """Records belong to a body that existed on their date (a body abolished in a reform keeps its history
    but gets no new records)."""
    if not body.is_valid_on(day):
        raise ValidationError(
            {
                field: _("%(body)s在%(day)s不存在（设立%(start)s，撤销%(end)s）")
                % {
                    "body": body.name,
                    "day": day.isoformat(),
                    "start": body.valid_from.isoformat(),
                    "end": body.valid_to.isoformat() if body.valid_to else "—",
                }
            }
        )
