from __future__ import annotations

from django.urls import path

from gongkai.portal import care, identity, report_views, views
from gongkai.portal import catalog_views as cv

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.reports, name="reports"),
    path("interact/", views.interact, name="interact"),
    path("reports/<str:org_code>/<int:year>/", report_views.report, name="report"),
    path(
        "reports/<str:org_code>/<int:year>/v<int:number>/", report_views.report_version, name="report_version"
    ),
    path(
        "reports/<str:org_code>/<int:year>/v<int:number>/files/<slug:suffix>",
        report_views.report_file,
        name="report_file",
    ),
    path("apply/", views.apply, name="apply"),
    path("apply/body/", views.apply_find_body, name="apply_find_body"),
    path("apply/receipt/", views.receipt, name="receipt"),
    path("apply/print/", views.print_form, name="print_form"),
    path("track/", views.track, name="track"),
    path("track/letters/<str:token>/", views.track_letter, name="track_letter"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/pick/", views.body_pick, name="body_pick"),
    path("bodies/<str:org_code>/", cv.body, name="body"),
    path("bodies/<str:org_code>/guide/", cv.body_guide, name="body_guide"),
    path("bodies/<str:org_code>/rules/", cv.body_rules, name="body_rules"),
    path("bodies/<str:org_code>/catalog/", cv.body_catalog, name="body_catalog"),
    path("bodies/<str:org_code>/reports/", cv.body_reports, name="body_reports"),
    path("catalog/", cv.catalog, name="catalog"),
    path("documents/<str:index_code>/<int:year>/<int:serial>/", cv.document, name="document"),
    path(
        "documents/<str:index_code>/<int:year>/<int:serial>/files/<int:pk>/",
        cv.attachment,
        name="attachment",
    ),
    path("search/", cv.search, name="search"),
    path("charts/publications/<str:org_code>.svg", cv.publications_chart, name="publications_chart"),
    path("care/", care.choose, name="care"),
    path("care.css", care.stylesheet, name="care_css"),
    path("emblem/", identity.emblem, name="emblem"),
]
