"""Template context for every page (settings.TEMPLATES): the site's identity for the header and footer."""

from __future__ import annotations

from django.http import HttpRequest

from gongkai.portal.identity import safe_current
from gongkai.portal.models import SiteIdentity


def site(request: HttpRequest) -> dict[str, SiteIdentity]:
    return {"site": safe_current()}
