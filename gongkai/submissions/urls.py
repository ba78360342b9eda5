from __future__ import annotations

from django.urls import path

from gongkai.submissions import views

app_name = "submissions"
urlpatterns = [
    path("<str:org_code>/<int:year>/", views.body, name="body"),
    path("<str:org_code>/<int:year>/template.xlsx", views.template, name="template"),
    path("<str:org_code>/<int:year>/upload", views.upload, name="upload"),
    path("file/<int:pk>", views.download, name="file"),
    path("withdraw/<int:pk>", views.withdraw, name="withdraw"),
]
