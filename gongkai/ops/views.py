"""``/healthz``: answers ``ok`` without touching the database (for load balancers, and the baseline of
benchmarks/portal_pages.py: the cost of the server and the middleware alone)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
