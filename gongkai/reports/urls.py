from __future__ import annotations

from django.urls import path

from gongkai.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("reports/<str:org_code>/<int:year>/", views.staff_report, name="staff_report"),
    path("reports/<str:org_code>/<int:year>/publish", views.publish, name="publish"),
    path("reports/<str:org_code>/<int:year>/publish/confirm", views.confirm_publish, name="confirm_publish"),
    path(
        "reports/<str:org_code>/<int:year>/sections/<int:section>/", views.edit_section, name="edit_section"
    ),
    path("reports/<str:org_code>/<int:year>/figures/", views.proactive_figures, name="proactive_figures"),
    path("reports/<str:org_code>/<int:year>/cells/<str:key>/", views.cell_drilldown, name="cell"),
]
