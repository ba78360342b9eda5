from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from gongkai.api.api import api
from gongkai.ops.views import healthz

# Not by language: the health check, the admin and the API (static files are served before the URLs).
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
# The portal and the staff pages in zh-Hans at /, zh-Hant at /zh-hant/ and English at /en/ (issue 12 §4);
# a visitor's choice is remembered by gongkai.languages.LanguageChoiceMiddleware.
urlpatterns += i18n_patterns(
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/cases/", include("gongkai.cases.urls")),
    path("staff/catalog/", include("gongkai.catalog.urls")),
    path("staff/guide/", include(("gongkai.portal.staff", "guide"))),
    path("staff/submissions/", include("gongkai.submissions.urls")),
    path("staff/mailbox/", include("gongkai.mailbox.staff_urls")),
    path("staff/hotline/", include("gongkai.hotline.urls")),
    path("staff/consultations/", include("gongkai.consultations.staff_urls")),
    path("staff/interviews/", include("gongkai.interviews.staff_urls")),
    path("staff/engagement/", include("gongkai.engagement.staff_urls")),
    path("staff/checker/", include("gongkai.checker.urls")),
    path("staff/", include("gongkai.reports.urls")),
    path("mailbox/", include("gongkai.mailbox.urls")),
    path("consultations/", include("gongkai.consultations.urls")),
    path("interviews/", include("gongkai.interviews.urls")),
    path("interpretations/", include("gongkai.engagement.urls")),
    path("", include("gongkai.portal.urls")),
    prefix_default_language=False,
)

# The site's own error pages, in the page's language (gongkai/errors.py); the 500 page renders without the
# database.
handler400 = "gongkai.errors.bad_request"
handler403 = "gongkai.errors.permission_denied"
handler404 = "gongkai.errors.page_not_found"
handler500 = "gongkai.errors.server_error"
