from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from gongkai.api.api import api
from gongkai.ops.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/cases/", include("gongkai.cases.urls")),
    path("staff/catalog/", include("gongkai.catalog.urls")),
    path("staff/guide/", include(("gongkai.portal.staff", "guide"))),
    path("staff/submissions/", include("gongkai.submissions.urls")),
    path("staff/", include("gongkai.reports.urls")),
    path("", include("gongkai.portal.urls")),
]

# The site's own error pages, in Chinese (gongkai/errors.py); the 500 page renders without the database.
handler400 = "gongkai.errors.bad_request"
handler403 = "gongkai.errors.permission_denied"
handler404 = "gongkai.errors.page_not_found"
handler500 = "gongkai.errors.server_error"
