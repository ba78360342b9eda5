from __future__ import annotations

from django.urls import path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:org_code>/<int:year>/", views.report, name="report"),
    path("apply/", views.apply, name="apply"),
    path("apply/receipt/", views.receipt, name="receipt"),
    path("apply/print/", views.print_form, name="print_form"),
    path("track/", views.track, name="track"),
    path("track/letters/<str:token>/", views.track_letter, name="track_letter"),
]
