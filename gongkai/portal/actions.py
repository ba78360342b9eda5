"""Domain functions of the portal (atomic, audited): a body keeps its disclosure guide (2019 Regulations art 12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.models import Publication, PublicationStatus
from gongkai.organisations.models import Organisation
from gongkai.portal.models import DisclosureGuide

GUIDE_FIELDS = ("office", "address", "postcode", "hours", "phone", "fax", "email", "reading_room", "notes")


@transaction.atomic
def save_guide(
    actor: Actor,
    body: Organisation,
    *,
    revised_on: dt.date,
    rules: Sequence[Publication] = (),
    **values: Any,
) -> DisclosureGuide:
    """Create or revise a body's guide. Only the body's own published items can be listed as its rules."""
    unknown = set(values) - set(GUIDE_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in sorted(unknown)})
    foreign = [p for p in rules if p.body_id != body.pk or p.status != PublicationStatus.PUBLISHED]
    if foreign:
        raise ValidationError(
            {"rules": _("制度文件须是本机关已发布的政府信息：%(t)s") % {"t": foreign[0].title}}
        )
    guide = DisclosureGuide.objects.select_for_update().filter(body=body).first()
    before = _snapshot(guide) if guide else None
    if guide is None:
        guide = DisclosureGuide(body=body, revised_on=revised_on)
    for field, value in values.items():
        setattr(guide, field, value.strip() if isinstance(value, str) else value)
    guide.revised_on = revised_on
    guide.full_clean()
    guide.save()
    guide.rules.set(rules)
    record(actor, "portal.guide.save", guide, before=before, after=_snapshot(guide), summary=body.name)
    return guide


def _snapshot(guide: DisclosureGuide) -> dict[str, Any]:
    return snapshot(guide) | {"rules": sorted(guide.rules.values_list("pk", flat=True))}
