"""Public pages of policy interpretations (政策解读): the list, newest first, with each one's form and policy,
and an interpretation's page (cached; invalidated when an interpretation or the catalog changes)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongkai import pagecache
from gongkai.catalog.models import Publication
from gongkai.catalog.public import public_versions
from gongkai.engagement.actions import INTERPRETATIONS
from gongkai.engagement.interpretations import public_interpretations
from gongkai.pagecache import cached_page

PAGE_SIZE = 20


@require_GET
@cached_page(pagecache.CATALOG, INTERPRETATIONS, pagecache.BODIES)
def interpretation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_interpretations(), PAGE_SIZE).get_page(request.GET.get("page"))
    items = public_versions(list(page.object_list))
    policies = public_versions([i.interprets for i in items if i.interprets is not None])
    shown = set(
        Publication.objects.public().filter(pk__in=[p.pk for p in policies]).values_list("pk", flat=True)
    )
    return render(
        request, "engagement/interpretations.html", {"page": page, "items": items, "public_policies": shown}
    )


@require_GET
@cached_page(pagecache.CATALOG, INTERPRETATIONS, pagecache.BODIES)
def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pub = get_object_or_404(public_interpretations(), pk=pk)
    public_versions([pub])
    policy = pub.interprets
    if policy is not None and not Publication.objects.public().filter(pk=policy.pk).exists():
        policy = None
    elif policy is not None:
        public_versions([policy])
    record = getattr(pub, "interpretation_record", None)
    return render(request, "engagement/interpretation.html", {"pub": pub, "policy": policy, "record": record})
