from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/cases/", include("gongkai.cases.urls")),
    path("staff/", include("gongkai.reports.urls")),
    path("", include("gongkai.portal.urls")),
]
