"""Domain functions of the portal (atomic, audited): a body keeps its disclosure guide (2019 Regulations art 12);
the site's administrator keeps its identity (header and footer of every page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai import pagecache
from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.models import Publication, PublicationStatus
from gongkai.organisations.models import Organisation
from gongkai.portal import identity as site_identity
from gongkai.portal.models import DisclosureGuide, SiteIdentity

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


IDENTITY_FIELDS = (
    "body",
    "government_name",
    "emblem",
    "host",
    "organiser",
    "address",
    "postcode",
    "phone",
    "email",
    "site_code",
    "icp_number",
    "police_number",
    "police_link",
)


@transaction.atomic
def save_site_identity(actor: Actor, **values: Any) -> SiteIdentity:
    """Set the site's identity (any of ``IDENTITY_FIELDS``; ``emblem=None`` removes the uploaded emblem). Every
    public page shows it, so every cached page is dropped (all namespaces bumped) with the cached identity."""
    unknown = set(values) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError({field: _("未知字段") for field in sorted(unknown)})
    found = SiteIdentity.objects.select_for_update().filter(pk=SiteIdentity.SINGLETON).first()
    before = _identity_snapshot(found) if found is not None else None
    identity = found if found is not None else SiteIdentity(pk=SiteIdentity.SINGLETON)
    for field, value in values.items():
        if field == "emblem" and not value:
            value = ""
        setattr(identity, field, value.strip() if isinstance(value, str) else value)
    identity.full_clean()
    identity.save()
    record(
        actor,
        "portal.site_identity.save",
        identity,
        before=before,
        after=_identity_snapshot(identity),
        summary=identity.government_name,
    )
    pagecache.bump(pagecache.CATALOG, pagecache.REPORTS, pagecache.BODIES)
    site_identity.forget()
    return identity


def _identity_snapshot(identity: SiteIdentity) -> dict[str, Any]:
    return snapshot(identity, exclude=("emblem", "updated_at")) | {"emblem": identity.emblem.name or ""}
