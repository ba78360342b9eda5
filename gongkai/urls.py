from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from gongkai.api.api import api

urlpatterns = [
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
