"""The site's identity (``SiteIdentity``) as every page reads it: from the shared cache, filled from the database
on a miss and dropped when ``actions.save_site_identity`` changes it (now and when its transaction commits).
``safe_current`` never fails: the 500 page and a page rendered while the database or the cache is down show the
default identity instead."""

from __future__ import annotations

import logging
import mimetypes

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from gongkai import pagecache
from gongkai.portal.models import SiteIdentity

CACHE_KEY = "site-identity:v1"
log = logging.getLogger(__name__)


def _load() -> SiteIdentity:
    found = SiteIdentity.objects.select_related("body").filter(pk=SiteIdentity.SINGLETON).first()
    return found if found is not None else SiteIdentity(pk=SiteIdentity.SINGLETON)


def current() -> SiteIdentity:
    """The site's identity (an unsaved default when none was set)."""
    found = pagecache.cache().get(CACHE_KEY)
    if isinstance(found, SiteIdentity):
        return found
    identity = _load()
    pagecache.cache().set(CACHE_KEY, identity, timeout=None)
    return identity


def safe_current() -> SiteIdentity:
    """``current()``, or the default identity when the cache or the database fails."""
    try:
        return current()
    except Exception:  # the error page and the layout must render whatever failed
        log.warning("site identity unavailable; showing the default", exc_info=True)
        return SiteIdentity(pk=SiteIdentity.SINGLETON)


def forget() -> None:
    """Drop the cached identity now and once the writer's transaction commits."""

    def drop() -> None:
        pagecache.cache().delete(CACHE_KEY)

    drop()
    transaction.on_commit(drop)


@require_GET
def emblem(request: HttpRequest) -> FileResponse:
    """The uploaded emblem (MEDIA_ROOT is never served directly). Its URL carries the last change's time, so
    it can be kept for a day."""
    identity = current()
    if not identity.emblem:
        raise Http404
    content_type = mimetypes.guess_type(identity.emblem.name or "")[0] or "application/octet-stream"
    response = FileResponse(identity.emblem.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
