from __future__ import annotations

from django.urls import path

from gongkai.checker import compare_views, views

app_name = "checker"
urlpatterns = [
    path("batch/", views.batch_home, name="batch"),
    path("batch/<uuid:token>/", views.batch_detail, name="batch_detail"),
    path("batch/<uuid:token>/batch.xlsx", views.batch_xlsx, name="batch_xlsx"),
    *compare_views.urlpatterns,
]
